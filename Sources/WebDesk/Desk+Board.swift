import Diagnostics
import Foundation
import Hummingbird
import Ledger
import PlanFormat
import Reports
import Scheduling
import Synchronization
import WorkCalendar
import Vocabulary

/// 督导: for supervisors, every unit → branch → item of the plans they
/// supervise in one period, from the report model the mailed reports use
/// (`PeriodReport`: the same definitions, the same figures), filtered by
/// period and to what is overdue, with a chart where one reads faster.
extension Desk {
    func addBoardRoutes(_ router: Router<DeskContext>) {
        router.get("/reports") { request, context in
            let viewer = try self.requireViewer(request, context)
            guard viewer.isSupervisor else { throw DeskError.forbidden }
            if let asked = request.uri.queryParameters["period"].flatMap({ PeriodLabel(String($0)) }) {
                return Response.redirect(to: "/reports/" + asked.label, type: .normal)
            }
            let current = PeriodLabel.containing(self.today, kind: .month)
            return Response.redirect(to: "/reports/" + current.previous.label, type: .normal)
        }

        router.get("/reports/:period") { request, context in
            let viewer = try self.requireViewer(request, context)
            guard viewer.isSupervisor else { throw DeskError.forbidden }
            guard let period = context.parameters.get("period").flatMap({ PeriodLabel($0) }) else {
                throw DeskError.notFound
            }
            let report = try await self.periodReport(viewer, period: period)
            defer { Desk.returnFreedMemory() }
            let l = context.language
            return self.page(
                "report",
                request,
                context,
                current: "Board",
                [
                    "report": ReportRenderer.htmlModel(report, language: l, organisation: nil),
                    "reportTitle": ReportRenderer.subject(report, language: l),
                    "periods": BoardView.periodChoices(today: self.today, selected: period, language: l),
                ]
            )
        }

        router.get("/board") { request, context in
            let viewer = try self.requireViewer(request, context)
            guard viewer.isSupervisor else { throw DeskError.forbidden }
            let today = self.today
            let period =
                request.uri.queryParameters["period"].flatMap { PeriodLabel(String($0)) }
                ?? PeriodLabel.containing(today, kind: .month)
            let overdueOnly = request.uri.queryParameters["overdue"] == "1"
            let summary = try self.boardSummary(viewer, period: period)
            defer { Desk.returnFreedMemory() }
            let board = BoardView(summary: summary, overdueOnly: overdueOnly, language: context.language)
            var model = board.model
            model["reportHref"] = "/reports/" + period.label
            model["reportLabel"] = period.purpose(context.language)
            model["periods"] = BoardView.periodChoices(today: today, selected: period, language: context.language)
            model["overdueOnly"] = overdueOnly
            // No empty text in the model (unit names and owners are never empty): no walk to remove it.
            return self.page("board", request, context, current: "Board", clean: false, model)
        }
    }
}

extension Desk {
    /// The period report of the plans a supervisor sees, from the report
    /// model the mailed reports use (`PeriodReport`), as of today or the
    /// period's end.
    ///
    /// A city's board is 2,066 branches: the occurrences due in the period
    /// come from `periodOccurrences` (kept per plan load), and only the
    /// records of their period labels are read, four columns each.
    func periodReport(_ viewer: Viewer, period: PeriodLabel) async throws -> PeriodReport {
        let snapshot = plans.snapshot
        var occurrences = periodOccurrences(period, snapshot)
        var planIDs: Set<String>?
        if !viewer.seesAll {
            let mine = viewer.supervises.union(viewer.records)
            occurrences = occurrences.filter { mine.contains($0.planID) }
            planIDs = mine
        }
        let labels = Set(occurrences.map(\.period))
        let rows = try read { try $0.completions(periods: labels) }
        var completions: [Completion] = []
        completions.reserveCapacity(rows.count)
        for row in rows where planIDs?.contains(row.plan) ?? true {
            if let done = CivilDate(iso: row.doneOn) {
                completions.append(Completion(plan: row.plan, item: row.item, period: row.period, doneOn: done))
            }
        }
        let units = Dictionary(snapshot.plans.map { ($0.id, $0.units) }, uniquingKeysWith: { a, _ in a })
        return PeriodReport(
            period: period,
            occurrences: occurrences,
            completions: completions,
            calendar: snapshot.calendar,
            asOf: min(today, period.end),
            units: units,
            isHistory: historyRule(snapshot)?.isHistory
        )
    }

    /// Every occurrence due in `period` of the plans in force, kept for
    /// months (a few at a time: the board opens on the current month) until
    /// the plans reload; longer periods are expanded each time.
    func periodOccurrences(_ period: PeriodLabel, _ snapshot: PlanSnapshot) -> [Occurrence] {
        let key = "\(snapshot.generation)|\(period.label)"
        if let kept = periodCache.withLock({ $0[key] }) { return kept }
        let expander = snapshot.expander
        var found: [Occurrence] = []
        for plan in snapshot.plans where plan.year == period.year || plan.year == period.year - 1 {
            for o in expander.occurrences(of: plan) where period.contains(o.due) { found.append(o) }
        }
        if period.kind == .month {
            periodCache.withLock { cache in
                cache = cache.filter { $0.key.hasPrefix("\(snapshot.generation)|") }
                if cache.count >= 4 { cache.removeAll() }
                cache[key] = found
            }
        }
        return found
    }
}

extension Desk {
    /// The board of a supervisor's plans in one period, one plan at a time:
    /// each plan's occurrences due in the period and its records go through
    /// the report model (`PeriodReport`, so the figures are the reports'),
    /// and only each branch's figures and first missing items are kept. A
    /// city's year is then as light in memory as a month.
    func boardSummary(_ viewer: Viewer, period: PeriodLabel) throws -> BoardSummary {
        let snapshot = plans.snapshot
        let years = (period.year - 1)...period.year
        let visible = snapshot.plans.filter { years.contains($0.year) && viewer.maySee($0.id) }
        let cached: [String: [Occurrence]]?
        let labels: Set<String>
        if period.kind == .month {
            let occurrences = periodOccurrences(period, snapshot)
            cached = Dictionary(grouping: occurrences, by: \.planID)
            labels = Set(occurrences.map(\.period))
        } else {
            cached = nil
            labels = Set(
                years.flatMap { year in Period.allCases.flatMap { PeriodLabel.all($0, year: year).map(\.label) } }
            )
        }
        let visibleIDs = Set(visible.map(\.id))
        var byPlan: [String: [Completion]] = [:]
        for row in try read({ try $0.completions(periods: labels) }) where visibleIDs.contains(row.plan) {
            if let done = CivilDate(iso: row.doneOn) {
                byPlan[row.plan, default: []].append(
                    Completion(plan: row.plan, item: row.item, period: row.period, doneOn: done)
                )
            }
        }
        let asOf = min(today, period.end)
        let expander = snapshot.expander
        let isHistory = historyRule(snapshot)?.isHistory
        var summary = BoardSummary(period: period, asOf: asOf)
        for plan in visible {
            let occurrences =
                cached.map { $0[plan.id] ?? [] } ?? expander.occurrences(of: plan).filter { period.contains($0.due) }
            guard !occurrences.isEmpty else { continue }
            let report = PeriodReport(
                period: period,
                occurrences: occurrences,
                completions: byPlan[plan.id] ?? [],
                calendar: snapshot.calendar,
                asOf: asOf,
                units: [plan.id: plan.units],
                isHistory: isHistory
            )
            for owner in report.owners {
                summary.add(
                    BoardSummary.Branch(
                        owner: owner.owner,
                        units: owner.units,
                        planID: plan.id,
                        figures: owner.figures,
                        missing: Array(owner.missing.prefix(BoardSummary.missingShown)),
                        missingCount: owner.missing.count
                    )
                )
            }
        }
        summary.branches.sort {
            ($0.units.joined(separator: "\u{1}"), $0.owner) < ($1.units.joined(separator: "\u{1}"), $1.owner)
        }
        return summary
    }
}

/// What the 督导 board shows of one period: each branch's figures (as the
/// reports count them) and its first missing items, and the totals.
struct BoardSummary {
    static let missingShown = 5

    struct Branch {
        var owner: String
        var units: [String]
        var planID: String
        var figures: PeriodReport.Figures
        var missing: [OccurrenceStatus]
        var missingCount: Int
    }

    var period: PeriodLabel
    var asOf: CivilDate
    var branches: [Branch] = []
    var totals = PeriodReport.Figures()

    mutating func add(_ branch: Branch) {
        branches.append(branch)
        totals = Self.sum(totals, branch.figures)
    }

    static func sum(_ a: PeriodReport.Figures, _ b: PeriodReport.Figures) -> PeriodReport.Figures {
        PeriodReport.Figures(
            due: a.due + b.due,
            done: a.done + b.done,
            onTime: a.onTime + b.onTime,
            late: a.late + b.late,
            overdue: a.overdue + b.overdue,
            pending: a.pending + b.pending,
            assessed: a.assessed + b.assessed
        )
    }
}

/// The board's figures and rows for a template (pure).
struct BoardView {
    let summary: BoardSummary
    let overdueOnly: Bool
    let language: Language

    static func percent(_ rate: Double?) -> String {
        guard let rate else { return "—" }
        let tenths = Int((rate * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }

    var model: [String: Any] {
        let l = language
        let t = summary.totals
        var groups: [[String]: [BoardSummary.Branch]] = [:]
        for branch in summary.branches where !overdueOnly || branch.figures.overdue > 0 {
            groups[branch.units, default: []].append(branch)
        }
        let units: [[String: Any]] = groups.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { path in
            let branches = groups[path] ?? []
            let f = branches.reduce(PeriodReport.Figures()) { BoardSummary.sum($0, $1.figures) }
            let name = path.last ?? Texts.branchesNotInRoster.text(in: l)
            let figures =
                Texts.unitFigures(branches: branches.count, due: f.due, done: f.done, overdue: f.overdue).text(in: l)
            return [
                "name": name, "figures": figures,
                "branches": branches.map { b -> [String: Any] in
                    [
                        "owner": b.owner, "due": String(b.figures.due), "done": String(b.figures.done),
                        "overdue": String(b.figures.overdue), "hasOverdue": b.figures.overdue > 0,
                        "completion": Self.percent(b.figures.completionRate),
                        "ledgerHref": "/ledger?plan=" + PercentDecoding.encode(b.planID),
                        // What is missing, in the overdue view: the first five
                        // (the branch's 台账 has them all).
                        "missing": overdueOnly
                            ? b.missing.map { s -> [String: Any] in
                                [
                                    "title": OccurrenceView.title(s.occurrence, l), "periodLabel": s.occurrence.period,
                                    "stateText": s.text(l, today: summary.asOf, due: s.occurrence.due),
                                ]
                            } : [],
                        "moreMissing": overdueOnly && b.missingCount > b.missing.count
                            ? Texts.moreMissing(b.missingCount - b.missing.count).text(in: l) : false,
                    ]
                },
            ]
        }
        var model: [String: Any] = [
            "periodName": summary.period.name(in: l), "asOf": summary.asOf.description,
            "totals": [
                "due": String(t.due), "done": String(t.done), "overdue": String(t.overdue), "hasOverdue": t.overdue > 0,
                "completion": Self.percent(t.completionRate),
            ] as [String: Any],
            "units": units,
        ]
        if let chart = chart { model["chart"] = chart }
        return model
    }

    /// Completion by unit when the plans come from a roster with units (a
    /// city: one bar per hospital), else by branch; at most 40 bars, the
    /// lowest first, since those are the ones to look at.
    var chart: [String: Any]? {
        let l = language
        var byUnit: [[String]: PeriodReport.Figures] = [:]
        for b in summary.branches {
            byUnit[b.units] = BoardSummary.sum(byUnit[b.units] ?? PeriodReport.Figures(), b.figures)
        }
        var entries: [(String, PeriodReport.Figures)]
        if byUnit.count > 1 {
            entries = byUnit.map { ($0.key.last ?? Texts.noRoster.text(in: l), $0.value) }
        } else {
            entries = summary.branches.map { ($0.owner, $0.figures) }
        }
        entries = entries.filter { $0.1.assessed > 0 }
        guard entries.count >= 2 else { return nil }
        entries.sort { ($0.1.completionRate ?? 0, $0.0) < ($1.1.completionRate ?? 0, $1.0) }
        let shown = Array(entries.prefix(40))
        let labelWidth = 124
        let barWidth = 190
        let rowHeight = 22
        let bars: [[String: Any]] = shown.enumerated().map { i, entry in
            let rate = entry.1.completionRate ?? 0
            let y = i * rowHeight + 4
            return [
                // A long name cut to what the label column holds, with an ellipsis;
                // the whole name in the bar's tooltip (<title>).
                "label": entry.0.count > 9 ? String(entry.0.prefix(8)) + "…" : entry.0, "name": entry.0,
                "y": String(y), "textY": String(y + 12),
                "barX": String(labelWidth), "trackWidth": String(barWidth),
                "width": String(Int((rate * Double(barWidth)).rounded())),
                "valueX": String(labelWidth + barWidth + 6), "value": Self.percent(rate),
                "tone": rate >= 0.9 ? "good" : rate >= 0.6 ? "mid" : "low",
            ]
        }
        let title =
            Texts.completionChartTitle(shown: entries.count > shown.count ? shown.count : nil).text(in: l)
        return [
            "chartTitle": title, "width": String(labelWidth + barWidth + 60),
            "height": String(shown.count * rowHeight + 8), "bars": bars,
        ]
    }

    /// This year's months up to now, its quarters, halves and the year, newest first.
    static func periodChoices(today: CivilDate, selected: PeriodLabel, language: Language) -> [[String: Any]] {
        var list: [PeriodLabel] = []
        for kind in [Period.month, .quarter, .halfYear, .year] {
            var p = PeriodLabel.containing(today, kind: kind)
            while p.year == today.year {
                list.append(p)
                p = p.previous
            }
        }
        if !list.contains(selected) { list.insert(selected, at: 0) }
        return list.map { ["label": $0.label, "name": $0.name(in: language), "selected": $0 == selected] }
    }
}
