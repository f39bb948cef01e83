import Scheduling
import TextLayout
import Vocabulary
import WorkCalendar

/// Renders a `PeriodReport` as text (a terminal table, also the mail body),
/// JSON, CSV (for Excel) or one self-contained printable HTML page.
/// Every renderer is pure and deterministic: the same report gives the same bytes.
public enum ReportRenderer {
    /// A mail subject: `2026 年第四季度党建工作完成情况（季评比）`.
    public static func subject(_ report: PeriodReport, language: Language) -> String {
        language.pick(
            "\(report.period.name(in: .zh))党建工作完成情况（\(report.period.purpose(.zh))）",
            "Party-building work completion, \(report.period.name(in: .en)) (\(report.period.purpose(.en)))"
        )
    }

    static func columnNames(_ l: Language) -> [String] {
        Texts.figureColumns.map { $0.text(in: l) }
    }

    static func figureCells(_ f: PeriodReport.Figures) -> [String] {
        [f.due, f.done, f.onTime, f.late, f.overdue, f.pending].map(String.init) + [
            Format.percent(f.completionRate), Format.percent(f.onTimeRate),
        ]
    }

    static func itemTitle(_ s: OccurrenceStatus, _ l: Language) -> String {
        s.occurrence.title + l.pick("（\(s.occurrence.period)）", " (\(s.occurrence.period))")
    }

    /// `逾期 6 个工作日 · 1/2`
    static func missingText(_ s: OccurrenceStatus, _ l: Language) -> String {
        var t = s.text(l)
        if let p = s.progress { t += l.pick(" · 已完成 \(p)", " · \(p) done") }
        return t
    }

    static func definitions(_ l: Language) -> [String] {
        Texts.definitions.map { $0.text(in: l) }
    }

    // MARK: Text

    /// The text report: a heading, an aligned table per owner (ranked for a
    /// quarter, half-year or year), a totals line, and what is missing.
    public static func text(_ report: PeriodReport, language l: Language, colour: Bool = false) -> String {
        func paint(_ s: String, _ style: Style) -> String { colour ? style.apply(s) : s }
        let p = report.period
        var out = paint(subject(report, language: l), .bold) + "\n"
        out += l.pick(
            "统计区间 \(p.start) 至 \(p.end)，截至 \(report.asOf)；\(report.owners.count) 个单位\n",
            "Period \(p.start) to \(p.end), as of \(report.asOf); \(report.owners.count) owner\(report.owners.count == 1 ? "" : "s")\n"
        )
        if report.owners.isEmpty {
            return out + l.pick("\n（统计区间内没有到期事项）\n", "\n(nothing falls due in this period)\n")
        }
        if !report.units.isEmpty {
            var units = TextTable(
                alignments: (report.isRanked ? [.right, .left] : [.left]) + Array(repeating: .right, count: 9)
            )
            units.add(
                ((report.isRanked ? [l.pick("排名", "Rank")] : []) + [
                    l.pick("单位", "Organisation"), l.pick("支部数", "Owners"),
                ] + columnNames(l)).map { .init($0, .dim) }
            )
            for u in report.units {
                units.add(
                    (report.isRanked ? [TextTable.Cell(u.rank.map(String.init) ?? "—", .bold)] : []) + [
                        .init(Format.unitName(u, l)), .init(String(u.owners)),
                    ]
                        + figureCells(u.figures).map { .init($0) }
                )
            }
            out += "\n" + Format.block(units, indent: "  ", colour: colour) + "\n"
        }
        let showUnits = !report.units.isEmpty
        var table = TextTable(
            alignments: (report.isRanked ? [.right, .left] : [.left]) + (showUnits ? [.left] : [])
                + Array(repeating: .right, count: 8)
        )
        table.add(
            ((report.isRanked ? [l.pick("排名", "Rank")] : []) + [l.pick("责任单位", "Owner")]
                + (showUnits ? [l.pick("所属单位", "Organisation")] : [])
                + columnNames(l)).map { .init($0, .dim) }
        )
        for o in report.owners {
            var cells: [TextTable.Cell] = []
            if report.isRanked { cells.append(.init(o.rank.map(String.init) ?? "—", .bold)) }
            cells.append(.init(o.owner))
            if showUnits { cells.append(.init(o.units.last ?? "", .dim)) }
            let f = figureCells(o.figures)
            cells += f.enumerated().map { i, v in
                .init(v, i == 4 && o.figures.overdue > 0 ? .boldRed : (i == 7 ? .bold : .plain))
            }
            table.add(cells)
        }
        table.add(
            (report.isRanked ? [TextTable.Cell("")] : []) + [.init(l.pick("合计", "Total"), .bold)]
                + (showUnits ? [TextTable.Cell("")] : [])
                + figureCells(report.totals).map { .init($0, .bold) }
        )
        out += "\n" + Format.block(table, indent: "  ", colour: colour) + "\n"

        let missing = report.owners.filter { !$0.missing.isEmpty }
        out += "\n" + paint(l.pick("未完成事项（逾期未完成）", "Missing (overdue, not done)"), .bold) + "\n"
        if missing.isEmpty {
            out += l.pick("  无\n", "  none\n")
        }
        for o in missing {
            out += "  " + paint(o.owner, .bold) + l.pick("（\(o.missing.count) 项）", " (\(o.missing.count))") + "\n"
            var t = TextTable()
            for s in o.missing {
                t.add([.init(s.occurrence.due.description), .init(itemTitle(s, l)), .init(missingText(s, l), .red)])
            }
            out += Format.block(t, indent: "    ", colour: colour) + "\n"
        }
        let late = report.owners.filter { !$0.late.isEmpty }
        if !late.isEmpty {
            out += "\n" + paint(l.pick("逾期完成事项", "Done late"), .bold) + "\n"
            for o in late {
                out += "  " + paint(o.owner, .bold) + l.pick("（\(o.late.count) 项）", " (\(o.late.count))") + "\n"
                var t = TextTable()
                for s in o.late {
                    t.add([
                        .init(s.occurrence.due.description), .init(itemTitle(s, l)),
                        .init(
                            l.pick(
                                "完成于 \(s.doneOn.map(\.description) ?? "—")，",
                                "done \(s.doneOn.map(\.description) ?? "—"), "
                            ) + s.state.lateness(l, due: s.occurrence.due) + l.pick("", " late"),
                            .yellow
                        ),
                    ])
                }
                out += Format.block(t, indent: "    ", colour: colour) + "\n"
            }
        }
        let arrivals = report.arrivals
        if arrivals.records > 0 {
            out += "\n" + paint(l.pick("登记方式与附件", "How records arrived"), .bold) + "\n"
            var t = TextTable()
            for o in report.owners where o.arrivals.records > 0 {
                t.add([.init(o.owner), .init(o.arrivals.text(l))])
            }
            t.add([.init(l.pick("合计", "Total"), .bold), .init(arrivals.text(l), .bold)])
            out += Format.block(t, indent: "  ", colour: colour) + "\n"
            out +=
                paint(
                    l.pick("  附件仅作留档，不计入完成率和排名。", "  Files are kept as records only; they count in no rate or rank."),
                    .dim
                ) + "\n"
        }
        out += "\n" + definitions(l).map { paint($0, .dim) }.joined(separator: "\n") + "\n"
        return out
    }

    // MARK: JSON

    /// One JSON object; rates are numbers with four decimals (or null).
    /// `{"period", "kind", "name", "start", "end", "as_of", "ranked", "totals": {…},
    ///   "units": [{"rank", "name", "path", "owners", "due", …}] (empty without a roster hierarchy),
    ///   "owners": [{"rank", "owner", "units", "plans", "due", "done", "on_time", "late", "overdue",
    ///   "pending", "assessed", "completion_rate", "on_time_rate", "arrivals", "missing": [{…}], "late_items": [{…}]}]}`;
    /// `arrivals` (top level and per owner): `{"mail", "web", "cli", "history", "evidence"}`, how the counted
    /// records were made and how many evidence files they carry.
    public static func json(_ report: PeriodReport, language l: Language = .zh) -> String {
        func figures(_ f: PeriodReport.Figures) -> String {
            "\"due\": \(f.due), \"done\": \(f.done), \"on_time\": \(f.onTime), \"late\": \(f.late), \"overdue\": \(f.overdue), \"pending\": \(f.pending), \"assessed\": \(f.assessed), \"completion_rate\": \(Format.jsonRate(f.completionRate)), \"on_time_rate\": \(Format.jsonRate(f.onTimeRate))"
        }
        func item(_ s: OccurrenceStatus) -> String {
            let o = s.occurrence
            var t =
                "{\"plan\": \(Format.json(o.planID)), \"item\": \(Format.json(o.itemID)), \"title\": \(Format.json(o.title)), \"period\": \(Format.json(o.period)), \"due\": \"\(o.due)\""
            t += ", \"done_on\": " + (s.doneOn.map { "\"\($0)\"" } ?? "null")
            switch s.state {
            case .doneLate(_, let wd), .overdue(let wd): t += ", \"workdays_late\": \(wd)"
            default: break
            }
            if o.requiredCount != nil { t += ", \"count\": \(s.count), \"required\": \(s.required)" }
            return t + "}"
        }
        let p = report.period
        var out =
            "{\"period\": \"\(p.label)\", \"kind\": \"\(p.kind.rawValue)\", \"name\": \(Format.json(p.name(in: l)))"
        out +=
            ", \"start\": \"\(p.start)\", \"end\": \"\(p.end)\", \"as_of\": \"\(report.asOf)\", \"ranked\": \(report.isRanked)"
        out += ",\n \"totals\": {\(figures(report.totals))}"
        out += ",\n \"arrivals\": \(report.arrivals.json)"
        out +=
            ",\n \"units\": ["
            + report.units.map { u in
                "\n  {\"rank\": \(u.rank.map(String.init) ?? "null"), \"name\": \(Format.json(u.name)), \"path\": [\(u.units.map { Format.json($0) }.joined(separator: ", "))], \"owners\": \(u.owners), \(figures(u.figures))}"
            }.joined(separator: ",") + (report.units.isEmpty ? "]" : "\n ]")
        out += ",\n \"owners\": ["
        for (i, o) in report.owners.enumerated() {
            out += i == 0 ? "\n  {" : ",\n  {"
            out +=
                "\"rank\": \(o.rank.map(String.init) ?? "null"), \"owner\": \(Format.json(o.owner)), \"units\": [\(o.units.map { Format.json($0) }.joined(separator: ", "))], \"plans\": [\(o.plans.map { Format.json($0) }.joined(separator: ", "))], "
            out += figures(o.figures)
            out += ", \"arrivals\": \(o.arrivals.json)"
            out +=
                ",\n   \"missing\": [" + o.missing.map { "\n    " + item($0) }.joined(separator: ",")
                + (o.missing.isEmpty ? "]" : "\n   ]")
            out +=
                ",\n   \"late_items\": [" + o.late.map { "\n    " + item($0) }.joined(separator: ",")
                + (o.late.isEmpty ? "]" : "\n   ]")
            out += "}"
        }
        out += report.owners.isEmpty ? "]}\n" : "\n ]}\n"
        return out
    }

    // MARK: CSV

    /// UTF-8 with a byte-order mark and CRLF line ends, so Excel opens the
    /// Chinese text correctly: one row per owner, then a totals row. The last
    /// column lists what is missing, one item per line inside the cell. With a
    /// roster hierarchy, a column after the owner names its units, top down.
    public static func csv(_ report: PeriodReport, language l: Language = .zh) -> String {
        var rows: [[String]] = []
        let showUnits = !report.units.isEmpty
        rows.append(
            (report.isRanked ? [l.pick("排名", "Rank")] : []) + [l.pick("责任单位", "Owner")]
                + (showUnits ? [l.pick("所属单位", "Organisation")] : [])
                + columnNames(l) + [l.pick("未完成事项", "Missing")]
        )
        for o in report.owners {
            let missing = o.missing.map { "\($0.occurrence.due) \(itemTitle($0, l)) \(missingText($0, l))" }.joined(
                separator: "\n"
            )
            rows.append(
                (report.isRanked ? [o.rank.map(String.init) ?? ""] : []) + [o.owner]
                    + (showUnits ? [o.units.joined(separator: " / ")] : [])
                    + figureCells(o.figures) + [missing]
            )
        }
        rows.append(
            (report.isRanked ? [""] : []) + [l.pick("合计", "Total")] + (showUnits ? [""] : [])
                + figureCells(report.totals) + [""]
        )
        return CSV.byteOrderMark + rows.map(CSV.row).joined()
    }
}

extension ReportRenderer {
    /// The plain-text body of a scheduled report mail: sentences and short
    /// lines rather than a table, because mail clients show text in a
    /// proportional font where columns never line up. The figures are the
    /// same as the attachment's.
    ///
    /// - Parameter attachment: the attached file's name, mentioned at the
    ///   end; nil when nothing is attached.
    public static func mailSummary(_ report: PeriodReport, language l: Language, attachment: String?) -> String {
        let p = report.period
        let t = report.totals
        var out = l.pick("各位领导、同志：\n\n", "Dear colleagues,\n\n")
        out += l.pick(
            "现将\(p.name(in: .zh))党建工作完成情况（\(p.purpose(.zh))）报告如下。统计区间 \(p.start) 至 \(p.end)，截至 \(report.asOf)。\n\n",
            "This is the party-building work completion report for \(p.name(in: .en)) (\(p.purpose(.en))): the period \(p.start) to \(p.end), as of \(report.asOf).\n\n"
        )
        if report.owners.isEmpty {
            out += l.pick("统计区间内没有到期事项。\n", "Nothing fell due in the period.\n")
        } else {
            out += l.pick(
                "合计：\(report.owners.count) 个单位，应完成 \(t.due) 项，已完成 \(t.done) 项（完成率 \(Format.percent(t.completionRate))），按时完成 \(t.onTime) 项（按时率 \(Format.percent(t.onTimeRate))），逾期完成 \(t.late) 项，逾期未完成 \(t.overdue) 项。\n",
                "Total: \(report.owners.count) owners, \(t.due) due, \(t.done) done (completion \(Format.percent(t.completionRate))), \(t.onTime) on time (on-time rate \(Format.percent(t.onTimeRate))), \(t.late) late, \(t.overdue) overdue.\n"
            )
            if t.pending > 0 {
                out += l.pick("另有 \(t.pending) 项尚未到期，不计入比率。\n", "\(t.pending) not yet due, left out of the rates.\n")
            }
            out +=
                "\n"
                + (report.isRanked
                    ? l.pick("排名（按时率，其次完成率）：\n", "Ranking (on-time rate, then completion rate):\n")
                    : l.pick("各单位：\n", "By owner:\n"))
            for o in report.owners {
                let f = o.figures
                let rank =
                    report.isRanked
                    ? (o.rank.map { l.pick("第 \($0) 名 ", "\($0). ") } ?? l.pick("未排名 ", "unranked ")) : "- "
                out += "  " + rank + o.owner
                out += l.pick(
                    "：按时率 \(Format.percent(f.onTimeRate))，完成率 \(Format.percent(f.completionRate))，应完成 \(f.due) 项，逾期未完成 \(f.overdue) 项\n",
                    ": on time \(Format.percent(f.onTimeRate)), completion \(Format.percent(f.completionRate)), \(f.due) due, \(f.overdue) overdue\n"
                )
            }
            if !report.units.isEmpty {
                out += "\n" + l.pick("各单位汇总：\n", "By organisation:\n")
                for u in report.units {
                    let rank =
                        report.isRanked
                        ? (u.rank.map { l.pick("第 \($0) 名 ", "\($0). ") } ?? l.pick("未排名 ", "unranked ")) : "- "
                    out +=
                        "  " + rank + Format.unitName(u, l)
                        + l.pick(
                            "（\(u.owners) 个支部）：按时率 \(Format.percent(u.figures.onTimeRate))，完成率 \(Format.percent(u.figures.completionRate))\n",
                            " (\(u.owners) owners): on time \(Format.percent(u.figures.onTimeRate)), completion \(Format.percent(u.figures.completionRate))\n"
                        )
                }
            }
            let missing = report.owners.filter { !$0.missing.isEmpty }
            out += "\n" + l.pick("未完成事项（逾期未完成）：", "Missing (overdue, not done):")
            if missing.isEmpty { out += l.pick("无。\n", " none.\n") } else { out += "\n" }
            for o in missing {
                out += "  " + o.owner + l.pick("（\(o.missing.count) 项）\n", " (\(o.missing.count))\n")
                for s in o.missing {
                    out += "    - \(s.occurrence.due) \(itemTitle(s, l)) \(missingText(s, l))\n"
                }
            }
        }
        if let attachment {
            out += "\n" + l.pick("详细报告见附件 \(attachment)。\n", "The full report is attached: \(attachment).\n")
        }
        out +=
            "\n"
            + l.pick(
                "—— plankeeper 党建工作计划提醒（自动发送）\n",
                "-- plankeeper, party-building work plans (sent automatically)\n"
            )
        return out
    }

    /// A file name for the attachment: `党建工作完成情况-2026-Q4.html`.
    public static func fileName(_ report: PeriodReport, language l: Language, extension ext: String) -> String {
        l.pick("党建工作完成情况-\(report.period.label).\(ext)", "party-work-completion-\(report.period.label).\(ext)")
    }
}
