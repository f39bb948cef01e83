import PlanFormat
import Vocabulary
import WorkCalendar

/// Which period reports fall due when, for the daemon to mail them.
///
/// A period's report is due on the **first working day after the period
/// ends** (the 2026-Q4 report on 2027-01-04, the first working day of 2027):
/// the supervisors' "月督导、季评比" starts the next working morning, and the
/// records of the period's last day have been entered by then.
///
/// Pure, and stateless on purpose: the daemon asks "which reports were due
/// in the last `catchUpDays` days, today included?" on every tick and spools
/// each with a name derived from the period and the recipients. The spool
/// refuses a name it already holds, so a report goes out exactly once
/// however often the question is asked, and a daemon that was down on the
/// send day still sends it when it comes back within the catch-up window,
/// without any "last checked" state that a crash could lose.
///
/// ```swift
/// let schedule = ScheduledReports(kinds: [.month, .quarter, .year], calendar: calendar)
/// for period in schedule.due(through: today, catchUpDays: 7) {
///     let report = PeriodReport(period: period, occurrences: all, completions: done,
///                               calendar: calendar, asOf: today)
///     let body = ReportRenderer.text(report, language: .zh)      // text/plain part
///     let page = ReportRenderer.html(report, language: .zh)      // HTML attachment
/// }
/// ```
public struct ScheduledReports: Sendable {
    /// The kinds of report configured, shortest first, each once.
    public var kinds: [Period]
    public var calendar: WorkdayCalendar

    public init(kinds: [Period], calendar: WorkdayCalendar) {
        var unique: [Period] = []
        for k in kinds where !unique.contains(k) { unique.append(k) }
        self.kinds = unique.sorted { $0.monthsLong < $1.monthsLong }
        self.calendar = calendar
    }

    /// Parses configuration words: `month`, `quarter`, `half-year`, `year`
    /// (also `monthly`, `quarterly`, `half-yearly`, `yearly`, and 月/季/半年/年).
    /// Nil for a word it does not know, so the caller can report it with its position.
    public static func kind(named word: String) -> Period? {
        switch word.lowercased() {
        case "month", "monthly", "月", "月度": .month
        case "quarter", "quarterly", "季", "季度": .quarter
        case "half-year", "half-yearly", "halfyear", "半年": .halfYear
        case "year", "yearly", "annual", "年", "年度": .year
        default: nil
        }
    }

    /// The day a period's report is due: the first working day after it ends.
    public func sendDate(of period: PeriodLabel) -> CivilDate {
        calendar.workday(1, after: period.end)
    }

    /// The reports whose send date lies in `[today − catchUpDays, today]`,
    /// oldest send date first (shortest period first on the same day).
    public func due(through today: CivilDate, catchUpDays: Int = 0) -> [PeriodLabel] {
        let from = today.adding(days: -max(0, catchUpDays))
        var result: [(CivilDate, Int, PeriodLabel)] = []
        for (order, kind) in kinds.enumerated() {
            // A send date follows its period's end by at most a long break
            // (国庆 plus a weekend is 9 days; 40 leaves ample room), so start
            // from the period containing a day well before the window.
            var period = PeriodLabel.containing(from.adding(days: -40), kind: kind)
            while period.end < today {
                let send = sendDate(of: period)
                if send >= from && send <= today { result.append((send, order, period)) }
                period = period.next
            }
        }
        return result.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
    }

    /// The first day after `today` on which a report falls due, with the
    /// periods due then (shortest first); nil when no kind is configured.
    public func next(after today: CivilDate) -> (date: CivilDate, periods: [PeriodLabel])? {
        var best: (date: CivilDate, periods: [PeriodLabel])?
        for kind in kinds {
            var period = PeriodLabel.containing(today.adding(days: -40), kind: kind)
            while sendDate(of: period) <= today { period = period.next }
            let send = sendDate(of: period)
            if let current = best, current.date == send {
                best = (send, current.periods + [period])
            } else if best.map({ send < $0.date }) ?? true {
                best = (send, [period])
            }
        }
        return best
    }
}
