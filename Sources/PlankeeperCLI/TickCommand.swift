import ArgumentParser
import Config
import Daemon
import Diagnostics
import Foundation
import Logging
import Notices
import PlanFiles
import PlanFormat
import Scheduling
import Spool

struct TickCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tick",
        abstract: "运行一次提醒周期后退出 (run one notice cycle and exit).",
        discussion: """
            Exactly what the daemon does when it wakes: decide which notices are due now,
            write each into the mail spool once, log it to the journal, and record it in the
            ledger. Run it from cron or a systemd timer instead of the daemon, to test, or
            with --dry-run to see what would go out now without sending anything.

            A notice goes out at send-at (default 08:30) on its day, a person's notices of
            one moment in one mail. A first run never floods: tracking starts then (or on
            track-from), and what was due more than catch-up (7 days) before is history,
            listed once in one backlog digest per person and never mailed again. Mail found
            due outside send-window on working days (at night, on a Sunday) waits for the
            next working day's send-at, and the run says until when.

            示例 (examples):
              plankeeper tick --config config/local.yaml --dry-run
              plankeeper tick --config config/local.yaml --now 2026-11-18T08:30
              plankeeper tick --now 2026-11-18T08:30:00+08:00
            """
    )

    @OptionGroup var options: ConfigOptions

    @Option(
        help: ArgumentHelp(
            "假定的当前时间 (pretend it is this time): YYYY-MM-DD, YYYY-MM-DDTHH:MM local, or ISO 8601 with zone.",
            valueName: "INSTANT"
        )
    )
    var now: String?

    @Flag(help: "只显示将要发送的提醒，不写入 (print what would go out; spool and record nothing).")
    var dryRun = false

    func run() throws {
        let config = try options.load()
        let clock = LocalClock(identifier: config.timezone)
        var instant = Date()
        if let now {
            guard let parsed = clock.parseInstant(now) else {
                throw ValidationError("--now takes YYYY-MM-DD, YYYY-MM-DDTHH:MM or an ISO 8601 instant, not '\(now)'")
            }
            instant = parsed
        }
        Logs.bootstrap()
        let loaded = try PlanLoader.load(paths: [config.plans], holidays: config.holidays)
        Terminal.print(loaded.diagnostics, language: config.language)
        let ledger = try Ledger.openForCLI(config)
        let spool = try Spool.openForCLI(config, logger: Logger(label: "plankeeper"))
        let runner = TickRunner(config: config, ledger: ledger, spool: spool, logger: Logger(label: "plankeeper"))
        let report: TickRunner.Report
        do {
            report = try runner.run(plans: loaded.catalog.plans, calendar: loaded.calendar, at: instant, dryRun: dryRun)
        } catch {
            Terminal.error("plankeeper: error: \(error)")
            throw ExitCode(1)
        }
        let language = config.language
        if !report.retired.isEmpty {
            Terminal.error(
                "plankeeper: info: "
                    + TickRunner.retiredLine(
                        report.retired,
                        horizonDays: config.overdueHorizonDays,
                        language: config.language
                    )
            )
        }
        if dryRun {
            for n in report.sent {
                let o = n.occurrence
                Terminal.write(
                    "\(n.kind.rawValue)\t\(o.planID)\t\(o.itemID)\t\(o.period)\t\(o.due)\t\(n.recipient.address)\t\(o.owner) · \(o.title)\n"
                )
            }
            for d in report.digests {
                Terminal.write("backlog\t\(d.total)\t\(d.recipient.address)\n")
            }
            for d in report.overdueDigests {
                Terminal.write("digest\t\(d.total)\t\(d.recipient.address)\n")
            }
            for n in report.digested {
                let o = n.occurrence
                Terminal.write(
                    "escalation→digest\t\(o.planID)\t\(o.itemID)\t\(o.period)\t\(o.due)\t\(n.recipient.address)\t\(o.owner) · \(o.title)\n"
                )
            }
            for r in report.reports {
                Terminal.write("report\t\(r.period)\t\(r.recipients.joined(separator: ","))\n")
            }
        }
        if let until = report.heldUntil, report.held > 0 {
            Terminal.error(
                "plankeeper: "
                    + TickRunner.heldLine(report.held, now: report.now, until: until, language: config.language)
            )
        }
        let next = report.next.map(\.description) ?? Texts.noNextNotice.text(in: language)
        Terminal.error(
            Texts.tickSummary(
                now: report.now.description,
                dryRun: dryRun,
                notices: report.sent.count,
                combined: report.combined,
                backlogs: report.digests.count,
                overdueDigests: report.overdueDigests.count,
                reports: report.reports.count,
                already: report.alreadySpooled,
                next: next
            ).text(in: language)
        )
        if loaded.diagnostics.hasErrors { throw ExitCode(1) }
    }
}

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "作为系统服务运行 (run as the systemd service).",
        discussion: """
            Loads the plans, tells systemd READY=1 (Type=notify) with a STATUS= line, and
            sleeps until the next notice is due; then runs a tick (see `plankeeper tick
            --help`). It reloads by itself when a plan file is added, edited or removed, and
            on SIGHUP (systemctl reload plankeeper); a plan whose edit is broken keeps its
            last good version and the error goes to the journal with file and line. SIGTERM
            or SIGINT end it cleanly. Pings the watchdog when WatchdogSec= is set.

            示例 (example):
              plankeeper run --config config/local.yaml
              journalctl -u plankeeper -o json-pretty PLANKEEPER_PLAN=surgery-2-2026
            """
    )

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let config = try options.load()
        Logs.bootstrap()
        let logger = Logger(label: "plankeeper")
        let ledger = try Ledger.openForCLI(config)
        let spool = try Spool.openForCLI(config, logger: logger)
        try await DaemonRunner.run(config: config, ledger: ledger, spool: spool, logger: logger)
    }
}

import Ledger
import Vocabulary
import WorkCalendar
