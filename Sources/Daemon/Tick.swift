import Config
import Diagnostics
import Foundation
import Journal
import Ledger
import Logging
import Notices
import Outbox
import PlanFiles
import PlanFormat
import Scheduling
import Secrets
import Spool
import Tokens
import Vocabulary
import WorkCalendar

/// One cycle of the service: decide what is due now, spool each message
/// exactly once, log it to the journal, and remember it in the ledger. The
/// daemon runs it whenever it wakes; `plankeeper tick` runs it once.
///
/// Crash safety: the decision is a pure function of the plans, the ledger and
/// "now"; a message's spool file name is derived from its notice key and is
/// never written twice; the ledger is updated after spooling, in one
/// transaction. A tick killed at any point and run again spools what is
/// missing and nothing else.
public struct TickRunner: Sendable {
    public var config: DaemonConfig
    public var ledger: Ledger
    public var spool: Spool
    public var logger: Logger
    public var clock: LocalClock

    public init(config: DaemonConfig, ledger: Ledger, spool: Spool, logger: Logger) {
        self.config = config
        self.ledger = ledger
        self.spool = spool
        self.logger = logger
        self.clock = LocalClock(identifier: config.timezone)
    }

    public struct Report: Sendable {
        public var sent: [Notice] = []
        public var digests: [BacklogDigest] = []
        public var overdueDigests: [OverdueDigest] = []
        public var alreadySpooled = 0
        public var next: LocalTime?
        public var now: LocalTime
        /// Period reports spooled (`reports:` in the config; ScheduledReportMailer).
        public var reports: [ScheduledReportMailer.Mail] = []
        /// Plans skipped because everything in them is past `overdue-horizon`
        /// (`NoticePolicy.isRetired`), by id: for one info line.
        public var retired: [String] = []
        /// Escalations told in today's overdue digest instead of a mail each.
        public var digested: [Notice] = []
        /// Combined mails written (`notice-mail: combined`); their notices are in `sent`.
        public var combined = 0
        /// Mail due but held outside the send window, and until when.
        public var held = 0
        public var heldUntil: LocalTime?
    }

    public func policy(_ calendar: WorkdayCalendar, trackingStart: LocalTime? = nil) -> NoticePolicy {
        NoticePolicy(config: config, calendar: calendar, trackingStart: trackingStart)
    }

    /// When tracking started: `track-from:` in the configuration, else the
    /// start kept in the ledger, else its first handled notice (a ledger from
    /// before the start was kept), else now — recorded, unless `record` is
    /// false (a dry run), so that it never moves.
    public func trackingStart(now: LocalTime, record: Bool) throws -> LocalTime {
        let from = config.notices.trackFrom.flatMap { CivilDate(iso: $0) }
        return try ledger.trackingStart(trackFrom: from, now: now, record: record) {
            clock.local(Date(timeIntervalSince1970: TimeInterval($0)))
        } ?? now
    }

    /// Runs one cycle at `instant` over the plans in force.
    ///
    /// Plans are expanded one at a time and dropped once decided: a city's
    /// occurrences (150,000 for 2,066 branches) are never all in memory,
    /// which is what keeps the daemon small. Expanding is cheap (about a
    /// quarter of a second for the city), and a cycle runs only at notice
    /// times and after edits.
    public func run(plans: [Plan], calendar: WorkdayCalendar, at instant: Date, dryRun: Bool = false) throws -> Report {
        let now = clock.local(instant)
        let expander = ScheduleExpander(calendar: calendar)
        let completions = try ledger.completionCounts()
        let marks = NoticeMarks(try ledger.noticeMarks())
        let handled = try ledger.handledNoticeKeys(
            kind: NoticeKind.digest.rawValue,
            scheduledFrom: now.date.description
        )
        var previousDigests: [String: CivilDate] = [:]
        for (recipient, day) in try ledger.lastHandledDays(
            kind: NoticeKind.digest.rawValue,
            before: now.date.description
        ) {
            previousDigests[recipient] = CivilDate(iso: day)
        }
        let policy = policy(calendar, trackingStart: try trackingStart(now: now, record: !dryRun))
        let days = config.overdueDigest
        var deciding = NoticePolicy.Deciding(
            policy: policy,
            completions: completions,
            marks: marks,
            now: now,
            digestLimit: config.digestLimit
        )
        var gathering = NoticePolicy.GatheringOverdue(
            policy: policy,
            completions: completions,
            handled: handled,
            now: now,
            days: days,
            limit: config.digestLimit,
            previous: previousDigests
        )
        var retired: [String] = []
        for plan in plans {
            let entry = NoticePolicy.PlanOccurrences(plan: plan, occurrences: expander.occurrences(of: plan))
            if policy.isRetired(entry, today: now.date) {
                retired.append(plan.id)
                continue
            }
            deciding.add(entry)
            gathering.add(entry)
        }
        let decision = deciding.finish()
        let overdue = gathering.finish()
        let next = [decision.next, overdue.next].compactMap { $0 }.min { $0.totalMinutes < $1.totalMinutes }
        var report = Report(next: next, now: now)
        report.retired = retired
        report.digested = decision.digested
        report.held = decision.held
        report.heldUntil = decision.heldUntil
        let plansByID = Dictionary(plans.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let composer = MessageComposer(config: config, policy: policy, today: now.date, replies: replyAddressing())
        let date = clock.rfc5322(instant)

        // notice-mail: combined: a person's notices of this moment in one mail.
        var single: [Notice] = decision.send
        if config.notices.noticeMail == .combined {
            var byRecipient: [String: [Notice]] = [:]
            for notice in decision.send { byRecipient[notice.recipient.address, default: []].append(notice) }
            single = decision.send.filter { byRecipient[$0.recipient.address]?.count == 1 }
            for address in byRecipient.keys.sorted() {
                guard let notices = byRecipient[address], notices.count > 1 else { continue }
                let combined = composer.combined(notices, plans: plansByID, completions: completions)
                let message = combined.message
                if dryRun {
                    report.sent += notices
                    continue
                }
                let result = try spool.spool(name: message.name, bytes: message.mail(date: date))
                // Its numbered lines, for a reply "完成 1 3" (issue 16): kept
                // whether this run or a crashed one spooled it.
                if message.replyTo != nil {
                    try ledger.recordSentDigest(
                        SentDigest(
                            id: Int64(combined.digestID.value),
                            recipient: address,
                            kind: "combined",
                            sentOn: now.date.description,
                            lines: Dictionary(
                                uniqueKeysWithValues: combined.lines.enumerated().map { ($0.offset + 1, $0.element) }
                            )
                        ),
                        at: Int64(instant.timeIntervalSince1970)
                    )
                }
                switch result {
                case .written:
                    report.sent += notices
                    report.combined += 1
                    for notice in notices {
                        guard let plan = plansByID[notice.occurrence.planID] else { continue }
                        log(
                            notice,
                            plan: plan,
                            subject: composer.notice(notice, plan: plan, doneCount: 0).subject,
                            today: now.date,
                            policy: policy
                        )
                    }
                case .alreadySpooled: report.alreadySpooled += 1
                }
            }
        }
        for notice in single {
            guard let plan = plansByID[notice.occurrence.planID] else { continue }
            let done = completions[notice.occurrence.key, default: 0]
            let message = composer.notice(notice, plan: plan, doneCount: done)
            if dryRun {
                report.sent.append(notice)
                continue
            }
            // Logged when spooled, not when found spooled: a tick retried
            // after its ledger write failed must not log the notice twice.
            switch try spool.spool(name: message.name, bytes: message.mail(date: date)) {
            case .written:
                report.sent.append(notice)
                log(notice, plan: plan, subject: message.subject, today: now.date, policy: policy)
            case .alreadySpooled: report.alreadySpooled += 1
            }
        }
        if !dryRun {
            for notice in decision.digested {
                guard let plan = plansByID[notice.occurrence.planID] else { continue }
                let subject = composer.notice(notice, plan: plan, doneCount: 0).subject
                log(
                    notice,
                    plan: plan,
                    subject: subject + Texts.inOverdueDigest.text(in: config.language),
                    today: now.date,
                    policy: policy
                )
            }
        }
        if let until = decision.heldUntil, decision.held > 0 {
            logger.notice(
                "\(Self.heldLine(decision.held, now: now, until: until, language: config.language))",
                metadata: [
                    JournalField.held: .string(String(decision.held)),
                    JournalField.heldUntil: .string(until.description), JournalField.priority: "5",
                ]
            )
        }
        for digest in decision.backlog {
            let message = composer.backlog(digest)
            if dryRun {
                report.digests.append(digest)
                continue
            }
            try rememberLines(
                composer.reply(for: digest),
                kind: "backlog",
                to: digest.recipient,
                on: digest.date,
                at: instant
            )
            switch try spool.spool(name: message.name, bytes: message.mail(date: date)) {
            case .written: report.digests.append(digest)
            case .alreadySpooled:
                report.alreadySpooled += 1
                continue
            }
            logger.notice(
                "\(message.subject) → \(digest.recipient.address)",
                metadata: [
                    JournalField.kind: .string(NoticeKind.backlog.rawValue),
                    JournalField.recipient: .string(digest.recipient.address),
                    JournalField.count: .string(String(digest.total)),
                    JournalField.messageID: .string(MessageID.backlog), JournalField.priority: "5",
                ]
            )
        }
        var digestsHandled: [HandledNoticeRow] = []
        let stamp = Int64(instant.timeIntervalSince1970)
        for digest in overdue.digests {
            let message = composer.supervisorDigest(digest)
            if dryRun {
                report.overdueDigests.append(digest)
                continue
            }
            let written = try spool.spool(name: message.name, bytes: message.mail(date: date)) == .written
            digestsHandled.append(HandledNoticeRow(digest, at: stamp))
            guard written else {
                report.alreadySpooled += 1
                continue
            }
            report.overdueDigests.append(digest)
            logger.notice(
                "\(message.subject) → \(digest.recipient.address)",
                metadata: [
                    JournalField.kind: .string(NoticeKind.digest.rawValue),
                    JournalField.recipient: .string(digest.recipient.address),
                    JournalField.count: .string(String(digest.total)),
                    JournalField.messageID: .string(MessageID.overdueDigest), JournalField.priority: "5",
                ]
            )
        }
        if !dryRun {
            try ledger.recordTick(
                handled: decision.handled.map { HandledNoticeRow($0, at: stamp) } + digestsHandled,
                marks: decision.marks.lazy.map(NoticeMarkRow.init)
            )
        }
        // Period reports (`reports:`), after the notices: each spooled once,
        // at send-at, and like them only inside the send window.
        guard policy.window.isOpen(now, calendar: calendar) else {
            if !config.reports.isEmpty {
                let release = policy.window.release(after: now, sendAt: config.sendAt, calendar: calendar)
                report.next = [report.next, release].compactMap { $0 }.min()
            }
            return report
        }
        let mailed = try ScheduledReportMailer(config: config, clock: clock, spool: spool, logger: logger)
            .run(
                plans: plans,
                calendar: calendar,
                ledger: ledger,
                now: now,
                at: instant,
                dryRun: dryRun,
                isHistory: { policy.isHistory($0) }
            )
        report.reports = mailed.spooled
        report.next = [report.next, mailed.next].compactMap { $0 }.min()
        if !dryRun { applyRetention(today: now.date) }
        return report
    }

    /// Keeps a digest's numbered lines before the digest is spooled, so a
    /// reply "完成 1 3" finds them whenever it comes (issue 16, item 4). The
    /// same digest again (a tick retried) changes nothing.
    func rememberLines(
        _ reply: MessageComposer.DigestReply?,
        kind: String,
        to recipient: Address,
        on date: CivilDate,
        at instant: Date
    ) throws {
        guard let reply else { return }
        try ledger.recordSentDigest(
            SentDigest(
                id: Int64(reply.id.value),
                recipient: recipient.address,
                kind: kind,
                sentOn: date.description,
                lines: reply.lines
            ),
            at: Int64(instant.timeIntervalSince1970)
        )
    }

    /// "12 notices held (outside the send window: Sunday 00:13) until 2026-11-23 08:30".
    public static func heldLine(_ count: Int, now: LocalTime, until: LocalTime, language: Language) -> String {
        let weekday = now.date.weekday
        return language == .zh
            ? "\(count) 份邮件暂缓发送（\(now.date) \(weekday.chineseName) \(now.description.suffix(5)) 不在发信时段内），将于 \(until) 发出"
            : "\(count) \(count == 1 ? "mail is" : "mails are") held (\(weekday.englishName) \(now) is outside the send window) until \(until)"
    }

    /// One info line for the plans a tick skipped as long past (at most ten
    /// ids quoted, then a count).
    public static func retiredLine(_ ids: [String], horizonDays: Int, language: Language) -> String {
        let shown = ids.prefix(10).joined(separator: ", ") + (ids.count > 10 ? ", …" : "")
        return language == .zh
            ? "\(ids.count) 个计划的年度已结束超过 overdue-horizon（\(horizonDays) 天），不再提醒：\(shown)"
            : "\(ids.count) \(ids.count == 1 ? "plan is" : "plans are") more than overdue-horizon (\(horizonDays) days) past \(ids.count == 1 ? "its" : "their") year and no longer send notices: \(shown)"
    }

    /// Reply addresses for the notices when `mail.reply-to` is set, with the
    /// token key of the state folder (created 0600 on first use). A key that
    /// cannot be read is logged and the notices go out without a Reply-To:
    /// a reminder without one is still a reminder.
    func replyAddressing() -> ReplyAddressing? {
        guard let base = config.mail.replies.replyAddress else { return nil }
        do {
            let keyring = try TokenKeyFile(stateDirectory: config.state).loadOrCreate()
            return ReplyAddressing(
                signer: TokenSigner(keyring: keyring),
                base: base,
                expiryDays: config.mail.replies.expiryDays
            )
        } catch {
            logger.error(
                "\(config.language.pick(error.zh, error.en)); notices go out without a reply address",
                metadata: [
                    JournalField.kind: "reply-key", JournalField.priority: "3",
                ]
            )
            return nil
        }
    }

    func log(_ notice: Notice, plan: Plan, subject: String, today: CivilDate, policy: NoticePolicy) {
        let o = notice.occurrence
        let priority: String
        let id: String
        switch notice.kind {
        case .reminder: (priority, id) = ("5", MessageID.reminder)
        case .due: (priority, id) = ("5", MessageID.due)
        case .overdue: (priority, id) = ("4", MessageID.overdue)
        case .escalation: (priority, id) = ("3", MessageID.escalation)
        case .backlog: (priority, id) = ("5", MessageID.backlog)
        case .report: (priority, id) = ("6", MessageID.report)
        case .digest: (priority, id) = ("5", MessageID.overdueDigest)
        }
        let metadata: Logger.Metadata = [
            JournalField.plan: .string(o.planID), JournalField.item: .string(o.itemID),
            JournalField.period: .string(o.period), JournalField.kind: .string(notice.kind.rawValue),
            JournalField.due: .string(o.due.description), JournalField.owner: .string(o.owner),
            JournalField.recipient: .string(notice.recipient.address),
            JournalField.workdaysLeft: .string(String(policy.workdaysLeft(due: o.due, today: today))),
            JournalField.messageID: .string(id), JournalField.priority: .string(priority),
        ]
        let text = "\(subject) → \(notice.recipient.name) <\(notice.recipient.address)>"
        switch notice.kind {
        case .escalation: logger.error("\(text)", metadata: metadata)
        case .overdue: logger.warning("\(text)", metadata: metadata)
        default: logger.notice("\(text)", metadata: metadata)
        }
    }
}
