import Foundation
import PlanFormat
import Records
import Reports
import Testing
import Vocabulary

/// How records arrived, in status and reports (issue 16): by reply, on the
/// web, by the admin, with how many files — shown, never scored.
@Suite struct ArrivalsTests {
    let fx: Fixture

    init() throws { fx = try Fixture.load() }

    /// The fixture's records, the October ones made by mail with a photo each,
    /// one November one on the web.
    func report() throws -> PeriodReport {
        let completions = fx.completions.map { c -> Completion in
            var c = c
            if c.period == "2026-10" {
                c.source = .mail
                c.evidence = 1
            }
            if c.period == "2026-11" && c.plan == "fx-surgery-2026" { c.source = .web }
            return c
        }
        let r = PeriodReport(
            period: try #require(PeriodLabel("2026-Q4")),
            occurrences: fx.occurrences,
            completions: completions,
            calendar: fx.calendar,
            asOf: day("2027-01-05")
        )
        return r
    }

    @Test func reportsCountHowRecordsArrivedWithoutScoringThem() throws {
        let r = try report()
        let plain = PeriodReport(
            period: try #require(PeriodLabel("2026-Q4")),
            occurrences: fx.occurrences,
            completions: fx.completions,
            calendar: fx.calendar,
            asOf: day("2027-01-05")
        )
        // The figures and the ranking do not depend on how records arrived.
        #expect(r.owners.map(\.figures) == plain.owners.map(\.figures))
        #expect(r.owners.map(\.owner) == plain.owners.map(\.owner))
        let total = r.arrivals
        #expect(total.records == plain.arrivals.records)
        #expect(total.mail > 0 && total.web > 0 && total.cli > 0)
        #expect(total.evidence == total.mail)
        #expect(plain.arrivals.mail == 0 && plain.arrivals.cli == plain.arrivals.records)

        let text = ReportRenderer.text(r, language: .zh)
        #expect(text.contains("登记方式与附件"))
        #expect(
            text.contains("合计")
                && text.contains("邮件回复 \(total.mail) · 网页 \(total.web) · 命令行 \(total.cli) · 附件 \(total.evidence)")
        )
        #expect(text.contains("附件仅作留档，不计入完成率和排名。"))
        let html = ReportRenderer.html(r, language: .en)
        #expect(html.contains("<h2>How records arrived</h2>"))
        #expect(html.contains("<td class=\"n\">\(total.mail)</td><td class=\"n\">\(total.web)</td>"))
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(ReportRenderer.json(r).utf8)) as? [String: Any]
        )
        let arrivals = try #require(json["arrivals"] as? [String: Int])
        #expect(arrivals == ["mail": total.mail, "web": total.web, "cli": total.cli, "evidence": total.evidence])
        let owners = try #require(json["owners"] as? [[String: Any]])
        #expect(owners.allSatisfy { $0["arrivals"] is [String: Int] })
        // No records: no section.
        let empty = PeriodReport(
            period: try #require(PeriodLabel("2026-Q4")),
            occurrences: fx.occurrences,
            completions: [],
            calendar: fx.calendar,
            asOf: day("2027-01-05")
        )
        #expect(!ReportRenderer.text(empty, language: .zh).contains("登记方式与附件"))
    }

    @Test func statusShowsHowEachRecordArrived() throws {
        let completions = fx.completions.map { c -> Completion in
            var c = c
            if c.period == "2026-10" {
                c.source = .mail
                c.evidence = 2
            }
            return c
        }
        let board = StatusBoard(
            plans: fx.plans.filter { $0.id == "fx-surgery-2026" },
            expander: fx.expander,
            completions: completions,
            today: day("2026-12-01")
        )
        let text = board.text(language: .zh, colour: false)
        let october = try #require(text.split(separator: "\n").first { $0.contains("2026-10-23") })
        #expect(october.contains("邮件·附件2"))
        #expect(board.json().contains("\"records\": {\"mail\": 1, \"web\": 0, \"cli\": 0, \"evidence\": 2}"))
    }
}
