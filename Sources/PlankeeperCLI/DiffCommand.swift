import ArgumentParser
import Diagnostics
import PlanFiles
import PlanFormat
import Scheduling
import Vocabulary

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "比较两个版本的计划对日程的影响 (show how an edit changes the schedule).",
        discussion: """
            Compares the occurrences of OLD and NEW (files or folders) by plan, item and
            period: + added, - removed, ~ moved or retitled. Exit code 0 when nothing
            changes, 1 when something does, 2 on trouble — like diff(1). The daemon logs the
            same after a reload.

            示例 (example):
              cp /etc/plankeeper/plans/surgery-2-2026.yaml /tmp/new.yaml && vi /tmp/new.yaml
              plankeeper diff /etc/plankeeper/plans/surgery-2-2026.yaml /tmp/new.yaml
            """
    )

    @OptionGroup var common: CommonOptions
    @Argument(help: "原计划 (old plan file or folder).", completion: .file(extensions: ["yaml", "yml"])) var old: String
    @Argument(help: "新计划 (new plan file or folder).", completion: .file(extensions: ["yaml", "yml"])) var new: String

    func run() throws {
        let language = try common.language
        let a = try PlanLoader.load(paths: [old], holidays: common.holidays)
        let b = try PlanLoader.load(paths: [new], holidays: common.holidays)
        Terminal.print(a.diagnostics + b.diagnostics, language: language)
        if b.diagnostics.hasErrors { throw ExitCode(2) }
        let before = a.catalog.plans.flatMap { a.expander.occurrences(of: $0) }
        let after = b.catalog.plans.flatMap { b.expander.occurrences(of: $0) }
        let diff = PlanDiff(old: before, new: after)
        var out = ""
        for change in diff.changes {
            switch change {
            case .added(let o): out += "+ \(o.due) \(o.planID)/\(o.itemID) \(o.period)  \(o.title)\n"
            case .removed(let o): out += "- \(o.due) \(o.planID)/\(o.itemID) \(o.period)  \(o.title)\n"
            case .moved(let x, let y): out += "~ \(x.due) → \(y.due) \(y.planID)/\(y.itemID) \(y.period)  \(y.title)\n"
            case .retitled(let x, let y):
                out += "~ \(y.due) \(y.planID)/\(y.itemID) \(y.period)  \(x.title) → \(y.title)\n"
            }
        }
        Terminal.write(out)
        Terminal.error(Texts.changes(diff.changes.count).text(in: language))
        if !diff.isEmpty { throw ExitCode(1) }
    }
}
