import Foundation
import PlankeeperTestSupport
import Testing
import TextLayout

/// `--help` as an administrator reads it on an 80-column terminal: nothing
/// wider than 80 display columns (a Chinese character is two), every example
/// of a command's discussion on one line exactly as written (so it pastes),
/// and no arguments at all is a usage error.
@Suite(.serialized) struct HelpTests {
    static let commands = [
        "", "check", "schedule", "calendar", "tick", "run", "deliver", "done", "undo", "records", "mail-in", "diff",
        "status", "agenda", "report", "ics",
    ]

    @Test(arguments: commands)
    func helpFitsEightyColumns(command: String) throws {
        let r = try Binary.run(command.isEmpty ? ["--help"] : [command, "--help"], environment: ["COLUMNS": "200"])
        #expect(r.status == 0, "\(r.stderr)")
        let wide = r.stdout.split(separator: "\n").filter { DisplayWidth.of($0) > 80 }
        #expect(wide.isEmpty, "lines wider than 80 columns in `\(command) --help`:\n\(wide.joined(separator: "\n"))")
    }

    @Test(arguments: commands)
    func examplesArePrintedOneToALineAsWritten(command: String) throws {
        let r = try Binary.run(command.isEmpty ? ["--help"] : [command, "--help"])
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let examples = lines.filter { $0.hasPrefix("  plankeeper ") || $0.hasPrefix("  $ plankeeper ") }
        if command != "run" { #expect(!examples.isEmpty, "`\(command) --help` shows no example") }
        for example in examples {
            // A whole command: it ends with an argument, not in the middle of an option.
            #expect(!example.hasSuffix("--") && !example.hasSuffix(" -"), "cut example: \(example)")
        }
        // The same help through `plankeeper help COMMAND`.
        if !command.isEmpty {
            let viaHelp = try Binary.run(["help", command])
            #expect(viaHelp.stdout == r.stdout)
        }
    }

    @Test func aNarrowTerminalDoesNotRewrapTheExamples() throws {
        let wide = try Binary.run(["done", "--help"], environment: ["COLUMNS": "200"])
        let narrow = try Binary.run(["done", "--help"], environment: ["COLUMNS": "40"])
        #expect(narrow.stdout == wide.stdout)
        #expect(narrow.stdout.contains("\n  plankeeper done surgery-2-2026 committee 2026-11 --by 王五\n"))
    }

    @Test func noArgumentsIsAUsageErrorWithTheOverviewOnStderr() throws {
        let r = try Binary.run([])
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.hasPrefix("OVERVIEW: 党建工作计划提醒"))
        #expect(r.stderr.contains("SUBCOMMANDS:"))
    }
}
