import ArgumentParser
import Config
import Delivery
import Foundation
import Ledger
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

            Then each channel of the config's channels: section (企业微信, 钉钉)
            hands its outbox to its service, within the service's limits: what the
            limits hold back stays queued with the time it may go (printed), nothing
            is dropped. A message found in flight after a crash is not sent twice:
            it is marked uncertain (or, for the 企业微信 app, sent again within the
            service's duplicate check); --resend-uncertain sends the uncertain ones
            after you checked the group. See docs/channels.md.

            Run it as the service user (sudo -u plankeeper), so the files stay the daemon's.

            Exit status: 0 when nothing failed permanently (deferred mail is retried and is
            not an error), 1 when a message went to failed/ (or a channel message was given
            up or found uncertain) or the spool cannot be used, 2 on bad usage.

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

    @Flag(help: "重发“无法确定是否送达”的渠道消息（先确认群里没有收到）(send again channel messages marked uncertain; check the group first).")
    var resendUncertain = false

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
        let instant: () -> Int64 = { Int64((fixed ?? Date()).timeIntervalSince1970) }
        Logs.bootstrap()
        var failed = false
        if let transport = DeliverySetup.transport(config.mail) {
            failed = try deliverMail(config: config, transport: transport, clock: clock, now: instant) || failed
        } else {
            Terminal.error(Texts.noTransport(spool: config.spool).text(in: language))
        }
        if !config.channels.isEmpty {
            failed = try deliverChannels(config: config, clock: clock, now: instant) || failed
        }
        if failed { throw ExitCode(1) }
    }

    /// One pass over the mail spool; true when a message went to failed/.
    func deliverMail(
        config: DaemonConfig,
        transport: any MailTransport,
        clock: LocalClock,
        now: @escaping () -> Int64
    ) throws -> Bool {
        let language = config.language
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
            report = try agent.run(now: now, retryNow: retryNow)
        } catch {
            Terminal.error("plankeeper: error: \(error)")
            throw ExitCode(1)
        }
        if report.busy {
            Terminal.error(Texts.queueBusy.text(in: config.language))
            return false
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
        return !report.failed.isEmpty
    }

    /// One pass over every channel's outbox, one channel after another;
    /// true when a message was given up or found uncertain.
    func deliverChannels(config: DaemonConfig, clock: LocalClock, now: @escaping () -> Int64) throws -> Bool {
        let language = config.language
        let ledger = try Ledger.openForCLI(config)
        let agents: [ChannelDeliveryAgent]
        do {
            agents = try ChannelSetup.agents(config: config, ledger: ledger, logger: Logger(label: "plankeeper"))
        } catch {
            Terminal.error("plankeeper: error: \(error)")
            throw ExitCode(1)
        }
        var failed = false
        for agent in agents {
            let report: ChannelDeliveryReport
            do {
                report = try agent.run(now: now, retryNow: retryNow, resendUncertain: resendUncertain)
            } catch {
                Terminal.error("plankeeper: error: \(agent.name): \(error)")
                failed = true
                continue
            }
            if report.busy {
                Terminal.error(
                    Texts.channelBusy(agent.name).text(in: language)
                )
                continue
            }
            for (word, entries) in [
                ("delivered", report.delivered), ("held", report.held), ("deferred", report.deferred),
                ("failed", report.failed), ("uncertain", report.uncertain),
            ] {
                for e in entries {
                    Terminal.write("\(word)\t\(e.recipient)\t\(e.summary)\t\(agent.name): \(e.detail)\n")
                }
            }
            let total =
                report.delivered.count + report.held.count + report.deferred.count + report.failed.count
                + report.uncertain.count + report.waiting
            guard total > 0 || report.recovered > 0 else { continue }
            var summary =
                Texts.channelSummary(
                    agent.name,
                    delivered: report.delivered.count,
                    deferred: report.deferred.count + report.held.count,
                    failed: report.failed.count
                ).text(in: language)
            if !report.uncertain.isEmpty {
                summary += Texts.channelUncertain(report.uncertain.count).text(in: language)
            }
            if report.waiting > 0, let next = report.nextAttempt {
                let when = clock.local(Date(timeIntervalSince1970: TimeInterval(next))).description
                summary +=
                    Texts.channelWaiting(report.waiting, first: when).text(in: language)
            }
            Terminal.error(summary)
            failed = failed || !report.failed.isEmpty || !report.uncertain.isEmpty
        }
        return failed
    }
}
