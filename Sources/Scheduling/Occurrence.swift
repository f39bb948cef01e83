import PlanFormat
import Vocabulary
import WorkCalendar

/// One deadline of one item in one period: the unit that gets reminders,
/// records and report lines. It is identified by plan, item and period label,
/// never by its date, so a record survives an edit that moves the date.
public struct Occurrence: Sendable, Hashable {
    public var planID: String
    public var itemID: String
    public var title: String
    public var owner: String
    /// `2026-01`, `2026-Q1`, `2026-H1` or `2026`.
    public var period: String
    public var periodStart: CivilDate
    public var periodEnd: CivilDate
    public var due: CivilDate
    /// The date the rule gave before `shift` moved it off an off day.
    public var nominalDue: CivilDate
    public var reminders: [Reminder]
    /// For `times` items: how many completions the period needs, and the most expected.
    public var requiredCount: ClosedRange<Int>?

    public struct Reminder: Sendable, Hashable {
        public var offset: Offset
        public var date: CivilDate
    }

    public var key: OccurrenceKey { OccurrenceKey(plan: planID, item: itemID, period: period) }
}
