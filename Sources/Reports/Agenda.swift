import PlanFormat
import Scheduling
import TextLayout
import WorkCalendar

/// What falls due in the next days across all plans, by date: what
/// `plankeeper agenda` shows staff.
public struct Agenda: Sendable {
    public var today: CivilDate
    /// The window is `today` through `last`, both included.
    public var last: CivilDate
    /// Occurrences due in the window, by date (done ones included and marked).
    public var entries: [OccurrenceStatus]
    /// Occurrences overdue (not done, due before today), by due date.
    public var overdue: [OccurrenceStatus]

    /// - Parameter days: the window's length in days, today included (≥ 1).
    public init(occurrences: [Occurrence], completions: [Completion], calendar: WorkdayCalendar, today: CivilDate, days: Int) {
        let evaluator = StatusEvaluator(calendar: calendar, today: today, completions: completions)
        let last = today.adding(days: max(1, days) - 1)
        self.today = today
        self.last = last
        self.entries = evaluator.statuses(occurrences.filter { $0.due >= today && $0.due <= last })
        self.overdue = evaluator.statuses(occurrences.filter { $0.due < today }).filter(\.isOverdue)
    }

    /// How many overdue occurrences the text lists (the most recent first are the oldest debts; all are in JSON).
    static let overdueShown = 10

    public func text(language: ReportLanguage, colour: Bool, calendar: WorkdayCalendar) -> String {
        let l = language
        func paint(_ s: String, _ style: Style) -> String { colour ? style.apply(s) : s }
        let days = today.distance(to: last) + 1
        var out = paint(l.pick("未来 \(days) 天到期的工作（\(today) 至 \(last)）", "Due in the next \(days) days (\(today) to \(last))"), .bold) + "\n"
        if entries.isEmpty {
            out += l.pick("  （没有到期事项）\n", "  (nothing due)\n")
        } else {
            var table = TextTable()
            table.add((l == .zh ? ["日期", "星期", "责任单位", "工作事项", "周期", "状态"]
                                : ["Date", "Day", "Owner", "Item", "Period", "State"]).map { TextTable.Cell($0, .dim) })
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
                var state = s.state.text(l, today: today, due: o.due)
                if let p = s.progress { state += " · \(p)" }
                if let d = s.doneOn { state += l.pick("（\(Format.monthDay(d))）", " (\(Format.monthDay(d)))") }
                table.add([
                    .init(first ? Format.monthDay(o.due) : "", .bold), .init(first ? day : "", .dim), .init(o.owner),
                    .init(title), .init(o.period, .dim), .init(state, StatusBoard.style(s.state)),
                ])
            }
            out += table.render(indent: "  ", colour: colour).joined(separator: "\n") + "\n"
        }
        if !overdue.isEmpty {
            out += "\n" + paint(l.pick("另有 \(overdue.count) 项逾期未完成：", "Also \(overdue.count) overdue:"), .boldRed) + "\n"
            var table = TextTable()
            for s in overdue.prefix(Self.overdueShown) {
                let o = s.occurrence
                var state = s.state.text(l)
                if let p = s.progress { state += " · \(p)" }
                table.add([.init(o.due.description), .init(o.owner), .init(o.title), .init(o.period, .dim), .init(state, .red)])
            }
            out += table.render(indent: "  ", colour: colour).joined(separator: "\n") + "\n"
            if overdue.count > Self.overdueShown {
                let more = overdue.count - Self.overdueShown
                out += l.pick("  ……另有 \(more) 项，用 plankeeper status 查看全部\n", "  … and \(more) more; plankeeper status lists them all\n")
            }
        }
        return out
    }

    /// `{"today", "through", "due": [...], "overdue": [...]}` with the
    /// occurrence objects of `StatusBoard.json()`.
    public func json() -> String {
        var out = "{\"today\": \"\(today)\", \"through\": \"\(last)\", \"due\": ["
        out += entries.map { "\n  " + StatusBoard.json($0) }.joined(separator: ",") + (entries.isEmpty ? "]" : "\n]")
        out += ", \"overdue\": ["
        out += overdue.map { "\n  " + StatusBoard.json($0) }.joined(separator: ",") + (overdue.isEmpty ? "]" : "\n]")
        return out + "}\n"
    }
}
