/// What a token may be used for. It is signed with the rest, so a token made
/// for one door (a reply address) never opens another (a sign-in link).
///
/// Raw values are part of the token format: never renumber one.
public enum TokenPurpose: UInt8, Sendable, Hashable, CaseIterable {
    /// A reply address answering one occurrence (issue 16).
    case replyToOccurrence = 1
    /// A reply address answering one sent digest, whose numbered lines the ledger keeps.
    case replyToDigest = 2
    /// A one-time sign-in link for the web desk (short-lived, single use: the
    /// web desk keeps the used nonces).
    case signIn = 3
    /// A calendar-feed address (long-lived, read-only).
    case calendarFeed = 4
}
