import Tokens

/// Makes and reads the signed, expiring tokens of sign-in links.
///
/// The web desk does not sign anything itself: the signing is the `Tokens`
/// module's (one HMAC implementation, one key file for mail-in and the
/// desk). This is the little the desk needs from it, so the pages can be
/// tested with any implementation and the real one is one adapter.
public protocol DeskTokens: Sendable {
    /// A token naming `address`, valid until `expiresAt` (Unix seconds), with
    /// a 16-byte `nonce` the desk records when the link is used.
    func make(address: String, nonce: [UInt8], expiresAt: Int64) -> String?
    /// What a token presented at `now` says.
    func read(_ token: String, now: Int64) -> SignInLinkCheck
    /// A read-only calendar-feed token for `subject`, valid until `expiresAt`.
    func feed(subject: String, expiresAt: Int64) -> String?
    /// The subject of a valid, unexpired feed token, else nil.
    func readFeed(_ token: String, now: Int64) -> String?
    /// What the personal link of a notice mail names (`/o/TOKEN`: the same
    /// token as the mail's reply address, issue 16): one occurrence, sent
    /// to one person.
    func readOccurrenceLink(_ token: String, now: Int64) -> OccurrenceLinkCheck
}

/// What reading a notice's personal link found.
public enum OccurrenceLinkCheck: Sendable, Hashable {
    case valid(occurrence: OccurrenceDigest, recipient: AddressDigest)
    case expired
    case invalid
}

/// What reading a sign-in link found.
public enum SignInLinkCheck: Sendable, Hashable {
    case valid(address: String, nonce: [UInt8], expiresAt: Int64)
    /// Genuine but too old: "ask for a new link" rather than "not ours".
    case expired
    /// Altered, forged, another purpose, an old key: never believed.
    case invalid
}
