import Mustache
import Scheduling
import Vocabulary
import WorkCalendar

/// The period report's templates (Mustache, embedded in the binary): the
/// body the web desk shows inside its own pages, the self-contained page
/// mailed and printed, and the stylesheet both use. One way to write HTML:
/// the desk and `report --format html` render the same template from the
/// same model.
public enum ReportTemplates {
    /// Name and text of each template: `report-body`, `report-page`, `report-css`.
    public static let sources: [(name: String, text: String)] = [
        ("report-body", String(decoding: PackageResources.report_body_mustache, as: UTF8.self)),
        ("report-page", String(decoding: PackageResources.report_page_mustache, as: UTF8.self)),
        ("report-css", String(decoding: PackageResources.report_css, as: UTF8.self)),
    ]

    /// The stylesheet, every rule under `.report` (the desk serves it as a file).
    public static var css: String { sources[2].text }

    /// The templates parsed once; a template that does not parse is a build
    /// defect the tests catch (and renders as an empty page, never a trap).
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in sources {
            do { try library.register(text, named: name) } catch { continue }
        }
        return library
    }()
}

extension ReportRenderer {
    /// One self-contained printable page: inline CSS with `@media print`
    /// (A4, page numbers), no scripts, no external assets; an SVG bar per
    /// owner for its on-time rate and a month-by-month chart when the period
    /// has several months; Chinese fonts through a font-family stack.
    /// Suitable as a mail's attachment or a file a committee office prints.
    ///
    /// - Parameter organisation: an optional issuing body shown above the
    ///   title (e.g. `某某医院党委`); nothing when nil.
    public static func html(_ report: PeriodReport, language l: Language, organisation: String? = nil) -> String {
        var model = htmlModel(report, language: l, organisation: organisation)
        model["htmlLang"] = Texts.htmlLang.text(in: l)
        model["subject"] = subject(report, language: l)
        return ReportTemplates.library.render(model, withTemplate: "report-page") ?? ""
    }

    /// What the `report-body` template shows, for the desk to render inside
    /// its own layout. Every value is text or numbers; the template escapes.
    public static func htmlModel(
        _ report: PeriodReport,
        language l: Language,
        organisation: String? = nil
    ) -> [String: Any] {
        let p = report.period
        let t = report.totals
        let names = columnNames(l)
        var model: [String: Any] = [
            "w": words(l),
            "kicker": organisation ?? l.pick("党建工作计划 · 完成情况报告", "Party-building work plans · completion report"),
            "title": l.pick("\(p.name(in: .zh))党建工作完成情况", "Party-building work completion, \(p.name(in: .en))"),
            "purpose": p.purpose(l), "start": p.start.description, "end": p.end.description,
            "asOf": report.asOf.description, "ownerCount": String(report.owners.count),
            "hasOwners": !report.owners.isEmpty, "ranked": report.isRanked,
            "rankingTitle": report.isRanked
                ? l.pick("各单位完成情况与排名", "Results and ranking by owner")
                : l.pick("各单位完成情况", "Results by owner"),
            "ownersLine": l.pick("\(report.owners.count) 个单位", "\(report.owners.count) owners"),
            "columns": names, "countColumns": Array(names[0..<6]),
            "definitions": definitions(l),
            "totals": [
                "due": String(t.due), "done": String(t.done), "onTime": String(t.onTime), "overdue": String(t.overdue),
                "completion": Format.percent(t.completionRate), "onTimeRate": Format.percent(t.onTimeRate),
                "overdueClass": t.overdue > 0 ? "bad" : "",
                "overdueNote": t.pending > 0
                    ? l.pick("另有 \(t.pending) 项未到期", "\(t.pending) not yet due")
                    : l.pick("逾期完成 \(t.late) 项", "\(t.late) done late"),
                "cells": [t.due, t.done, t.onTime, t.late, t.overdue, t.pending].map(String.init),
            ] as [String: Any],
        ]
        model["hasUnits"] = !report.units.isEmpty
        model["units"] = report.units.map { u -> [String: Any] in
            [
                "rank": u.rank.map(String.init) ?? "—", "name": Format.unitName(u, l), "owners": String(u.owners),
                "cells": figureCells(u.figures),
            ]
        }
        model["owners"] = report.owners.map { o -> [String: Any] in
            let f = o.figures
            var row: [String: Any] = [
                "owner": o.owner, "due": String(f.due), "done": String(f.done), "onTime": String(f.onTime),
                "late": String(f.late), "overdue": String(f.overdue), "hasOverdue": f.overdue > 0,
                "pending": String(f.pending), "completion": Format.percent(f.completionRate),
                "onTimeRate": Format.percent(f.onTimeRate), "barClass": barClass(f.onTimeRate),
                "barWidth": f.onTimeRate.map { String(Format.percent($0).dropLast()) } ?? "0",
            ]
            if let rank = o.rank {
                row["rank"] = String(rank)
                row["medal"] = String(min(rank, 4))
            }
            if let unit = o.units.last { row["unit"] = unit }
            return row
        }
        model["missingOwners"] = report.owners.filter { !$0.missing.isEmpty }.map { o -> [String: Any] in
            [
                "owner": o.owner, "countText": l.pick("\(o.missing.count) 项", "\(o.missing.count)"),
                "items": o.missing.map { s -> [String: Any] in
                    var item: [String: Any] = [
                        "due": s.occurrence.due.description, "title": s.occurrence.title, "period": s.occurrence.period,
                        "state": s.text(l),
                    ]
                    if let progress = s.progress { item["progress"] = l.pick("已完成 \(progress)", "\(progress) done") }
                    return item
                },
            ]
        }
        let late = report.owners.flatMap { o in o.late.map { (o.owner, $0) } }
        model["hasLate"] = !late.isEmpty
        model["lateItems"] = late.map { owner, s -> [String: Any] in
            [
                "owner": owner, "title": s.occurrence.title, "period": s.occurrence.period,
                "due": s.occurrence.due.description, "doneOn": s.doneOn.map(\.description) ?? "—",
                "lateBy": s.state.lateness(l, due: s.occurrence.due),
            ]
        }
        if let trend = trend(report) { model["trend"] = trend }
        if let arrivals = arrivals(report, l) { model["arrivals"] = arrivals }
        return model
    }

    /// How the records arrived, per owner (issue 16): by reply, on the web, by
    /// the admin, and the evidence files kept. Beside the figures, in none of them.
    static func arrivals(_ report: PeriodReport, _ l: Language) -> [String: Any]? {
        let total = report.arrivals
        guard total.records > 0 else { return nil }
        func cells(_ a: RecordArrivals) -> [String] { [a.mail, a.web, a.cli, a.history, a.evidence].map(String.init) }
        return [
            "title": l.pick("登记方式与附件", "How records arrived"),
            "columns": [
                l.pick("邮件回复", "By mail"), l.pick("网页", "On the web"), l.pick("命令行", "By the admin"),
                l.pick("历史确认", "History acknowledged"), l.pick("附件", "Files"),
            ],
            "owners": report.owners.filter { $0.arrivals.records > 0 }.map { o -> [String: Any] in
                ["owner": o.owner, "cells": cells(o.arrivals)]
            },
            "total": cells(total),
            "note": l.pick("附件仅作留档，不计入完成率和排名。", "Files are kept as records only; they count in no rate or rank."),
        ]
    }

    static func barClass(_ rate: Double?) -> String {
        guard let rate else { return "none" }
        return rate >= 0.9 ? "hi" : rate >= 0.6 ? "mid" : "lo"
    }

    /// Completion month by month inside the period (a quarter has three
    /// columns, a year twelve), from the same statuses as the tables: done ÷
    /// assessed of the occurrences due that month. Nil for a month's report.
    static func trend(_ report: PeriodReport) -> [String: Any]? {
        let p = report.period
        guard p.lastMonth > p.firstMonth, !report.owners.isEmpty else { return nil }
        var figures = Array(repeating: PeriodReport.Figures(), count: 12)
        for owner in report.owners {
            for s in owner.statuses { figures[s.occurrence.due.month - 1].add(s, asOf: report.asOf) }
        }
        let months = Array(p.firstMonth...p.lastMonth)
        // About 520 units of plot whatever the number of months; drawn 1:1 (no
        // scaling up), so labels keep the page's text size.
        let step = min(96, 520 / months.count)
        let column = step * 3 / 4
        let gap = step - column
        let left = 34
        let top = 18
        let plotHeight = 120
        let bottom = top + plotHeight
        let width = left + months.count * (column + gap) + 8
        let bars: [[String: Any]] = months.enumerated().map { i, month in
            let f = figures[month - 1]
            let rate = f.completionRate
            let h = Int(((rate ?? 0) * Double(plotHeight)).rounded())
            let x = left + gap / 2 + i * (column + gap)
            return [
                "x": String(x), "w": String(column), "y": String(bottom - h), "h": String(h),
                "barClass": barClass(rate), "labelX": String(x + column / 2),
                "value": rate.map { Format.percent($0) } ?? "—", "valueY": String(bottom - h - 4),
                "label": "\(month)", "monthY": String(bottom + 14),
            ]
        }
        return [
            "width": String(width), "height": String(bottom + 22), "left": String(left), "right": String(width - 4),
            "top": String(top), "bottom": String(bottom), "tickX": "0", "topText": String(top + 4),
            "bottomText": String(bottom),
            "months": bars,
        ]
    }

    /// The fixed words of the report page, in one language.
    static func words(_ l: Language) -> [String: String] {
        let pairs: [(String, String, String)] = [
            ("period", "统计区间", "Period"), ("asOf", "截至", "As of"), ("owners", "单位", "Owners"),
            ("nothingDue", "统计区间内没有到期事项。", "Nothing falls due in this period."),
            ("due", "应完成事项", "obligations due"), ("done", "已完成", "done"), ("completion", "完成率", "completion"),
            ("onTime", "按时完成", "on time"), ("onTimeRate", "按时率", "on-time rate"),
            ("overdue", "逾期未完成", "overdue, not done"), ("byOrganisation", "各单位汇总", "By organisation"),
            ("rank", "排名", "Rank"), ("organisation", "单位", "Organisation"), ("ownerCount", "支部数", "Owners"),
            ("owner", "责任单位", "Owner"), ("total", "合计", "Total"),
            ("trend", "逐月完成率", "Completion month by month"),
            ("trendNote", "到期日在该月的事项：已完成 ÷ 应考核", "items due that month: done ÷ assessed"),
            ("missing", "未完成事项", "Missing"), ("missingNote", "逾期未完成，按单位列出", "overdue and not done, by owner"),
            ("nothingOverdue", "各单位均无逾期未完成事项。", "Nothing is overdue."),
            ("dueDate", "到期日", "Due"), ("item", "工作事项", "Item"), ("periodColumn", "周期", "Period"),
            ("state", "情况", "State"), ("doneLate", "逾期完成事项", "Done late"),
            ("doneLateNote", "已完成，但晚于到期日", "done, but after the due date"), ("doneDate", "完成日期", "Done"),
            ("lateBy", "晚了", "Late by"), ("definitions", "统计口径", "Definitions"),
            (
                "colophon", "由 plankeeper 根据各支部年度党建工作计划与完成记录（台账）生成；到期日按国家法定工作日历计算。",
                "Generated by plankeeper from the branches' yearly plans and the records ledger; due dates follow China's official working-day calendar."
            ),
        ]
        return Dictionary(uniqueKeysWithValues: pairs.map { ($0.0, l.pick($0.1, $0.2)) })
    }
}
