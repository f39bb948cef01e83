import ArgumentParser
import Config
import Delivery
import Foundation
import Logging
import PlanFiles
import Spool
import Vocabulary
import WorkCalendar

/// `plankeeper deliver`: one delivery pass by hand, from cron, or in tests.
struct DeliverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliver",
        abstract: "把邮件队列中的提醒交给邮件系统后退出 (hand spooled mail to the MTA once, and exit).",
        discussion: """
            Exactly what the daemon's delivery does, once: finish what a stopped run left
            half done, then hand every message in the spool's new/ folder, and every
            deferred message whose retry time has come, to the transport in the config's
            mail: section (sendmail, smtp, or none). Delivered mail moves to cur/ with a
            record of the MTA's answer; a temporary failure keeps it queued and retries it
            later (30 s, then twice as long each time, at most an hour apart); a refusal, or
            failing for longer than give-up-after (default 3d), moves it to failed/ with the
            reason. Each outcome is a line on stdout and an entry in the journal. Safe to
            run while the daemon runs: only one of them delivers at a time.

            Run it as the service user (sudo -u plankeeper), so the files stay the daemon's.

            Exit status: 0 when nothing failed permanently (deferred mail is retried and is
            not an error), 1 when a message went to failed/ or the spool cannot be used, 2
            on bad usage.

            示例 (examples):
              plankeeper deliver --config config/local.yaml
              plankeeper deliver --retry-now   # the MTA is fixed: retry deferred mail now
              sudo -u plankeeper plankeeper deliver
            """
    )

    @OptionGroup var options: ConfigOptions

    @Flag(help: "不等重试时间，立即重试所有暂缓的邮件 (retry deferred mail now, ignoring its schedule).")
    var retryNow = false

    @Option(
        help: ArgumentHelp(
            "假定的当前时间，用于重试和放弃的判断 (pretend it is this time, for retry and give-up decisions).",
            valueName: "INSTANT"
        )
    )
    var now: String?

    func run() throws {
        let config = try options.load()
        let language = config.language
        let clock = LocalClock(identifier: config.timezone)
        var fixed: Date?
        if let now {
            guard let parsed = clock.parseInstant(now) else {
                throw ValidationError("--now takes YYYY-MM-DD, YYYY-MM-DDTHH:MM or an ISO 8601 instant, not '\(now)'")
            }
            fixed = parsed
        }
        guard let transport = DeliverySetup.transport(config.mail) else {
            Terminal.error(Texts.noTransport(spool: config.spool).text(in: language))
            return
        }
        Logs.bootstrap()
        let spool: Spool
        do { spool = try Spool(directory: config.spool) } catch {
            Terminal.error("plankeeper: error: \(error)")
            throw ExitCode(1)
        }
        let agent = DeliverySetup.agent(
            config: config,
            spool: spool,
            transport: transport,
            logger: Logger(label: "plankeeper")
        )
        let report: DeliveryReport
        do {
            report = try agent.run(now: { Int64((fixed ?? Date()).timeIntervalSince1970) }, retryNow: retryNow)
        } catch {
            Terminal.error("plankeeper: error: \(error)")
            throw ExitCode(1)
        }
        if report.busy {
            Terminal.error(Texts.queueBusy.text(in: language))
            return
        }
        for entry in report.delivered {
            Terminal.write("delivered\t\(entry.recipients.joined(separator: ","))\t\(entry.subject)\t\(entry.detail)\n")
        }
        for entry in report.deferred {
            Terminal.write("deferred\t\(entry.recipients.joined(separator: ","))\t\(entry.subject)\t\(entry.detail)\n")
        }
        for entry in report.failed {
            Terminal.write("failed\t\(entry.recipients.joined(separator: ","))\t\(entry.subject)\t\(entry.detail)\n")
        }
        var summary = Texts.deliverSummary(
            transport: transport.name,
            delivered: report.delivered.count,
            deferred: report.deferred.count,
            failed: report.failed.count
        ).text(in: language)
        if report.recovered > 0 {
            summary += Texts.recovered(report.recovered).text(in: language)
        }
        if report.waiting > 0, let next = report.nextAttempt {
            let when = clock.local(Date(timeIntervalSince1970: TimeInterval(next))).description
            summary += Texts.waiting(report.waiting, first: when).text(in: language)
        }
        Terminal.error(summary)
        if !report.failed.isEmpty { throw ExitCode(1) }
    }
}
