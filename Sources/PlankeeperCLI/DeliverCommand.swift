import ArgumentParser
import Config
import Delivery
import Foundation
import Logging
import PlanFiles
import Spool

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

    @Option(help: ArgumentHelp("假定的当前时间，用于重试和放弃的判断 (pretend it is this time, for retry and give-up decisions).", valueName: "INSTANT"))
    var now: String?

    func run() throws {
        let config = try options.load()
        let zh = config.language == .zh
        let clock = LocalClock(identifier: config.timezone)
        var fixed: Date?
        if let now {
            guard let parsed = clock.parseInstant(now) else {
                throw ValidationError("--now takes YYYY-MM-DD, YYYY-MM-DDTHH:MM or an ISO 8601 instant, not '\(now)'")
            }
            fixed = parsed
        }
        guard let transport = DeliverySetup.transport(config.mail) else {
            Terminal.error(zh
                ? "mail.transport 为 none：邮件只写入队列 \(config.spool)/new，由本机的邮件系统自行取走；plankeeper 不投递。"
                : "mail.transport is none: mail is only spooled to \(config.spool)/new for the site's own MTA to pick up; plankeeper delivers nothing.")
            return
        }
        Logs.bootstrap()
        let spool: Spool
        do { spool = try Spool(directory: config.spool) } catch {
            Terminal.error("plankeeper: error: \(error)")
            throw ExitCode(1)
        }
        let agent = DeliverySetup.agent(config: config, spool: spool, transport: transport, logger: Logger(label: "plankeeper"))
        let report: DeliveryReport
        do {
            report = try agent.run(now: { Int64((fixed ?? Date()).timeIntervalSince1970) }, retryNow: retryNow)
        } catch {
            Terminal.error("plankeeper: error: \(error)")
            throw ExitCode(1)
        }
        if report.busy {
            Terminal.error(zh ? "另一个投递进程（服务或另一个 deliver）正在处理队列；本次不做任何事。"
                              : "another delivery (the service or another deliver) holds the queue; nothing done.")
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
        var summary = zh
            ? "经 \(transport.name)：已投递 \(report.delivered.count) 封，暂缓 \(report.deferred.count) 封，失败 \(report.failed.count) 封"
            : "via \(transport.name): \(report.delivered.count) delivered, \(report.deferred.count) deferred, \(report.failed.count) failed"
        if report.recovered > 0 {
            summary += zh ? "；恢复上次中断的 \(report.recovered) 封" : "; \(report.recovered) recovered from an interrupted run"
        }
        if report.waiting > 0, let next = report.nextAttempt {
            let when = clock.local(Date(timeIntervalSince1970: TimeInterval(next))).description
            summary += zh ? "；队列中 \(report.waiting) 封等待重试，最早 \(when)" : "; \(report.waiting) waiting to be retried, the first at \(when)"
        }
        Terminal.error(summary)
        if !report.failed.isEmpty { throw ExitCode(1) }
    }
}
