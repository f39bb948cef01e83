/// A calendar-feed address (issue 17): which feed (a plan id, a person's
/// address — the web desk decides) as UTF-8, valid until `expiresAt`.
/// Read-only by nature: a feed token never authorises a change.
public struct FeedToken: Sendable, Hashable {
    public static let maximumSubjectLength = 256

    public var subject: String
    public var expiresAt: Int64

    /// Nil when the subject is empty or longer than 256 bytes.
    public init?(subject: String, expiresAt: Int64) {
        guard !subject.isEmpty, subject.utf8.count <= Self.maximumSubjectLength else { return nil }
        self.subject = subject
        self.expiresAt = expiresAt
    }

    public func sign(with signer: TokenSigner) throws(TokenSigningError) -> String {
        try signer.sign(purpose: .calendarFeed, body: Array(subject.utf8), expiresAt: expiresAt)
    }

    public static func verify(
        _ text: some StringProtocol,
        with signer: TokenSigner,
        now: Int64
    )
        -> TokenVerification<FeedToken>
    {
        signer.verify(text, purposes: [.calendarFeed], now: now).map { token in
            String(validating: token.body, as: UTF8.self).flatMap { FeedToken(subject: $0, expiresAt: token.expiresAt) }
        }
    }
}
