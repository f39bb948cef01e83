import ArgumentParser
import Diagnostics
import Foundation
import PlanFiles
import PlanFormat
import Scheduling
import TextLayout
import Vocabulary

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "检查计划文件 (check plan files for errors).",
        discussion: """
            Each problem is printed to stderr as FILE:LINE:COLUMN: error: MESSAGE (or
            warning:), pointing at the key or value to fix. A plan with an error is left
            out; the others load. On success, one line per plan: id, owner, year, items,
            occurrences.

            示例 (example):
              $ plankeeper check plans/
              hospital-committee-2026  医院党委        2026  14 项  41 次
              surgery-2-2026           外科第二党支部  2026  17 项  89 次

              $ plankeeper check broken.yaml
              broken.yaml:12:5: error: unknown key 'titel'; did you mean 'title'?

            Exit codes: 0 no error (warnings allowed), 1 at least one error, 2 bad usage.
            """
    )

    @OptionGroup var common: CommonOptions

    @Argument(
        help: ArgumentHelp("计划文件或目录 (plan files, or folders of *.yaml / *.yml).", valueName: "PATH"),
        completion: .file(extensions: ["yaml", "yml"])
    )
    var paths: [String]

    func run() throws {
        let language = try common.language
        let loaded = try PlanLoader.load(paths: paths, holidays: common.holidays)
        Terminal.print(loaded.diagnostics, language: language)
        let expander = loaded.expander
        var table = TextTable(alignments: [.left, .left, .right, .right, .right])
        for plan in loaded.catalog.plans {
            let count = expander.occurrences(of: plan).count
            table.add([
                .init(plan.id, .bold), .init(plan.owner), .init("\(plan.year)"),
                .init(Texts.items(plan.items.count).text(in: language)),
                .init(Texts.occurrences(count).text(in: language)),
            ])
        }
        let lines = table.render(colour: Terminal.stdoutIsTTY)
        if !lines.isEmpty { Terminal.write(lines.joined(separator: "\n") + "\n") }
        // One line per template on stderr, so stdout keeps one line per plan (the contract).
        for t in loaded.catalog.templates {
            Terminal.error(
                Texts.templateApplied(t.id, file: t.file, roster: t.roster, branches: t.branches, plans: t.plans)
                    .text(in: language)
            )
        }
        let errors = loaded.diagnostics.filter { $0.severity == .error }.count
        let warnings = loaded.diagnostics.count - errors
        Terminal.error(
            Texts.checked(
                files: loaded.fileCount,
                plans: loaded.catalog.plans.count,
                errors: errors,
                warnings: warnings
            ).text(in: language)
        )
        if errors > 0 { throw ExitCode(1) }
    }
}
