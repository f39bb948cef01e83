import Config
import Daemon
import Diagnostics
import Foundation
import Ledger
import MailFormat
import Notices
import PlanFiles
import Reports
import Spool
import Testing
import Vocabulary
import WorkCalendar

@Suite struct ReportsConfigTests {
    func parse(_ yaml: String) -> (DaemonConfig?, [String]) {
        let (config, diagnostics) = DaemonConfig.parse(Array(yaml.utf8), path: "/etc/plankeeper/plankeeper.yaml")
        return (config, diagnostics.map { $0.rendered(in: .en) })
    }

    @Test func reportsEntriesParse() throws {
        let (parsed, diagnostics) = parse(
            """
            reports:
              - period: month
                to: [党委办公室 <dangban@hospital.example>]
              - period: quarter
                to: ["纪委 <jiwei@hospital.example>, zzb@hospital.example", "Wang, Wu <wangwu@hospital.example>"]
                format: csv
                language: en
                organisation: 某某医院党委
            """
        )
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let config = try #require(parsed)
        #expect(config.reports.count == 2)
        #expect(
            config.reports[0]
                == DaemonConfig.ReportSchedule(
                    period: .month,
                    to: [.init(name: "党委办公室", address: "dangban@hospital.example")]
                )
        )
        let q = config.reports[1]
        #expect(q.period == .quarter && q.format == .csv && q.language == .en && q.organisation == "某某医院党委")
        // Several on one line split at the commas between addresses, not inside a name.
        #expect(q.to.map(\.address) == ["jiwei@hospital.example", "zzb@hospital.example", "wangwu@hospital.example"])
        #expect(q.to.map(\.name) == ["纪委", "", "Wang, Wu"])
        #expect(try #require(parse("plans: p\n").0).reports.isEmpty)
    }

    @Test func mistakesAreReportedWhereTheyAre() {
        let (config, diagnostics) = parse(
            """
            reports:
              - period: weekly
                to: [nobody]
              - perod: month
                to: a@b.example
              - period: year
                to: x@y.example
                format: pdf
                language: fr
            """
        )
        #expect(config == nil)
        let file = "/etc/plankeeper/plankeeper.yaml"
        #expect(
            diagnostics.contains(
                "\(file):2:13: error: reports.period must be month, quarter, half-year or year, not 'weekly'"
            ),
            "\(diagnostics)"
        )
        #expect(
            diagnostics.contains { $0.hasPrefix("\(file):3:10: error: recipient 'nobody' is not 'Name <user@host>'") },
            "\(diagnostics)"
        )
        #expect(
            diagnostics.contains("\(file):4:5: error: unknown key 'perod'; did you mean 'period'?"),
            "\(diagnostics)"
        )
        #expect(
            diagnostics.contains { $0.hasPrefix("\(file):4:5: error: each 'reports' entry needs a period") },
            "\(diagnostics)"
        )
        #expect(diagnostics.contains("\(file):8:13: error: reports.format must be html, csv or text"), "\(diagnostics)")
        #expect(diagnostics.contains("\(file):9:15: error: reports.language must be zh or en"), "\(diagnostics)")

        let (_, notAList) = parse("reports: month\n")
        #expect(notAList.contains { $0.hasPrefix("\(file):1:10: error: 'reports' must be a list") }, "\(notAList)")
        let (_, noRecipients) = parse("reports:\n  - period: month\n")
        #expect(
            noRecipients.contains { $0.hasPrefix("\(file):2:5: error: each 'reports' entry needs 'to'") },
            "\(noRecipients)"
        )
    }
}

/// The daemon's report mail against a real spool and a real ledger in a
/// temporary folder, with the fixture's plans and records.
@Suite struct ScheduledMailTests {
    let fx: Fixture
    let folder: String
    init() throws {
        fx = try Fixture.load()
        folder =
            FileManager.default.temporaryDirectory.appendingPathComponent("pk-report-mail-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    func setUp(_ reports: [DaemonConfig.ReportSchedule]) throws -> (ScheduledReportMailer, Ledger, Spool) {
        var config = DaemonConfig()
        config.state = folder + "/state"
        config.spool = folder + "/spool"
        config.mail.from = "党建工作计划提醒 <plankeeper@hospital.example>"
        config.reports = reports
        let ledger = try Ledger.open(folder: config.state)
        for c in fx.completions {
            _ = try ledger.addRecord(
                NewRecord(
                    plan: c.plan,
                    item: c.item,
                    period: c.period,
                    doneOn: c.doneOn.description,
                    by: c.by,
                    recordedAt: 0
                )
            )
        }
        let spool = try Spool(directory: config.spool)
        return (
            ScheduledReportMailer(config: config, clock: LocalClock(identifier: "Asia/Shanghai"), spool: spool), ledger,
            spool
        )
    }

    func at(_ text: String) throws -> LocalTime { try #require(LocalTime(parsing: text)) }

    @Test func eachReportIsSpooledOnceOnTheFirstWorkingDayAfterItsPeriod() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let office = Address(name: "党委办公室", address: "dangban@hospital.example")
        let (mailer, ledger, spool) = try setUp([
            .init(period: .month, to: [office]),
            .init(period: .quarter, to: [office, .init(name: "纪委", address: "jiwei@hospital.example")], format: .csv),
        ])
        func run(_ time: String) throws -> ScheduledReportMailer.Outcome {
            let now = try at(time)
            return try mailer.run(
                plans: fx.plans,
                calendar: fx.calendar,
                ledger: ledger,
                now: now,
                at: mailer.clock.instant(now)
            )
        }
        // Before send-at on the send day: nothing yet; the next wake-up is 08:30.
        let early = try run("2027-01-04T08:29")
        #expect(early.spooled.isEmpty)
        #expect(early.next == (try at("2027-01-04T08:30")))
        let due = try run("2027-01-04T08:30")
        #expect(due.spooled.map(\.period.label) == ["2026-12", "2026-Q4"])
        #expect(due.next == (try at("2027-02-01T08:30")))
        #expect(try spool.list(.new).count == 2)
        // Again the same day, and later in the catch-up week: nothing new.
        #expect(try run("2027-01-04T17:00").spooled.isEmpty)
        #expect(try run("2027-01-11T09:00").spooled.isEmpty)
        #expect(try spool.list(.new).count == 2)
        // Delivered (moved to cur/) still counts as sent.
        for name in try spool.list(.new) {
            try FileManager.default.moveItem(
                atPath: spool.directory + "/new/" + name,
                toPath: spool.directory + "/cur/" + name
            )
        }
        #expect(try run("2027-01-05T09:00").spooled.isEmpty)
        #expect(try spool.list(.new).isEmpty)
    }

    @Test func aServiceDownOnTheSendDayCatchesUpWithinTheWindowOnly() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (mailer, ledger, _) = try setUp([
            .init(period: .month, to: [.init(name: "", address: "office@hospital.example")])
        ])
        func run(_ time: String) throws -> [String] {
            let now = try at(time)
            return try mailer.run(
                plans: fx.plans,
                calendar: fx.calendar,
                ledger: ledger,
                now: now,
                at: mailer.clock.instant(now),
                dryRun: true
            ).spooled.map(\.period.label)
        }
        // November's report is due Tue 2026-12-01; the default catch-up is 7 days.
        #expect(try run("2026-12-08T09:00") == ["2026-11"])
        #expect(try run("2026-12-09T09:00") == [])
        // October's is due on 11-02; on 11-03 before send-at it is still owed.
        #expect(try run("2026-11-03T07:00") == ["2026-10"])
    }

    @Test func theMailIsMultipartWithTheSummaryAndTheHTMLReportAttached() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (mailer, ledger, spool) = try setUp([
            .init(
                period: .quarter,
                to: [.init(name: "党委办公室", address: "dangban@hospital.example")],
                organisation: "某某医院党委"
            )
        ])
        let now = try at("2027-01-04T08:30")
        let outcome = try mailer.run(
            plans: fx.plans,
            calendar: fx.calendar,
            ledger: ledger,
            now: now,
            at: mailer.clock.instant(now)
        )
        let mail = try #require(outcome.spooled.first)
        let bytes = try #require(FileManager.default.contents(atPath: spool.directory + "/new/" + mail.name))
        #expect(Array(bytes) == mail.bytes)
        let text = try #require(String(data: bytes, encoding: .ascii), "the message is 7-bit")
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 78 }, "\(lines.filter { $0.utf8.count > 78 })")
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "bare LF")
        let boundaryLine = try #require(lines.first { $0.hasPrefix("Content-Type: multipart/mixed; boundary=\"") })
        let boundary = String(boundaryLine.dropFirst("Content-Type: multipart/mixed; boundary=\"".count).dropLast())
        #expect(
            lines.contains("To: =?UTF-8?B?\(Data("党委办公室".utf8).base64EncodedString())?= <dangban@hospital.example>")
        )
        let parts = text.components(separatedBy: "--" + boundary)
        #expect(parts.count == 4)  // preamble, text, attachment, "--" epilogue
        #expect(parts[3].hasPrefix("--"))

        func decode(_ part: String) throws -> (headers: String, body: String) {
            let split = try #require(part.range(of: "\r\n\r\n"))
            let data = try #require(
                Data(base64Encoded: part[split.upperBound...].replacingOccurrences(of: "\r\n", with: ""))
            )
            return (String(part[..<split.lowerBound]), try #require(String(data: data, encoding: .utf8)))
        }
        let summary = try decode(parts[1])
        #expect(summary.headers.contains("Content-Type: text/plain; charset=utf-8"))
        #expect(summary.body.contains("第 4 名 外科第二党支部"))
        #expect(summary.body.contains("详细报告见附件 党建工作完成情况-2026-Q4.html。"))
        let page = try decode(parts[2])
        #expect(page.headers.contains("Content-Type: text/html; charset=utf-8;"))
        #expect(page.headers.contains("Content-Disposition: attachment;"))
        #expect(page.body.hasPrefix("<!DOCTYPE html>") && page.body.contains("某某医院党委"))
        // RFC 2231 name: the segments, concatenated and percent-decoded, give the name back.
        let segments = page.headers.components(separatedBy: "\r\n").filter { $0.hasPrefix(" filename*") }
        #expect(segments.count >= 2)
        var encoded = ""
        for segment in segments {
            let equals = try #require(segment.firstIndex(of: "="))
            var value = String(segment[segment.index(after: equals)...])
            if value.hasSuffix(";") { value.removeLast() }
            encoded += value
        }
        #expect(encoded.hasPrefix("utf-8''"))
        encoded.removeFirst("utf-8''".count)
        #expect(encoded.removingPercentEncoding == "党建工作完成情况-2026-Q4.html")
    }
}
