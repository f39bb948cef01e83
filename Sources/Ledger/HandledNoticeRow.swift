import Vocabulary

/// A row of the ledger's audit trail of notices dealt with (`handled_notice`),
/// so that a one-off message (an overdue digest) never goes out twice and an
/// administrator can see what went out.
///
/// Written in the same short transaction for a whole batch, after the mail is
/// in the spool. (The notice policy's own `HandledNotice` is the decision this
/// row records; the daemon maps one to the other in one place.)
public struct HandledNoticeRow: Sendable, Hashable, Codable {
    /// The notice's identity as the notice policy builds it; unique.
    public var key: String
    public var plan: String
    public var item: String
    public var period: String
    /// The notice kind (`NoticeKind`'s raw value: reminder, due, overdue, escalation, digest, …).
    public var kind: String
    public var recipient: String
    /// The civil date the notice was meant for, `YYYY-MM-DD`.
    public var scheduledFor: String
    /// How it was handled; see `NoticeDisposition` for what a tick writes.
    public var disposition: NoticeDisposition
    /// Unix seconds.
    public var handledAt: Int64

    public init(
        key: String,
        plan: String,
        item: String,
        period: String,
        kind: String,
        recipient: String,
        scheduledFor: String,
        disposition: NoticeDisposition,
        handledAt: Int64
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
