import PlanFormat
import Reports
import Scheduling
import WorkCalendar

/// 我的待办: every open occurrence of the plans a person records for, in the
/// order they should be done — overdue first (oldest first), then what is
/// due within 14 days, then the rest of the current periods. Pure: plans,
/// records and today come in.
public struct TodoList: Sendable {
    public var overdue: [OccurrenceStatus] = []
    /// Overdue since before tracking started (issue 15): not listed one by
    /// one, offered for acknowledgement in bulk.
    public var history: [OccurrenceStatus] = []
    public var soon: [OccurrenceStatus] = []
    public var later: [OccurrenceStatus] = []
    /// Occurrences of the current periods already done.
    public var doneThisPeriod = 0

    public static let soonDays = 14

    /// - Parameters:
    ///   - horizonDays: overdue occurrences stay listed until this many days
    ///     after their plan's year ends (the daemon's `overdue-horizon`).
    ///   - isHistory: which occurrences are history (`NoticePolicy.isHistory`).
    public init(
        plans: [Plan],
        expander: ScheduleExpander,
        completions: [Completion],
        today: CivilDate,
        horizonDays: Int,
        isHistory: (@Sendable (Occurrence) -> Bool)? = nil
    ) {
        var evaluator = StatusEvaluator(calendar: expander.calendar, today: today, completions: completions)
        evaluator.isHistory = isHistory
        let soonEnd = today.adding(days: Self.soonDays)
        for plan in plans {
            let yearEnd = CivilDate.endOfMonth(year: plan.year, month: 12)
            let pastHorizon = today > yearEnd.adding(days: horizonDays)
            for occurrence in expander.occurrences(of: plan) {
                let current = occurrence.periodStart <= today && today <= occurrence.periodEnd
                if occurrence.due > soonEnd && !current { continue }
                let status = evaluator.status(of: occurrence)
                if status.isDone {
                    if current { doneThisPeriod += 1 }
                    continue
                }
                if status.notTracked {
                    history.append(status)
                } else if occurrence.due < today {
                    if !pastHorizon { overdue.append(status) }
                } else if occurrence.due <= soonEnd {
                    soon.append(status)
                } else {
                    later.append(status)
                }
            }
        }
        overdue.sort { Self.order($0.occurrence, $1.occurrence) }
        soon.sort { Self.order($0.occurrence, $1.occurrence) }
        later.sort { Self.order($0.occurrence, $1.occurrence) }
    }

    public var isEmpty: Bool { overdue.isEmpty && soon.isEmpty && later.isEmpty }

    static func order(_ a: Occurrence, _ b: Occurrence) -> Bool {
        (a.due, a.owner, a.title, a.period) < (b.due, b.owner, b.title, b.period)
    }
}
