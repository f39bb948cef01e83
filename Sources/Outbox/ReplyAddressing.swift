import Tokens
import Vocabulary
import WorkCalendar

/// Makes the reply address a notice carries (issue 16): `plankeeper+TOKEN@…`
/// where TOKEN names the occurrence (or the sent digest) and the recipient,
/// and expires `expiryDays` after the notice's own date.
///
/// Pure: the key comes in with the signer. The expiry counts from the date
/// the notice is for, not from the moment it is composed, so a notice
/// rebuilt after a crash carries the same address, byte for byte.
public struct ReplyAddressing: Sendable {
    public var signer: TokenSigner
    /// `mail.reply-to`'s address (`plankeeper@hospital.example`).
    public var base: String
    public var expiryDays: Int

    public init(signer: TokenSigner, base: String, expiryDays: Int) {
        self.signer = signer
        self.base = base
        self.expiryDays = expiryDays
    }

    /// The reply address for a notice about `occurrence` to `recipient`, dated `date`; nil when it cannot be made.
    public func address(for occurrence: OccurrenceKey, to recipient: Address, date: CivilDate) -> Address? {
        make(
            ReplyToken(
                plan: occurrence.plan,
                item: occurrence.item,
                period: occurrence.period,
                recipient: recipient.address,
                expiresAt: expiry(from: date)
            )
        )
    }

    /// The reply address for a sent digest (its numbered lines in the ledger under `digest`).
    public func address(forDigest digest: SentDigestID, to recipient: Address, date: CivilDate) -> Address? {
        make(
            ReplyToken(
                subject: .digest(digest),
                recipient: AddressDigest(address: recipient.address),
                expiresAt: expiry(from: date)
            )
        )
    }

    /// Midnight UTC at the start of the day `expiryDays` after `date`.
    func expiry(from date: CivilDate) -> Int64 {
        Int64(date.dayNumber + expiryDays) * 86_400
    }

    func make(_ token: ReplyToken) -> Address? {
        guard let text = try? token.sign(with: signer), let address = ReplyAddress.make(base: base, token: text) else {
            return nil
        }
        return Address(name: "", address: address)
    }
}
