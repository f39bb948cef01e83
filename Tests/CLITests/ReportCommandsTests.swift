import Foundation
import PlankeeperTestSupport
import Testing

/// `status`, `agenda`, `report` and `ics` as a user runs them: the built
/// binary, a configuration in a temporary folder, records entered with
/// `plankeeper done`. (The formats' figures are checked in ReportsTests and
/// by Tests/reports with independent parsers.)
@Suite(.serialized) struct ReportCommandsTests {
    let folder: URL
    let config: String
    static let plans = Binary.root.appendingPathComponent("Tests/ReportsTests/Fixtures/q4-2026/plans").path

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("pk-report-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        config = folder.appendingPathComponent("plankeeper.yaml").path
        try """
        plans: \(Self.plans)
        holidays: null
        state: state
        spool: spool
        """.write(toFile: config, atomically: true, encoding: .utf8)
    }

    func done(_ args: String...) throws {
        let r = try Binary.run(["done"] + args + ["--config", config])
        #expect(r.status == 0, "\(r.stderr)")
    }

    /// `records --format csv` goes through the one CSV writer: a note that
    /// Excel would run as a formula is written with a leading `'`.
    @Test func recordsCSVDefusesFormulas() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try done(
            "fx-surgery-2026",
            "committee",
            "2026-10",
            "--date",
            "2026-10-22",
            "--by",
            "王五",
            "--note",
            "=HYPERLINK(\"http://evil.example\",\"点此\")"
        )
        let r = try Binary.run(["records", "--config", config, "--format", "csv"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.components(separatedBy: "\r\n")
        #expect(lines.first == "\u{FEFF}plan,item,period,done_on,recorded_at,by,source,note,evidence")
        let row = try #require(lines.dropFirst().first)
        #expect(row.hasPrefix("fx-surgery-2026,committee,2026-10,2026-10-22,"), "\(row)")
        #expect(row.hasSuffix(",王五,cli,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"点此\"\")\","), "\(row)")
    }

    @Test func statusShowsEachStateAlignedAndPlainWhenPiped() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try done("fx-surgery-2026", "committee", "2026-10", "--date", "2026-10-22")
        try done("fx-surgery-2026", "committee", "2026-11", "--date", "2026-11-30")
        try done("fx-surgery-2026", "red-education", "2026", "--date", "2026-06-10")
        let r = try Binary.run(["status", "--config", config, "--owner", "外科第二党支部", "--now", "2026-12-01"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stdout.contains("\u{1B}["))
        #expect(r.stdout.hasPrefix("截至 2026-12-01（周二）\n"))
        let rows = r.stdout.split(separator: "\n").filter { $0.hasPrefix("  2026-1") }
        let october = try #require(rows.first { $0.contains("2026-10-23") })
        #expect(october.contains("按时完成") && october.hasSuffix("2026-10-22"))
        let november = try #require(rows.first { $0.contains("2026-11-25") })
        #expect(november.contains("逾期完成（晚 3 个工作日）"))
        let review = try #require(rows.first { $0.contains("述职评议") })
        #expect(review.contains("逾期 2 个工作日"))
        let red = try #require(rows.first { $0.contains("红色主题教育活动") })
        #expect(red.contains("未到期") && red.hasSuffix("1/2"))
        let december = try #require(rows.first { $0.contains("2026-12-25") })
        #expect(december.contains("未到期"))
        #expect(!r.stdout.split(separator: "\n").contains { $0.hasSuffix(" ") })

        let json = try Binary.run([
            "status", "--config", config, "--now", "2026-12-01", "--format", "json", "--lang", "en",
        ])
        #expect(json.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let plans = try #require(object["plans"] as? [[String: Any]])
        #expect(plans.count == 4)
        let surgery = try #require(plans.first { $0["plan"] as? String == "fx-surgery-2026" })
        let counts = try #require(surgery["counts"] as? [String: Int])
        #expect(counts["done"] == 1 && counts["late"] == 1)
    }

    @Test func colourOnlyOnATerminal() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { return }
        // script(1) gives the command a pseudo-terminal, as an interactive shell would.
        let command = "'\(Binary.path.path)' status '\(Self.plans)' --now 2026-12-01 --lang en"
        let r = try Binary.runTool("/usr/bin/script", ["-qec", command, "/dev/null"])
        #expect(r.stdout.contains("\u{1B}[1;31moverdue"), "\(r.stdout.prefix(300))")
        let noColour = try Binary.runTool(
            "/usr/bin/script",
            ["-qec", command, "/dev/null"],
            environment: ["NO_COLOR": "1"]
        )
        #expect(!noColour.stdout.contains("\u{1B}["))
    }

    @Test func agendaReportAndICSFromTheCommandLine() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let agenda = try Binary.run(["agenda", Self.plans, "--now", "2026-11-20", "--days", "8"])
        #expect(agenda.status == 0)
        #expect(agenda.stdout.hasPrefix("未来 8 天到期的工作（2026-11-20 至 2026-11-27）\n"))
        #expect(agenda.stderr.contains("未指定 --config"))

        let csv = try Binary.run(["report", "2026-Q4", "--config", config, "--now", "2027-01-05", "--format", "csv"])
        #expect(csv.status == 0)
        #expect(csv.stdout.hasPrefix("\u{FEFF}排名,责任单位,"))
        let html = try Binary.run([
            "report", "2026", "--config", config, "--now", "2027-01-05", "--format", "html", "--lang", "en",
        ])
        #expect(html.stdout.hasPrefix("<!DOCTYPE html>") && html.stdout.contains("<html lang=\"en\">"))

        let ics = try Binary.run(["ics", Self.plans, "--owner", "护理党支部", "--now", "2026-11-18"])
        #expect(ics.status == 0)
        #expect(ics.stdout.hasPrefix("BEGIN:VCALENDAR\r\n"))
        #expect(ics.stdout.components(separatedBy: "BEGIN:VEVENT").count - 1 == 12)
        #expect(ics.stdout.contains("UID:fx-nursing-2026/committee/2026-11@plankeeper\r\n"))
    }

    @Test func mistakesExitTwoAndUnknownOwnersOne() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        for args in [
            ["report", "2026-13", Self.plans], ["report", "2026-Q5", Self.plans],
            ["agenda", "--days", "0", Self.plans],
            ["status", "--now", "2026-02-30", Self.plans], ["status", "--now", "9999-01-01", Self.plans],
            ["ics", "--alarm-at", "8:3", Self.plans], ["status", "--format", "xml", Self.plans],
            ["status", "--lang", "fr", Self.plans], ["status", "/nonexistent/plans"],
            ["status", "--config", "/nonexistent/plankeeper.yaml"],
        ] {
            let r = try Binary.run(args)
            #expect(r.status == 2, "\(args): \(r.status) \(r.stderr)")
        }
        let unknown = try Binary.run(["ics", Self.plans, "--owner", "外科二支部"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("您是否想写“外科第二党支部”？"), "\(unknown.stderr)")
        #expect(unknown.stdout.isEmpty)
    }

    @Test func helpHasWorkedExamples() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let top = try Binary.run(["--help"])
        for name in ["status", "agenda", "report", "ics"] {
            #expect(top.stdout.contains("  \(name) "), "\(name) missing from --help")
        }
        for name in ["status", "agenda", "report", "ics"] {
            let r = try Binary.run([name, "--help"])
            #expect(r.status == 0)
            #expect(r.stdout.contains("示例 (examples):") && r.stdout.contains("plankeeper \(name) "), "\(name)")
        }
    }
}

extension Binary {
    /// Runs another program (script(1) for a pseudo-terminal) with the same environment rules.
    static func runTool(_ tool: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.currentDirectoryURL = root
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NO_COLOR")
        env.removeValue(forKey: "PLANKEEPER_LANG")
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self), stderr: "")
    }
}
