import PlanFormat
import WorkCalendar

/// Which period reports fall due when, for the daemon to mail them.
///
/// A period's report is due on the **first working day after the period
/// ends** (the 2026-Q4 report on the first working day of 2027). Pure: the
/// daemon passes "today" (and, to catch up after downtime, the last day it
/// checked), renders each due report with `PeriodReport` and
/// `ReportRenderer`, and spools it.
///
/// ```swift
/// let schedule = ScheduledReports(kinds: [.month, .quarter, .year], calendar: calendar)
/// for period in schedule.due(after: lastChecked, through: today) {
///     let report = PeriodReport(period: period, occurrences: all, completions: done,
///                               calendar: calendar, asOf: today)
///     let subject = ReportRenderer.subject(report, language: .zh)
///     let body = ReportRenderer.text(report, language: .zh)      // text/plain part
///     let page = ReportRenderer.html(report, language: .zh)      // text/html part or attachment
/// }
/// ```
public struct ScheduledReports: Sendable {
    /// The kinds of report configured (e.g. `reports: [month, quarter, year]`).
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
    public func sendDate(of period: ReportPeriod) -> CivilDate {
        calendar.workday(1, after: period.end)
    }

    /// The reports due exactly on `today` (shortest period first).
    public func due(on today: CivilDate) -> [ReportPeriod] {
        due(after: today.adding(days: -1), through: today)
    }

    /// The reports whose send date lies in (`lastChecked`, `today`], oldest
    /// first: what a daemon that was down since `lastChecked` still owes.
    /// A report is never due twice across consecutive calls.
    public func due(after lastChecked: CivilDate, through today: CivilDate) -> [ReportPeriod] {
        guard lastChecked < today else { return [] }
        var result: [(CivilDate, ReportPeriod)] = []
        for kind in kinds {
            // A send date is at most a few weeks after its period's end, so
            // start from the period that contains a day well before `lastChecked`.
            var period = ReportPeriod.containing(lastChecked.adding(days: -40), kind: kind)
            while period.end < today {
                let send = sendDate(of: period)
                if send > lastChecked && send <= today { result.append((send, period)) }
                period = period.next
            }
        }
        return result.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map(\.element.1)
    }

    /// The next day after `today` on which a report falls due, with the
    /// periods due then; nil when no kind is configured.
    public func next(after today: CivilDate) -> (date: CivilDate, periods: [ReportPeriod])? {
        var best: (CivilDate, [ReportPeriod])?
        for kind in kinds {
            var period = ReportPeriod.containing(today.adding(days: -40), kind: kind)
            while sendDate(of: period) <= today { period = period.next }
            let send = sendDate(of: period)
            if best == nil || send < best!.0 { best = (send, [period]) }
            else if send == best!.0 { best!.1.append(period) }
        }
        return best.map { (date: $0.0, periods: $0.1) }
    }
}
