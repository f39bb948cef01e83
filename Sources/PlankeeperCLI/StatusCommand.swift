import ArgumentParser
import Reports

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "每项工作的完成情况 (where every occurrence stands: done on time, late, overdue, due soon, upcoming).",
        discussion: """
            Per plan, one line per occurrence with its state on --now (default today):
            按时完成 done on time · 逾期完成 done late (working days late) · 逾期 N 个工作日
            overdue · 即将到期 due within 5 working days · 未到期 upcoming. A `times` item
            (e.g. 红色教育 2–3 次) shows how many times are recorded (1/2) and is done at
            its minimum. Records dated after --now are ignored, so --now shows a past day as
            it was. Colour on a terminal only (NO_COLOR turns it off); plain text when
            piped. JSON (--format json): {"today", "plans": [{"plan", "title", "owner",
            "year", "counts", "occurrences": [{"item", "title", "owner", "period", "due",
            "state", "done_on", "workdays_late" | "workdays_left", "count", "required",
            "min", "max"}]}]} with state one of done, late, overdue, due-soon, upcoming.

            示例 (examples):
              plankeeper status --config config/local.yaml
              plankeeper status plans/surgery-2-2026.yaml --config config/local.yaml
              plankeeper status --config config/local.yaml --now 2026-11-26
              plankeeper status --owner 外科第二党支部 --format json | jq '.plans[0].counts'
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var inputs: ReportInputOptions

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

    func run() throws {
        var input = try ReportInputs.load(paths: paths, options: inputs)
        try input.filter(owner: owner)
        let board = StatusBoard(
            plans: input.plans,
            expander: input.expander,
            completions: input.completions,
            today: input.today,
            isHistory: input.historyRule()
        )
        switch format {
        case .json: Terminal.write(board.json())
        case .text: Terminal.write(board.text(language: input.language, colour: Terminal.stdoutIsTTY))
        }
        if input.hadErrors { throw ExitCode(1) }
    }
}
