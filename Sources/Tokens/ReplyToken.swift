/// What a reply address stands for: the occurrence or sent digest it answers,
/// who it was sent to, and until when it counts (issue 16, item 1).
///
/// Body (12 bytes): the subject's 6 bytes (an `OccurrenceDigest` or a
/// `SentDigestID`, told apart by the purpose) then the recipient's
/// `AddressDigest`. With the header and the MAC that is 29 bytes, 47
/// characters: `plankeeper+` and a token make 58, within the 64 that RFC 5321
/// allows a local part.
public struct ReplyToken: Sendable, Hashable {
    public enum Subject: Sendable, Hashable {
        case occurrence(OccurrenceDigest)
        case digest(SentDigestID)
    }

    public var subject: Subject
    public var recipient: AddressDigest
    /// Unix seconds (whole minutes once read back from a token).
    public var expiresAt: Int64

    public static let bodyLength = 2 * FieldDigest.length
    /// The length of every reply token's text.
    public static let encodedLength = SignedToken.encodedLength(bodyLength: bodyLength)
    static let purposes: Set<TokenPurpose> = [.replyToOccurrence, .replyToDigest]

    public init(subject: Subject, recipient: AddressDigest, expiresAt: Int64) {
        self.subject = subject
        self.recipient = recipient
        self.expiresAt = expiresAt
    }

    /// A reply token for one occurrence sent to `recipient`.
    public init(plan: String, item: String, period: String, recipient: String, expiresAt: Int64) {
        self.init(
            subject: .occurrence(OccurrenceDigest(plan: plan, item: item, period: period)),
            recipient: AddressDigest(address: recipient),
            expiresAt: expiresAt
        )
    }

    public func sign(with signer: TokenSigner) throws(TokenSigningError) -> String {
        let (purpose, subjectValue): (TokenPurpose, UInt64) =
            switch subject {
            case .occurrence(let d): (.replyToOccurrence, d.value)
            case .digest(let id): (.replyToDigest, id.value)
            }
        let body = FieldDigest.bytes(subjectValue) + FieldDigest.bytes(recipient.value)
        return try signer.sign(purpose: purpose, body: body, expiresAt: expiresAt)
    }

    /// Reads a reply token at `now` (Unix seconds).
    public static func verify(
        _ text: some StringProtocol,
        with signer: TokenSigner,
        now: Int64
    )
        -> TokenVerification<ReplyToken>
    {
        signer.verify(text, purposes: purposes, now: now).map(ReplyToken.init(signed:))
    }

    init?(signed token: SignedToken) {
        guard token.body.count == Self.bodyLength else { return nil }
        let subjectValue = FieldDigest.value(token.body[0..<FieldDigest.length])
        let recipientValue = FieldDigest.value(token.body[FieldDigest.length...])
        switch token.purpose {
        case .replyToOccurrence: subject = .occurrence(OccurrenceDigest(value: subjectValue))
        case .replyToDigest:
            guard let id = SentDigestID(subjectValue) else { return nil }
            subject = .digest(id)
        case .signIn, .calendarFeed: return nil
        }
        recipient = AddressDigest(value: recipientValue)
        expiresAt = token.expiresAt
    }
}
