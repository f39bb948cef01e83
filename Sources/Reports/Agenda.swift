import PlanFormat
import Scheduling
import TextLayout
import Vocabulary
import WorkCalendar

/// What falls due in the next days across all plans, by date: what
/// `plankeeper agenda` shows staff.
public struct Agenda: Sendable {
    public var today: CivilDate
    /// The window is `today` through `last`, both included.
    public var last: CivilDate
    /// Occurrences due in the window, by date (done ones included and marked).
    public var entries: [OccurrenceStatus]
    /// Overdue occurrences (not done) due in the look-back window
    /// `[today − overdueDays, today)`, by due date: the debts still worth
    /// acting on this week. Older ones stay in `status` and `report`.
    public var overdue: [OccurrenceStatus]
    /// How many overdue occurrences are older than the look-back window.
    public var olderOverdue: Int
    public var overdueDays: Int

    /// The agenda looks ahead; without a bound behind, a plan nobody records
    /// against (or a ledger started mid-year) would bury the coming week
    /// under months of January debts. A month back covers every monthly
    /// obligation missed last time.
    public static let defaultOverdueDays = 30

    /// - Parameters:
    ///   - days: the window's length in days, today included (≥ 1).
    ///   - overdueDays: how far back overdue occurrences are listed (≥ 0).
    public init(
        occurrences: [Occurrence],
        completions: [Completion],
        calendar: WorkdayCalendar,
        today: CivilDate,
        days: Int,
        overdueDays: Int = Agenda.defaultOverdueDays
    ) {
        let evaluator = StatusEvaluator(calendar: calendar, today: today, completions: completions)
        let last = today.adding(days: max(1, days) - 1)
        let since = today.adding(days: -max(0, overdueDays))
        self.today = today
        self.last = last
        self.overdueDays = max(0, overdueDays)
        self.entries = evaluator.statuses(occurrences.filter { $0.due >= today && $0.due <= last })
        let overdue = evaluator.statuses(occurrences.filter { $0.due < today }).filter(\.isOverdue)
        self.overdue = overdue.filter { $0.occurrence.due >= since }
        self.olderOverdue = overdue.count - self.overdue.count
    }

    public func text(language: Language, colour: Bool, calendar: WorkdayCalendar) -> String {
        let l = language
        func paint(_ s: String, _ style: Style) -> String { colour ? style.apply(s) : s }
        let days = today.distance(to: last) + 1
        var out =
            paint(
                l.pick("未来 \(days) 天到期的工作（\(today) 至 \(last)）", "Due in the next \(days) days (\(today) to \(last))"),
                .bold
            ) + "\n"
        if entries.isEmpty {
            out += l.pick("  （没有到期事项）\n", "  (nothing due)\n")
        } else {
            var table = TextTable()
            table.add(
                Texts.agendaColumns.map { TextTable.Cell($0.text(in: l), .dim) }
            )
            var previous: CivilDate?
            for s in entries {
                let o = s.occurrence
                let first = previous != o.due
                previous = o.due
                var day = Format.weekday(o.due, l)
                switch calendar.kind(of: o.due) {
                case .makeup: day += l.pick("（调休）", " (make-up)")
                case .holiday(let name): day += l.pick("（\(name)）", " (\(name))")
                case .weekend: day += l.pick("（休）", " (off)")
                case .workday: break
                }
                var title = o.title
                if let r = o.requiredCount { title += Format.times(r, l) }
                var state = s.text(l, today: today, due: o.due)
                if let p = s.progress { state += " · \(p)" }
                if let d = s.doneOn { state += l.pick("（\(Format.monthDay(d))）", " (\(Format.monthDay(d)))") }
                table.add([
                    .init(first ? Format.monthDay(o.due) : "", .bold), .init(first ? day : "", .dim), .init(o.owner),
                    .init(title), .init(o.period, .dim), .init(state, StatusBoard.style(s.state)),
                ])
            }
            out += Format.block(table, indent: "  ", colour: colour) + "\n"
        }
        if !overdue.isEmpty {
            out +=
                "\n"
                + paint(
                    l.pick(
                        "近 \(overdueDays) 天逾期未完成 \(overdue.count) 项：",
                        "Overdue in the last \(overdueDays) days (\(overdue.count)):"
                    ),
                    .boldRed
                ) + "\n"
            var table = TextTable()
            for s in overdue {
                let o = s.occurrence
                var state = s.text(l)
                if let p = s.progress { state += " · \(p)" }
                table.add([
                    .init(Format.monthDay(o.due)), .init(o.owner), .init(o.title), .init(o.period, .dim),
                    .init(state, .red),
                ])
            }
            out += Format.block(table, indent: "  ", colour: colour) + "\n"
        }
        if olderOverdue > 0 {
            if overdue.isEmpty { out += "\n" }
            out +=
                paint(
                    l.pick(
                        "更早逾期未完成的还有 \(olderOverdue) 项，用 plankeeper status 查看",
                        "\(olderOverdue) older overdue item\(olderOverdue == 1 ? "" : "s"): see plankeeper status"
                    ),
                    .dim
                ) + "\n"
        }
        return out
    }

    /// `{"today", "through", "overdue_since", "older_overdue", "due": [...], "overdue": [...]}`
    /// with the occurrence objects of `StatusBoard.json()`.
    public func json() -> String {
        var out =
            "{\"today\": \"\(today)\", \"through\": \"\(last)\", \"overdue_since\": \"\(today.adding(days: -overdueDays))\""
        out += ", \"older_overdue\": \(olderOverdue), \"due\": ["
        out += entries.map { "\n  " + StatusBoard.json($0) }.joined(separator: ",") + (entries.isEmpty ? "]" : "\n]")
        out += ", \"overdue\": ["
        out += overdue.map { "\n  " + StatusBoard.json($0) }.joined(separator: ",") + (overdue.isEmpty ? "]" : "\n]")
        return out + "}\n"
    }
}
