import Vocabulary
import WorkCalendar

/// One line of a supervisor's daily overdue digest.
public struct OverdueDigestEntry: Sendable {
    public var owner: String
    public var itemTitle: String
    public var period: String
    public var planID: String
    public var itemID: String
    public var due: CivilDate
    public var workdaysOverdue: Int
    /// Past its escalation date: the supervisor is now expected to act.
    public var escalated: Bool

    public init(
        owner: String,
        itemTitle: String,
        period: String,
        planID: String,
        itemID: String,
        due: CivilDate,
        workdaysOverdue: Int,
        escalated: Bool
    ) {
        self.owner = owner
        self.itemTitle = itemTitle
        self.period = period
        self.planID = planID
        self.itemID = itemID
        self.due = due
        self.workdaysOverdue = workdaysOverdue
        self.escalated = escalated
    }
}
