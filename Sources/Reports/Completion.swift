import Records
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
    /// How it was recorded (issue 16): the admin's command line, a reply by mail, the web desk.
    public var source: RecordSource
    /// How many evidence files it has (minutes, photos): shown, never scored.
    public var evidence: Int

    public init(
        plan: String,
        item: String,
        period: String,
        doneOn: CivilDate,
        by: String? = nil,
        note: String? = nil,
        source: RecordSource = .cli,
        evidence: Int = 0
    ) {
        self.plan = plan
        self.item = item
        self.period = period
        self.doneOn = doneOn
        self.by = by
        self.note = note
        self.source = source
        self.evidence = evidence
    }

    public var key: OccurrenceKey { OccurrenceKey(plan: plan, item: item, period: period) }
}
