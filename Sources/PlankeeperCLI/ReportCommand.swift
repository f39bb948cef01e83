import ArgumentParser
import Foundation
import Reports
import Vocabulary

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "一个时期各单位的完成情况与排名 (completion by owner for a month, quarter, half-year or year, with a ranking).",
        discussion: """
            PERIOD is 2026-11 (月督导), 2026-Q4 (季评比), 2026-H2 or 2026 (年度表彰). For
            each owner (branch): obligations due in the period, done, done on time, done
            late, overdue, not yet due, the completion and on-time rates, and what is
            missing. Rates count only what can be judged on --now (default today): done, or
            due before it. Quarters, half-years and years rank the owners by on-time rate,
            then completion rate; equal rates share a rank and the next rank is skipped (1,
            1, 3). Formats: text (terminal, also the mail body); json; csv (UTF-8 with BOM
            and CRLF, so Excel opens the Chinese text; one row per owner, then the total);
            html (one self-contained printable A4 page, no external files). See
            docs/reports.md.

            示例 (examples):
              plankeeper report 2026-Q4 --config config/local.yaml
              plankeeper report 2026-11 --config config/local.yaml --format csv > 11.csv
              plankeeper report 2026 --format html --organisation 某某医院党委 > 2026.html
              plankeeper report 2026-Q4 plans/ --now 2027-01-04 --format json
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, csv, html }

    @Argument(help: ArgumentHelp("统计时期 (period): 2026-11, 2026-Q4, 2026-H2, 2026.", valueName: "PERIOD"))
    var period: String

    @Argument(
        help: ArgumentHelp(
            "计划文件或目录；省略时用配置中的计划目录 (plan files or folders; default: the config's plans).",
            valueName: "PATH"
        ),
        completion: .file(extensions: ["yaml", "yml"])
    )
    var paths: [String] = []

    @OptionGroup var inputs: ReportInputOptions

    @Option(help: "text、json、csv 或 html (output format).")
    var format: Format = .text

    @Option(
        help: ArgumentHelp("HTML 报告抬头的单位名称 (issuing body shown above the HTML title, e.g. 某某医院党委).", valueName: "NAME")
    )
    var organisation: String?

    func validate() throws {
        guard PeriodLabel(period) != nil else {
            throw ValidationError(
                "PERIOD must be a month 2026-11, a quarter 2026-Q4, a half-year 2026-H2 or a year 2026, not '\(period)'"
            )
        }
    }

    func run() throws {
        guard let reportPeriod = PeriodLabel(period) else { throw ValidationError("bad PERIOD '\(period)'") }
        let input = try ReportInputs.load(paths: paths, options: inputs)
        let report = PeriodReport(
            period: reportPeriod,
            occurrences: input.occurrences,
            completions: input.completions,
            calendar: input.calendar,
            asOf: input.today,
            units: input.units,
            isHistory: input.historyRule()
        )
        let l = input.language
        switch format {
        case .text: Terminal.write(ReportRenderer.text(report, language: l, colour: Terminal.stdoutIsTTY))
        case .json: Terminal.write(ReportRenderer.json(report, language: l))
        case .csv: Terminal.write(ReportRenderer.csv(report, language: l))
        case .html: Terminal.write(ReportRenderer.html(report, language: l, organisation: organisation))
        }
        if input.hadErrors { throw ExitCode(1) }
    }
}
