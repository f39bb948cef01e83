import ArgumentParser
import Foundation
import Reports

struct AgendaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agenda",
        abstract: "未来几天到期的工作 (what falls due in the next days, across all plans, by date).",
        discussion: """
            Lists every occurrence due from --now (default today) through the next --days
            days (default 14, today included), grouped by date, with its owner and state;
            done ones are shown as done. Below, what fell due in the last 30 days and is
            still not done; older debts are counted, and `plankeeper status` lists them all.
            JSON (--format json): {"today", "through", "overdue_since", "older_overdue",
            "due": [...], "overdue": [...]} with the occurrence objects of `status`.

            示例 (examples):
              plankeeper agenda --config config/local.yaml
              plankeeper agenda --config config/local.yaml --days 7 --now 2026-11-20
              plankeeper agenda plans/ --days 31 --lang en
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var inputs: ReportInputOptions

    @Option(help: ArgumentHelp("向后看几天，含今天 (how many days ahead, today included; 1–366).", valueName: "N"))
    var days: Int = 14

    @Option(help: "text 或 json (output format).")
    var format: Format = .text

    @Option(help: ArgumentHelp("只看一个责任单位 (only this owner's plans).", valueName: "NAME"))
    var owner: String?

    @Argument(
        help: ArgumentHelp(
            "计划文件或目录；省略时用配置中的计划目录 (plan files or folders; default: the config's plans).",
            valueName: "PATH"
        ),
        completion: .file(extensions: ["yaml", "yml"])
    )
    var paths: [String] = []

    func validate() throws {
        guard (1...366).contains(days) else {
            throw ValidationError("--days takes a number from 1 to 366, not \(days)")
        }
    }

    func run() throws {
        var input = try ReportInputs.load(paths: paths, options: inputs)
        try input.filter(owner: owner)
        let agenda = Agenda(
            occurrences: input.occurrences,
            completions: input.completions,
            calendar: input.calendar,
            today: input.today,
            days: days
        )
        switch format {
        case .json: Terminal.write(agenda.json())
        case .text:
            Terminal.write(
                agenda.text(language: input.language, colour: Terminal.stdoutIsTTY, calendar: input.calendar)
            )
        }
        if input.hadErrors { throw ExitCode(1) }
    }
}
