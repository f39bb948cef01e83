import Foundation
import PlankeeperTestSupport
import Testing

/// `done` applies the rules every front door applies (issue 16): a date
/// outside the window needs --force (and says so in the log), a second
/// record is refused; `records` lists where each came from.
@Suite(.serialized) struct RecordRulesCLITests {
    let folder: URL
    let config: String
    static let plans = Binary.root.appendingPathComponent("Tests/ReportsTests/Fixtures/q4-2026/plans").path

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("pk-rules-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        config = folder.appendingPathComponent("plankeeper.yaml").path
        try "plans: \(Self.plans)\nholidays: null\nstate: state\nspool: spool\n".write(
            toFile: config,
            atomically: true,
            encoding: .utf8
        )
    }

    func done(_ args: String...) throws -> Run {
        try Binary.run(
            ["done"] + args + ["--config", config, "--now", "2026-11-20T10:00"],
            environment: ["PLANKEEPER_LOG": "stderr"]
        )
    }

    @Test func datesOutsideThePeriodNeedForceAndSecondRecordsAreRefused() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let early = try done("fx-surgery-2026", "committee", "2026-11", "--date", "2026-10-30")
        #expect(early.status == 1)
        #expect(early.stderr.contains("早于周期 2026-11 的开始（2026-11-01）"))
        #expect(early.stderr.contains("--force"))
        let future = try done("fx-surgery-2026", "committee", "2026-11", "--date", "2026-11-21")
        #expect(future.status == 1 && future.stderr.contains("晚于今天"))
        let forced = try done(
            "fx-surgery-2026",
            "committee",
            "2026-11",
            "--date",
            "2026-10-30",
            "--force",
            "--by",
            "王五"
        )
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stderr.contains("plankeeper_forced=before-period"))
        #expect(forced.stderr.contains("plankeeper_source=cli"))
        let again = try done("fx-surgery-2026", "committee", "2026-11", "--date", "2026-11-19", "--force")
        #expect(again.status == 1)
        #expect(again.stderr.contains("该事项本周期已于 10-30 由王五登记完成；如需更改，请先撤销"))

        let json = try Binary.run(["records", "--format", "json", "--config", config])
        let array = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(array.count == 1)
        #expect(array[0]["source"] as? String == "cli" && array[0]["done_on"] as? String == "2026-10-30")
        #expect((array[0]["recorded_at"] as? String)?.hasPrefix("2026-11-20T10:00:00+08:00") == true)
        let csv = try Binary.run(["records", "--format", "csv", "--config", config])
        #expect(csv.stdout.hasPrefix("\u{FEFF}plan,item,period,done_on,recorded_at,by,source,note,evidence\r\n"))
        let text = try Binary.run(["records", "--config", config])
        #expect(text.stdout.contains("命令行"))
    }
}
