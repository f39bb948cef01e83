import Foundation
import PlankeeperTestSupport
import Testing

/// Tab completion as the shell scripts ask for it (`plankeeper ---completion
/// SUBCOMMAND -- ARGUMENT CWORD CURSOR WORDS…`): plan ids, item ids and the
/// periods still open (or, for undo, recorded), read from the plans and the
/// ledger the command line's --config names.
@Suite(.serialized) struct CompletionTests {
    let folder: URL
    let config: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("pk-completion-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("plans"),
            withIntermediateDirectories: true
        )
        config = folder.appendingPathComponent("plankeeper.yaml").path
        try "plans: plans\nstate: state\nspool: spool\nmail:\n  transport: none\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        try """
        id: ward-7-2025
        title: 第七病区党支部 2025 年党建工作计划
        owner: 第七病区党支部
        year: 2025
        contacts:
          secretary: 李四 <lisi@hospital.example>
        items:
          - id: committee
            title: 支部委员会
            every: month
            due: 25
          - id: lecture
            title: 党课
            every: quarter
            due: last-workday
        """.write(to: folder.appendingPathComponent("plans/ward.yaml"), atomically: true, encoding: .utf8)
    }

    func complete(_ subcommand: String, _ argument: String, _ words: [String]) throws -> [String] {
        let all = ["plankeeper", subcommand, "--config", config] + words
        let r = try Binary.run(
            [
                "---completion", subcommand, "--", argument, String(all.count - 1),
                String(all.last?.count ?? 0),
            ] + all
        )
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty, "completion printed to stderr: \(r.stderr)")
        return r.stdout.split(separator: "\n").map(String.init)
    }

    @Test func plansItemsAndPeriods() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try complete("done", "positional@0", [""]) == ["ward-7-2025"])
        #expect(try complete("done", "positional@1", ["ward-7-2025", ""]) == ["committee", "lecture"])
        #expect(try complete("done", "positional@1", ["ward-7-2025", "lec"]) == ["lecture"])
        let months = (1...12).reversed().map { String(format: "2025-%02d", $0) }
        #expect(try complete("done", "positional@2", ["ward-7-2025", "committee", ""]) == months)
        // Nothing written by completing: no ledger yet.
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("state").path))

        let done = try Binary.run([
            "done", "--config", config, "ward-7-2025", "committee", "2025-03", "--date", "2025-03-20",
        ])
        #expect(done.status == 0, "\(done.stderr)")
        #expect(
            try complete("done", "positional@2", ["ward-7-2025", "committee", ""]) == months.filter { $0 != "2025-03" }
        )
        #expect(try complete("undo", "positional@2", ["ward-7-2025", "committee", ""]) == ["2025-03"])
        #expect(
            try complete("done", "positional@2", ["ward-7-2025", "lecture", "2025-Q"])
                == ["2025-Q4", "2025-Q3", "2025-Q2", "2025-Q1"]
        )
    }

    @Test func aMissingConfigurationOffersNothingQuietly() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let r = try Binary.run([
            "---completion", "done", "--", "positional@0", "3", "0",
            "plankeeper", "done", "--config", "/nonexistent/plankeeper.yaml", "",
        ])
        #expect(r.status == 0)
        #expect(r.stdout.isEmpty && r.stderr.isEmpty)
    }
}
