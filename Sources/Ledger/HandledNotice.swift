/// A notice the daemon has dealt with, so that it never goes out twice.
///
/// Written in the same short transaction for a whole batch, after the mail
/// is in the spool (or folded into a backlog digest, or deliberately
/// suppressed): on restart the daemon skips every key found here.
public struct HandledNotice: Sendable, Hashable, Codable {
    /// The notice's identity as the notice policy builds it; unique.
    public var key: String
    public var plan: String
    public var item: String
    public var period: String
    /// The notice kind (reminder, due, overdue, escalation, …) as the policy names it.
    public var kind: String
    public var recipient: String
    /// The civil date the notice was meant for, `YYYY-MM-DD`.
    public var scheduledFor: String
    /// How it was handled: `spooled`, `backlog` or `suppressed`
    /// (see the constants below).
    public var disposition: String
    /// Unix seconds.
    public var handledAt: Int64

    /// Written to the mail spool.
    public static let spooled = "spooled"
    /// Listed in a backlog digest instead of being sent on its own.
    public static let backlog = "backlog"
    /// Deliberately not sent (for example: the work was already recorded done).
    public static let suppressed = "suppressed"

    public init(
        key: String, plan: String, item: String, period: String, kind: String,
        recipient: String, scheduledFor: String, disposition: String, handledAt: Int64
    ) {
        self.key = key
        self.plan = plan
        self.item = item
        self.period = period
        self.kind = kind
        self.recipient = recipient
        self.scheduledFor = scheduledFor
        self.disposition = disposition
        self.handledAt = handledAt
    }
}
