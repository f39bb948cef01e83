import PlanFormat
import Scheduling
import TextLayout
import Vocabulary
import WorkCalendar

/// Every occurrence of each plan with its state on one day: what
/// `plankeeper status` shows.
public struct StatusBoard: Sendable {
    public var today: CivilDate
    public var plans: [PlanStatus]

    public struct PlanStatus: Sendable {
        public var planID: String
        public var title: String
        public var owner: String
        public var year: Int
        /// By due date.
        public var statuses: [OccurrenceStatus]

        /// How many occurrences are in each state, keyed by `OccurrenceState.code`.
        public var counts: [String: Int] {
            var c: [String: Int] = [:]
            for s in statuses { c[s.code, default: 0] += 1 }
            return c
        }
    }

    /// - Parameters:
    ///   - plans: in the order to show them.
    ///   - completions: the ledger's records (none: nothing is done).
    ///   - isHistory: which occurrences are history (shown 未跟踪, not tracked).
    public init(
        plans: [Plan],
        expander: ScheduleExpander,
        completions: [Completion],
        today: CivilDate,
        isHistory: (@Sendable (Occurrence) -> Bool)? = nil
    ) {
        var evaluator = StatusEvaluator(calendar: expander.calendar, today: today, completions: completions)
        evaluator.isHistory = isHistory
        self.today = today
        self.plans = plans.map { plan in
            PlanStatus(
                planID: plan.id,
                title: plan.title,
                owner: plan.owner,
                year: plan.year,
                statuses: evaluator.statuses(expander.occurrences(of: plan))
            )
        }
    }

    static let summaryOrder = ["done", "late", "overdue", "not-tracked", "due-soon", "upcoming"]

    static func stateName(_ code: String, _ language: Language) -> String {
        switch code {
        case "done": language.pick("按时完成", "done on time")
        case "late": language.pick("逾期完成", "done late")
        case "overdue": language.pick("逾期未完成", "overdue")
        case "not-tracked": language.pick("未跟踪", "not tracked")
        case "due-soon": language.pick("即将到期", "due soon")
        default: language.pick("未到期", "upcoming")
        }
    }

    static func style(_ state: OccurrenceState) -> Style {
        switch state {
        case .doneOnTime: .green
        case .doneLate: .yellow
        case .overdue: .boldRed
        case .dueSoon: .cyan
        case .upcoming: .dim
        }
    }

    /// An aligned table per plan (CJK-aware), coloured when `colour` is set.
    public func text(language: Language, colour: Bool) -> String {
        let l = language
        func paint(_ s: String, _ style: Style) -> String { colour ? style.apply(s) : s }
        var out =
            paint(
                l.pick("截至 \(today)（\(Format.weekday(today, l))）", "As of \(today) (\(Format.weekday(today, l)))"),
                .bold
            ) + "\n"
        if plans.isEmpty { return out + l.pick("（没有计划）\n", "(no plans)\n") }
        for plan in plans {
            out += "\n" + paint("\(plan.owner) · \(plan.title)（\(plan.planID)）", .bold) + "\n"
            var table = TextTable()
            table.add(
                Texts.statusBoardColumns.map { TextTable.Cell($0.text(in: l), .dim) }
            )
            for s in plan.statuses {
                let o = s.occurrence
                var title = o.title
                if let r = o.requiredCount { title += Format.times(r, l) }
                var done = s.doneOn?.description ?? ""
                if let p = s.progress, !s.isDone { done = p } else if let p = s.progress { done += " (\(p))" }
                table.add([
                    .init(o.due.description), .init(Format.weekday(o.due, l), .dim), .init(title),
                    .init(o.period, .dim),
                    .init(s.text(l, today: today, due: o.due), s.notTracked ? .dim : Self.style(s.state)),
                    .init(s.arrivalText(l), .dim), .init(done),
                ])
            }
            out += Format.block(table, indent: "  ", colour: colour) + "\n"
            let counts = plan.counts
            let summary = Self.summaryOrder.compactMap { code -> String? in
                guard let n = counts[code], n > 0 else { return nil }
                return paint(Self.stateName(code, l) + " \(n)", code == "overdue" ? .boldRed : .plain)
            }
            out += "  " + (summary.isEmpty ? l.pick("（没有事项）", "(no items)") : summary.joined(separator: " · ")) + "\n"
        }
        return out
    }

    /// One JSON object: `{"today", "plans": [{"plan", "title", "owner", "year", "counts", "occurrences": [...]}]}`;
    /// each occurrence `{"item", "title", "period", "due", "state", "done_on",
    /// "workdays_late", "workdays_left", "count", "required", "min", "max", "records"}` (`records`:
    /// `{"mail", "web", "cli", "history", "evidence"}`, how its counted records were made; the
    /// last four for `times` items only; absent keys mean not applicable).
    public func json() -> String {
        var out = "{\"today\": \"\(today)\", \"plans\": ["
        for (pi, plan) in plans.enumerated() {
            out += pi == 0 ? "\n  {" : ",\n  {"
            out +=
                "\"plan\": \(Format.json(plan.planID)), \"title\": \(Format.json(plan.title)), \"owner\": \(Format.json(plan.owner)), \"year\": \(plan.year)"
            let counts = plan.counts
            out +=
                ", \"counts\": {" + Self.summaryOrder.map { "\"\($0)\": \(counts[$0] ?? 0)" }.joined(separator: ", ")
                + "}"
            out += ", \"occurrences\": ["
            for (i, s) in plan.statuses.enumerated() {
                out += (i == 0 ? "\n    " : ",\n    ") + Self.json(s)
            }
            out += plan.statuses.isEmpty ? "]}" : "\n  ]}"
        }
        out += plans.isEmpty ? "]}\n" : "\n]}\n"
        return out
    }

    static func json(_ s: OccurrenceStatus) -> String {
        let o = s.occurrence
        var out =
            "{\"item\": \(Format.json(o.itemID)), \"title\": \(Format.json(o.title)), \"owner\": \(Format.json(o.owner))"
        out += ", \"period\": \(Format.json(o.period)), \"due\": \"\(o.due)\", \"state\": \"\(s.code)\""
        out += ", \"done_on\": " + (s.doneOn.map { "\"\($0)\"" } ?? "null")
        switch s.state {
        case .doneLate(_, let wd), .overdue(let wd): out += ", \"workdays_late\": \(wd)"
        case .dueSoon(let left): out += ", \"workdays_left\": \(left)"
        default: break
        }
        if let r = o.requiredCount {
            out +=
                ", \"count\": \(s.count), \"required\": \(s.required), \"min\": \(r.lowerBound), \"max\": \(r.upperBound)"
        }
        out += ", \"records\": " + RecordArrivals(s.completions).json
        return out + "}"
    }
}
