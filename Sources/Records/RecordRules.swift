import Scheduling
import WorkCalendar

/// The rules every front door (command line, mail, web desk) applies before
/// it writes a record, and before it takes one back (issue 16, item 3).
/// Pure: the occurrence, the records it already has and today are passed in.
public enum RecordRules {
    /// What became of a request to record.
    public enum Verdict: Sendable, Hashable {
        /// Record it. `overridden` lists the refusals `--force` overrode, for the journal.
        case accept(overridden: [RecordRefusal])
        case refuse(RecordRefusal)
    }

    /// Checks a record of `occurrence` done on `request.doneOn`, given the
    /// records it `existing`ly has. `force` is honoured for the command line
    /// only, and only for dates (see `RecordRefusal.canBeForced`).
    public static func check(
        _ request: RecordRequest,
        of occurrence: Occurrence,
        existing: [ExistingRecord],
        today: CivilDate,
        force: Bool = false
    ) -> Verdict {
        var overridden: [RecordRefusal] = []
        let forcing = force && request.source == .cli
        var dateRefusals: [RecordRefusal] = []
        if request.doneOn < occurrence.periodStart {
            dateRefusals.append(
                .beforePeriod(doneOn: request.doneOn, period: occurrence.period, periodStart: occurrence.periodStart)
            )
        }
        if request.doneOn > today { dateRefusals.append(.inFuture(doneOn: request.doneOn, today: today)) }
        if let first = dateRefusals.first {
            guard forcing else { return .refuse(first) }
            overridden = dateRefusals
        }
        if let count = occurrence.requiredCount {
            if existing.count >= count.upperBound {
                return .refuse(.countReached(count: existing.count, maximum: count.upperBound))
            }
        } else if let latest = existing.max(by: { $0.id < $1.id }) {
            return .refuse(.alreadyRecorded(doneOn: latest.doneOn, by: latest.by))
        }
        return .accept(overridden: overridden)
    }
}
