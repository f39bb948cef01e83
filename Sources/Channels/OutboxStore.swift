/// Where the channels' outbox lives: the ledger (`Ledger+Outbox.swift`,
/// migration v7); anything with these calls in tests. A protocol so that the
/// delivery agent (Delivery, which also carries mail) does not link SQLite.
/// Every call is one short transaction.
public protocol OutboxStore: Sendable {
    /// A channel's entries in one state, in the order they were written.
    func outboxEntries(channel: String, state: OutboxEntry.State) throws -> [OutboxEntry]
    /// queued → sending, only if still queued.
    func claimOutbox(_ id: String, at now: Int64) throws -> Bool
    func markOutboxSent(_ id: String, at now: Int64, answer: String) throws
    func requeueOutbox(_ id: String, nextAttempt: Int64?, reason: String?, failedAt: Int64?, attemptsDelta: Int) throws
    func markOutboxFailed(_ id: String, at now: Int64, reason: String) throws
    func markOutboxUncertain(_ id: String, reason: String) throws
    /// Moves a channel's entries in `state` back to queued; how many.
    func requeueOutbox(channel: String, from state: OutboxEntry.State) throws -> Int
    func postponeOutbox(channel: String, destination: String?, until: Int64) throws
    /// The channels with something to do (queued, or left in flight): a pass
    /// over a city's 2,066 robots looks at these only.
    func outboxChannelsWithWork() throws -> Set<String>
    /// When the channel's messages went out since `since`, per destination.
    func outboxSends(channel: String, since: Int64) throws -> [(destination: String, at: Int64)]
}
