import Tokens
import Vocabulary
import WorkCalendar

/// Makes the personal link a notice carries to the web desk (issue 17):
/// `web.url` + `/o/TOKEN`, where TOKEN is the same kind of signed reply token
/// as in the notice's reply address (one occurrence, one recipient), so the
/// desk opens that occurrence's record page for that person without a
/// sign-in, and for nothing else.
///
/// Pure, like `ReplyAddressing`: the key comes in with the signer, and the
/// expiry counts from the notice's own date, so a notice rebuilt after a
/// crash carries the same link, byte for byte.
public struct WebLinks: Sendable {
    public var signer: TokenSigner
    /// `web.url` without a trailing slash (`https://dangjian.hospital.example`).
    public var base: String
    public var expiryDays: Int

    public init(signer: TokenSigner, base: String, expiryDays: Int) {
        self.signer = signer
        self.base = base.hasSuffix("/") ? String(base.dropLast()) : base
        self.expiryDays = expiryDays
    }

    /// The link for a notice about `occurrence` to `recipient`, dated `date`; nil when it cannot be made.
    public func link(for occurrence: OccurrenceKey, to recipient: Address, date: CivilDate) -> String? {
        let token = ReplyToken(
            plan: occurrence.plan,
            item: occurrence.item,
            period: occurrence.period,
            recipient: recipient.address,
            expiresAt: Int64(date.dayNumber + expiryDays) * 86_400
        )
        guard let text = try? token.sign(with: signer) else { return nil }
        return base + "/o/" + text
    }
}
