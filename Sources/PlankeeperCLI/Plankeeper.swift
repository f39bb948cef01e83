import ArgumentParser
import BuildInfo
import Diagnostics
import Foundation
import PlanFiles
import Vocabulary

/// The `plankeeper` command. Exit codes: 0 success (warnings allowed),
/// 1 a plan or data error, 2 bad usage.
public struct Plankeeper: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "plankeeper",
        abstract:
            "党建工作计划提醒：按中国法定工作日历计算每项工作的到期日并提醒。Keeps party-building work plans on schedule on China's working-day calendar.",
        discussion: """
            先检查计划，再看日程和日历 (check plans, then the schedule and the calendar):
              plankeeper check plans/
              plankeeper schedule plans/ --from 2026-11-01 --to 2026-12-31
              plankeeper calendar 2026 --month 2
            提醒服务 (the notice service; config/local.yaml runs on plans/ without root):
              plankeeper tick --config config/local.yaml --dry-run
              plankeeper done surgery-2-2026 committee 2026-11 --config config/local.yaml
              plankeeper run --config config/local.yaml
            完成情况与报告 (status, what is coming, reports, phone calendars):
              plankeeper status --config config/local.yaml
              plankeeper agenda --config config/local.yaml --days 7
              plankeeper report 2026-Q4 --config config/local.yaml --format html > q4.html
              plankeeper ics plans/ --owner 外科第二党支部 > 外科第二党支部.ics

            退出码 (exit codes): 0 正常（可有警告）, 1 计划或数据有错误, 2 用法错误.
            English output: --lang en, or PLANKEEPER_LANG=en.
            """,
        version: BuildInfo.versionLine,
        subcommands: [
            Check.self, ScheduleCommand.self, CalendarCommand.self, TickCommand.self, RunCommand.self,
            DeliverCommand.self, DoneCommand.self, UndoCommand.self, RecordsCommand.self, BackupCommand.self,
            PruneCommand.self, MailInCommand.self, DiffCommand.self, StatusCommand.self, AgendaCommand.self,
            ReportCommand.self, ICSCommand.self,
        ]
    )

    public init() {}

    /// Runs the command line and exits with a meaningful code: argument
    /// errors exit 2 (as the plan-format contract says), not 64.
    public static func runMain() async -> Never {
        // No command at all is a usage error (exit 2), not a request for
        // help: the overview goes to stderr, as for any other usage error.
        if CommandLine.arguments.count <= 1 {
            Terminal.error(HelpLayout.layout(helpMessage(columns: HelpLayout.unwrapped)))
            Foundation.exit(2)
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Foundation.exit(0)
        } catch let error as UsageError {
            Terminal.error("plankeeper: error: \(error.description)")
            Foundation.exit(2)
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            let exitCode = Self.exitCode(for: error)
            let message = HelpLayout.layout(Self.fullMessage(for: error, columns: HelpLayout.unwrapped))
            if exitCode == .success {
                if !message.isEmpty { Terminal.write(message + "\n") }
                Foundation.exit(0)
            }
            Terminal.error(message)
            Foundation.exit(exitCode == .validationFailure ? 2 : exitCode.rawValue)
        }
    }
}

/// Options every command shares.
struct CommonOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "输出语言 zh 或 en (output language; default zh, or $PLANKEEPER_LANG).",
        completion: .list(["zh", "en"])
    )
    var lang: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "管理员节假日目录，可新增或覆盖年份 (admin holiday folder; adds or overrides years).",
            discussion: "Default: $PLANKEEPER_HOLIDAYS, else /etc/plankeeper/holidays when it exists.",
            valueName: "DIR"
        ),
        completion: .directory
    )
    var holidays: String?

    var language: Language {
        get throws {
            let chosen = lang ?? ProcessInfo.processInfo.environment["PLANKEEPER_LANG"]
            guard let chosen, !chosen.isEmpty else { return .zh }
            guard let l = Language(identifier: chosen) else {
                throw ValidationError("--lang must be zh or en, not '\(chosen)'")
            }
            return l
        }
    }
}
