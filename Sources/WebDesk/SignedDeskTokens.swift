import Tokens

/// Sign-in links and calendar feeds signed by the `Tokens` module with the key file that also
/// signs reply addresses (`<state>/token-keys`): one HMAC, one key, one
/// rotation for every door.
public struct SignedDeskTokens: DeskTokens {
    let signer: TokenSigner

    public init(signer: TokenSigner) {
        self.signer = signer
    }

    public func make(address: String, nonce: [UInt8], expiresAt: Int64) -> String? {
        guard let token = SignInToken(nonce: nonce, address: address, expiresAt: expiresAt) else { return nil }
        return try? token.sign(with: signer)
    }

    public func read(_ token: String, now: Int64) -> SignInLinkCheck {
        switch SignInToken.verify(token, with: signer, now: now) {
        case .valid(let t): .valid(address: t.address, nonce: t.nonce, expiresAt: t.expiresAt)
        // Made by us, but too old or under a key since rotated: "ask for a new link".
        case .expired, .keyRetired: .expired
        case .wrongPurpose, .badSignature, .unknownVersion, .malformed: .invalid
        }
    }

    public func feed(subject: String, expiresAt: Int64) -> String? {
        guard let token = FeedToken(subject: subject, expiresAt: expiresAt) else { return nil }
        return try? token.sign(with: signer)
    }

    public func readOccurrenceLink(_ token: String, now: Int64) -> OccurrenceLinkCheck {
        switch ReplyToken.verify(token, with: signer, now: now) {
        case .valid(let t):
            guard case .occurrence(let digest) = t.subject else { return .invalid }
            return .valid(occurrence: digest, recipient: t.recipient)
        case .expired, .keyRetired: return .expired
        case .wrongPurpose, .badSignature, .unknownVersion, .malformed: return .invalid
        }
    }

    /// The personal link's token for one occurrence sent to `recipient`
    /// (what the notice mail carries; tests make their own with it).
    public func occurrenceLink(
        plan: String,
        item: String,
        period: String,
        recipient: String,
        expiresAt: Int64
    ) -> String? {
        try? ReplyToken(plan: plan, item: item, period: period, recipient: recipient, expiresAt: expiresAt).sign(
            with: signer
        )
    }

    public func readFeed(_ token: String, now: Int64) -> String? {
        guard case .valid(let feed) = FeedToken.verify(token, with: signer, now: now) else { return nil }
        return feed.subject
    }
}
