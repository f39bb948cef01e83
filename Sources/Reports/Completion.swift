import Scheduling
import Vocabulary
import WorkCalendar

/// A piece of work recorded as done, as the reports need it: which
/// occurrence it counts toward (plan, item and period label, as the ledger
/// keys it) and the civil date it was done. The caller reads the ledger;
/// this module never does.
public struct Completion: Sendable, Hashable {
    public var plan: String
    public var item: String
    /// The period label (`2026-11`, `2026-Q4`, `2026-H2`, `2026`).
    public var period: String
    public var doneOn: CivilDate
    public var by: String?
    public var note: String?

    public init(plan: String, item: String, period: String, doneOn: CivilDate, by: String? = nil, note: String? = nil) {
        self.plan = plan
        self.item = item
        self.period = period
        self.doneOn = doneOn
        self.by = by
        self.note = note
    }

    public var key: OccurrenceKey { OccurrenceKey(plan: plan, item: item, period: period) }
}
