import Diagnostics
import Foundation
import Hummingbird
import Ledger
import PlanFormat
import Reports
import Scheduling
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
            guard let period = context.parameters.get("period").flatMap({ PeriodLabel($0) }) else { throw DeskError.notFound }
            let report = try await self.periodReport(viewer, period: period)
            let l = context.language
            return self.page("report", request, context, current: "Board", [
                "report": ReportRenderer.htmlModel(report, language: l, organisation: nil),
                "reportTitle": ReportRenderer.subject(report, language: l),
                "periods": BoardView.periodChoices(today: self.today, selected: period, language: l),
            ])
        }

        router.get("/board") { request, context in
            let viewer = try self.requireViewer(request, context)
            guard viewer.isSupervisor else { throw DeskError.forbidden }
            let today = self.today
            let period = request.uri.queryParameters["period"].flatMap { PeriodLabel(String($0)) }
                ?? PeriodLabel.containing(today, kind: .month)
            let overdueOnly = request.uri.queryParameters["overdue"] == "1"
            let report = try await self.periodReport(viewer, period: period)
            let board = BoardView(report: report, overdueOnly: overdueOnly, language: context.language)
            var model = board.model
            model["reportHref"] = "/reports/" + period.label
            model["reportLabel"] = period.purpose(context.language)
            model["periods"] = BoardView.periodChoices(today: today, selected: period, language: context.language)
            model["overdueOnly"] = overdueOnly
            return self.page("board", request, context, current: "Board", model)
        }
    }
}

extension Desk {
    /// The period report of the plans a supervisor sees, from the report
    /// model the mailed reports use (`PeriodReport`), as of today or the
    /// period's end.
    func periodReport(_ viewer: Viewer, period: PeriodLabel) async throws -> PeriodReport {
        let snapshot = plans.snapshot
        let plans = viewer.seesAll ? snapshot.plans : viewer.supervises.union(viewer.records).sorted().compactMap { snapshot.byID[$0] }
        let records: [Record]
        if viewer.seesAll {
            records = try await db({ try $0.records() })
        } else {
            let ids = plans.map(\.id)
            records = try await db({ ledger in try ids.flatMap { try ledger.records(plan: $0) } })
        }
        let expander = snapshot.expander
        var occurrences: [Occurrence] = []
        for plan in plans where plan.year == period.year || plan.year == period.year - 1 {
            occurrences += expander.occurrences(of: plan)
        }
        return PeriodReport(period: period, occurrences: occurrences, completions: OccurrenceView.completions(records),
                            calendar: snapshot.calendar, asOf: min(today, period.end),
                            units: Dictionary(plans.map { ($0.id, $0.units) }, uniquingKeysWith: { a, _ in a }))
    }
}

/// The board's figures and rows for a template (pure).
struct BoardView {
    let report: PeriodReport
    let overdueOnly: Bool
    let language: Language

    static func percent(_ rate: Double?) -> String {
        guard let rate else { return "—" }
        let tenths = Int((rate * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }

    var model: [String: Any] {
        let l = language
        let t = report.totals
        var groups: [[String]: [PeriodReport.OwnerSummary]] = [:]
        for owner in report.owners where !overdueOnly || owner.figures.overdue > 0 {
            groups[owner.units, default: []].append(owner)
        }
        let units: [[String: Any]] = groups.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { path in
            let owners = groups[path] ?? []
            let f = owners.reduce(into: (due: 0, done: 0, overdue: 0)) { acc, o in
                acc.due += o.figures.due; acc.done += o.figures.done; acc.overdue += o.figures.overdue
            }
            let name = path.last ?? (l == .zh ? "未编入名册的支部" : "Branches not in a roster")
            let figures = l == .zh ? "\(owners.count) 个支部 · 应完成 \(f.due) · 已完成 \(f.done) · 逾期 \(f.overdue)"
                                   : "\(owners.count) branches · due \(f.due) · done \(f.done) · overdue \(f.overdue)"
            return [
                "name": name, "figures": figures,
                "branches": owners.map { o -> [String: Any] in
                    [
                        "owner": o.owner, "due": String(o.figures.due), "done": String(o.figures.done),
                        "overdue": String(o.figures.overdue), "hasOverdue": o.figures.overdue > 0,
                        "completion": Self.percent(o.figures.completionRate),
                        "ledgerHref": "/ledger?plan=" + PercentDecoding.encode(o.plans.first ?? ""),
                        "missing": o.missing.map { s -> [String: Any] in
                            [
                                "title": OccurrenceView.title(s.occurrence, l), "periodLabel": s.occurrence.period,
                                "stateText": s.state.text(OccurrenceView.reportLanguage(l), today: report.asOf, due: s.occurrence.due),
                            ]
                        },
                    ]
                },
            ]
        }
        var model: [String: Any] = [
            "periodName": report.period.name(in: l), "asOf": report.asOf.description,
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
        var entries: [(String, PeriodReport.Figures)]
        if !report.units.isEmpty && Set(report.owners.map(\.units)).count > 1 {
            entries = report.units.map { ($0.name.isEmpty ? (l == .zh ? "（未编入名册）" : "(no roster)") : $0.name, $0.figures) }
        } else {
            entries = report.owners.map { ($0.owner, $0.figures) }
        }
        entries = entries.filter { $0.1.assessed > 0 }
        guard entries.count >= 2 else { return nil }
        entries.sort { ($0.1.completionRate ?? 0, $0.0) < ($1.1.completionRate ?? 0, $1.0) }
        let shown = Array(entries.prefix(40))
        let labelWidth = 124, barWidth = 190, rowHeight = 22
        let bars: [[String: Any]] = shown.enumerated().map { i, entry in
            let rate = entry.1.completionRate ?? 0
            let y = i * rowHeight + 4
            return [
                "label": String(entry.0.prefix(9)), "y": String(y), "textY": String(y + 12),
                "barX": String(labelWidth), "trackWidth": String(barWidth), "width": String(Int((rate * Double(barWidth)).rounded())),
                "valueX": String(labelWidth + barWidth + 6), "value": Self.percent(rate),
                "tone": rate >= 0.9 ? "good" : rate >= 0.6 ? "mid" : "low",
            ]
        }
        let title = l == .zh ? (entries.count > shown.count ? "完成率（最低的 \(shown.count) 个）" : "完成率")
                             : (entries.count > shown.count ? "Completion (the \(shown.count) lowest)" : "Completion")
        return ["chartTitle": title, "width": String(labelWidth + barWidth + 60), "height": String(shown.count * rowHeight + 8), "bars": bars]
    }

    /// This year's months up to now, its quarters, halves and the year, newest first.
    static func periodChoices(today: CivilDate, selected: PeriodLabel, language: Language) -> [[String: Any]] {
        let l = OccurrenceView.reportLanguage(language)
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
