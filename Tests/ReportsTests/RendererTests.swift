import Diagnostics
import Foundation
import PlanFormat
import Reports
import Scheduling
import Testing
import Vocabulary
import WorkCalendar

/// The report formats, checked on the fixture's hand-computed Q4 figures
/// (see PeriodReportTests) by parsing what they print, not by comparing
/// with what the renderer would print.
@Suite struct RendererTests {
    let fx: Fixture
    init() throws { fx = try Fixture.load() }

    /// RFC 4180 records, parsed independently of the renderer: quoted fields
    /// may hold commas, quotes (doubled) and line breaks; records end in CRLF.
    func parseCSV(_ text: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var scalars = Array(text.unicodeScalars)[...]
        while let c = scalars.popFirst() {
            if quoted {
                if c == "\"" {
                    if scalars.first == "\"" {
                        field.unicodeScalars.append("\"")
                        scalars.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field)
                field = ""
            } else if c == "\r" {
                #expect(scalars.popFirst() == "\n", "a bare CR outside quotes")
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else {
                #expect(c != "\n", "a bare LF outside quotes")
                field.unicodeScalars.append(c)
            }
        }
        #expect(!quoted && row.isEmpty && field.isEmpty, "the last record must end in CRLF")
        return rows
    }

    @Test func csvHasBOMCRLFAndTheHandComputedFigures() throws {
        let r = try fx.report("2026-Q4", asOf: "2027-01-05")
        let csv = ReportRenderer.csv(r, language: .zh)
        #expect(Array(csv.utf8.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let rows = try parseCSV(String(csv.dropFirst()))
        #expect(rows.first == ["排名", "责任单位", "应完成", "已完成", "按时完成", "逾期完成", "逾期未完成", "未到期", "完成率", "按时率", "未完成事项"])
        #expect(rows.count == 1 + 4 + 1)
        #expect(rows[1] == ["1", "内科第一党支部", "6", "6", "5", "1", "0", "0", "100.0%", "83.3%", ""])
        #expect(rows[2] == ["2", "医技党支部", "6", "6", "4", "2", "0", "0", "100.0%", "66.7%", ""])
        #expect(rows[3] == ["2", "护理党支部", "3", "3", "2", "1", "0", "0", "100.0%", "66.7%", ""])
        #expect(Array(rows[4].prefix(10)) == ["4", "外科第二党支部", "6", "4", "3", "1", "2", "0", "66.7%", "50.0%"])
        // The missing list is one cell, one item per line.
        #expect(
            rows[4][10].split(separator: "\n") == [
                "2026-12-25 支部委员会会议（2026-12） 逾期 6 个工作日",
                "2026-12-31 红色主题教育活动（2026） 逾期 2 个工作日 · 已完成 1/2",
            ]
        )
        #expect(rows[5] == ["", "合计", "21", "19", "14", "5", "2", "0", "90.5%", "66.7%", ""])
    }

    @Test func csvMonthHasNoRankColumnAndQuotesWhatNeedsIt() throws {
        let r = try fx.report("2026-11", asOf: "2027-01-05")
        let rows = try parseCSV(String(ReportRenderer.csv(r, language: .en).dropFirst()))
        #expect(rows.first?.first == "Owner")
        #expect(rows.allSatisfy { $0.count == 10 })
    }

    @Test func jsonCarriesFiguresRatesAndRanks() throws {
        let r = try fx.report("2026-Q4", asOf: "2027-01-05")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(ReportRenderer.json(r).utf8)) as? [String: Any]
        )
        #expect(object["period"] as? String == "2026-Q4")
        #expect(object["kind"] as? String == "quarter")
        #expect(object["ranked"] as? Bool == true)
        #expect(object["start"] as? String == "2026-10-01" && object["end"] as? String == "2026-12-31")
        let totals = try #require(object["totals"] as? [String: Any])
        #expect(totals["due"] as? Int == 21 && totals["on_time"] as? Int == 14 && totals["overdue"] as? Int == 2)
        #expect(totals["completion_rate"] as? Double == 0.9048)
        let owners = try #require(object["owners"] as? [[String: Any]])
        #expect(owners.map { $0["owner"] as? String } == ["内科第一党支部", "医技党支部", "护理党支部", "外科第二党支部"])
        #expect(owners.map { $0["rank"] as? Int } == [1, 2, 2, 4])
        #expect(owners.map { $0["on_time_rate"] as? Double } == [0.8333, 0.6667, 0.6667, 0.5])
        let missing = try #require(owners[3]["missing"] as? [[String: Any]])
        #expect(missing.map { $0["item"] as? String } == ["committee", "red-education"])
        #expect(missing[1]["count"] as? Int == 1 && missing[1]["required"] as? Int == 2)
        #expect(missing[0]["workdays_late"] as? Int == 6)
        let late = try #require(owners[1]["late_items"] as? [[String: Any]])
        #expect(late.map { $0["done_on"] as? String } == ["2026-10-26", "2026-12-01"])
    }

    @Test func htmlIsOneSelfContainedPrintablePage() throws {
        let r = try fx.report("2026-Q4", asOf: "2027-01-05")
        let html = ReportRenderer.html(r, language: .zh, organisation: "某某医院党委")
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        for external in ["http://", "https://", "src=", "<script", "@import", "url(", "<link"] {
            #expect(!html.contains(external), "\(external)")
        }
        #expect(html.contains("@media print"))
        #expect(html.contains("@page { size: A4"))
        #expect(html.contains("<meta charset=\"utf-8\">"))
        #expect(html.contains("某某医院党委"))
        // One on-time bar per owner, as wide as its rate, in rank order.
        let widths = html.components(separatedBy: "class=\"fill ").dropFirst().compactMap { part -> String? in
            guard let start = part.range(of: "width: "),
                let end = part.range(of: "%\"", range: start.upperBound..<part.endIndex)
            else { return nil }
            return String(part[start.upperBound..<end.lowerBound])
        }
        #expect(widths == ["83.3", "66.7", "66.7", "50.0"])
        #expect(html.components(separatedBy: "<span class=\"medal r").count - 1 == 4)
        #expect(html.contains("支部委员会会议"))
        #expect(html.contains("已完成 1/2"))
    }

    @Test func htmlEscapesWhatPlansSay() throws {
        let plan = """
            id: esc
            title: T
            owner: "A&B <科室>"
            year: 2026
            items:
              - id: x
                title: "<b>会议</b> & \\"讨论\\""
                every: quarter
                due: 15
            """
        let catalog = PlanCatalog.load(
            [PlanSource(path: "esc.yaml", bytes: Array(plan.utf8))],
            parser: PlanParser(officialYears: [2026])
        )
        #expect(catalog.diagnostics.isEmpty, "\(catalog.diagnostics.map { $0.rendered(in: .en) })")
        let occurrences = catalog.plans.flatMap { fx.expander.occurrences(of: $0) }
        let r = PeriodReport(
            period: try #require(PeriodLabel("2026")),
            occurrences: occurrences,
            completions: [],
            calendar: fx.calendar,
            asOf: day("2027-01-05")
        )
        let html = ReportRenderer.html(r, language: .en)
        #expect(html.contains("A&amp;B &lt;科室&gt;"))
        #expect(html.contains("&lt;b&gt;会议&lt;/b&gt; &amp; &quot;讨论&quot;"))
        #expect(!html.contains("<b>会议"))
        #expect(html.contains("<html lang=\"en\">"))
    }

    @Test func textReportAlignsCJKAndListsWhatIsMissing() throws {
        let r = try fx.report("2026-Q4", asOf: "2027-01-05")
        let text = ReportRenderer.text(r, language: .zh)
        #expect(text.hasPrefix("2026 年第四季度党建工作完成情况（季评比）\n"))
        #expect(!text.contains("\u{1B}["))
        // The table is the second block: header, four owners, the total.
        let blocks = text.components(separatedBy: "\n\n")
        let rows = try #require(blocks.dropFirst().first).split(separator: "\n")
        #expect(rows.count == 1 + 4 + 1)
        #expect(rows.last?.contains("合计") == true)
        // The on-time column (the last, right-aligned) ends at the same display column in every row.
        let ends = Set(
            rows.map {
                DisplayWidthProbe.width(
                    String($0).replacingOccurrences(of: " +$", with: "", options: .regularExpression)
                )
            }
        )
        #expect(ends.count == 1, "\(rows)")
        #expect(text.contains("外科第二党支部（2 项）"))
        #expect(text.contains("逾期 6 个工作日"))
        #expect(text.contains("已完成 1/2"))
        #expect(text.contains("完成于 2026-12-01"))
        let coloured = ReportRenderer.text(r, language: .en, colour: true)
        #expect(coloured.contains("\u{1B}["))
    }

    @Test func mailSummaryReadsWithoutColumns() throws {
        let r = try fx.report("2026-Q4", asOf: "2027-01-04")
        let zh = ReportRenderer.mailSummary(r, language: .zh, attachment: "党建工作完成情况-2026-Q4.html")
        #expect(zh.contains("合计：4 个单位，应完成 21 项，已完成 19 项（完成率 90.5%），按时完成 14 项（按时率 66.7%）"))
        #expect(zh.contains("  第 2 名 医技党支部：按时率 66.7%") && zh.contains("  第 2 名 护理党支部：按时率 66.7%"))
        #expect(zh.contains("  第 4 名 外科第二党支部"))
        #expect(zh.contains("    - 2026-12-31 红色主题教育活动（2026） 逾期 1 个工作日 · 已完成 1/2"))
        #expect(zh.contains("详细报告见附件 党建工作完成情况-2026-Q4.html。"))
        let en = ReportRenderer.mailSummary(r, language: .en, attachment: nil)
        #expect(en.contains("1. 内科第一党支部: on time 83.3%"))
        #expect(!en.contains("attached"))
    }

    /// Two branches with the same name in two hospitals are two owners, and
    /// the hospitals get their own ranked totals.
    @Test func unitsKeepSameNamedBranchesApartAndAreRanked() throws {
        let occurrences = fx.occurrences
        let units = [
            "fx-surgery-2026": ["市卫健委", "第一医院"], "fx-medicine-2026": ["市卫健委", "第一医院"],
            "fx-nursing-2026": ["市卫健委", "第二医院"], "fx-medtech-2026": ["市卫健委", "第二医院"],
        ]
        let r = PeriodReport(
            period: try #require(PeriodLabel("2026-Q4")),
            occurrences: occurrences,
            completions: fx.completions,
            calendar: fx.calendar,
            asOf: day("2027-01-05"),
            units: units
        )
        // 第一医院 = 外科 + 内科: 12 due, 8 on time; 第二医院 = 护理 + 医技: 9 due, 6 on time.
        // 8/12 and 6/9 are both 2/3; completion decides: 9/9 beats 10/12. By rank:
        #expect(r.units.map(\.name) == ["第二医院", "第一医院"])
        #expect(r.units.map(\.rank) == [1, 2])
        #expect(r.units.map(\.owners) == [2, 2])
        #expect(r.units[0].figures == figures("9/9/6/3/0/0/9"))
        #expect(r.units[1].figures == figures("12/10/8/2/2/0/12"))
        #expect(r.owners.map(\.units.last) == ["第一医院", "第二医院", "第二医院", "第一医院"])

        let text = ReportRenderer.text(r, language: .zh)
        #expect(text.contains("单位") && text.contains("支部数"))
        let csv = try parseCSV(String(ReportRenderer.csv(r, language: .zh).dropFirst()))
        #expect(csv.first?.prefix(3) == ["排名", "责任单位", "所属单位"])
        #expect(csv.dropFirst().first?.prefix(3) == ["1", "内科第一党支部", "市卫健委 / 第一医院"])
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(ReportRenderer.json(r).utf8)) as? [String: Any]
        )
        let jsonUnits = try #require(json["units"] as? [[String: Any]])
        #expect(jsonUnits.map { $0["name"] as? String } == ["第二医院", "第一医院"])
        #expect(jsonUnits.first?["path"] as? [String] == ["市卫健委", "第二医院"])
        let html = ReportRenderer.html(r, language: .zh)
        #expect(html.contains("各单位汇总") && html.contains("<div class=\"unit\">第一医院</div>"))
        #expect(ReportRenderer.mailSummary(r, language: .zh, attachment: nil).contains("第 1 名 第二医院（2 个支部）：按时率 66.7%"))
        // Without units, no unit table or column.
        let plain = try fx.report("2026-Q4", asOf: "2027-01-05")
        #expect(plain.units.isEmpty && !ReportRenderer.html(plain, language: .zh).contains("各单位汇总"))
    }
}
