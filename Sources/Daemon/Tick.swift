import Config
import Diagnostics
import Foundation
import Journal
import Ledger
import Logging
import MailFormat
import Notices
import PlanFormat
import Scheduling
import Spool
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
        Self.policy(config, calendar: calendar, trackingStart: trackingStart)
    }

    /// The notice policy a configuration asks for.
    public static func policy(_ config: DaemonConfig, calendar: WorkdayCalendar, trackingStart: LocalTime?) -> NoticePolicy {
        let n = config.notices
        return NoticePolicy(
            calendar: calendar, sendAt: config.sendAt, catchUpMinutes: config.catchUpMinutes,
            overdueHorizonDays: config.overdueHorizonDays, trackingStart: trackingStart,
            window: SendWindow(start: n.windowStart, end: n.windowEnd, catchUp: n.catchUpAt == .immediately ? .immediately : .nextSend),
            escalationsInDigest: n.escalationMail == .digest && config.overdueDigest != .off)
    }

    /// When tracking started: `track-from:` in the configuration, else the
    /// start kept in the ledger, else its first handled notice (a ledger from
    /// before the start was kept), else now — recorded, unless `record` is
    /// false (a dry run), so that it never moves.
    public func trackingStart(now: LocalTime, record: Bool) throws -> LocalTime {
        if let from = config.notices.trackFrom, let day = CivilDate(iso: from) { return LocalTime(date: day, minute: 0) }
        if let kept = try ledger.value(forKey: Ledger.trackingStartKey), let start = LocalTime(parsing: kept) { return start }
        var start = now
        if let first = try ledger.firstHandledAt() {
            start = min(now, clock.local(Date(timeIntervalSince1970: TimeInterval(first))))
        }
        if record { try ledger.setValue(start.description, forKey: Ledger.trackingStartKey) }
        return start
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
        var completions: [OccurrenceKey: Int] = [:]
        for (key, count) in try ledger.completionCounts() {
            completions[OccurrenceKey(plan: key.plan, item: key.item, period: key.period)] = count
        }
        let marks = NoticeMarks(try ledger.noticeMarks())
        let handled = try ledger.handledNoticeKeys(kind: Notices.NoticeKind.digest.rawValue, scheduledFrom: now.date.description)
        var previousDigests: [String: CivilDate] = [:]
        for (recipient, day) in try ledger.lastHandledDays(kind: Notices.NoticeKind.digest.rawValue, before: now.date.description) {
            previousDigests[recipient] = CivilDate(iso: day)
        }
        let policy = policy(calendar, trackingStart: try trackingStart(now: now, record: !dryRun))
        let days = DigestDays(rawValue: config.overdueDigest.rawValue) ?? .workdays
        var deciding = NoticePolicy.Deciding(policy: policy, completions: completions, marks: marks, now: now,
                                             digestLimit: config.digestLimit)
        var gathering = NoticePolicy.GatheringOverdue(policy: policy, completions: completions, handled: handled, now: now, days: days,
                                                     limit: config.digestLimit, previous: previousDigests)
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
        let composer = MessageComposer(config: config, clock: clock, policy: policy, today: now.date)

        // notice-mail: combined: a person's notices of this moment in one mail.
        var single: [Notice] = decision.send
        if config.notices.noticeMail == .combined {
            var byRecipient: [String: [Notice]] = [:]
            for notice in decision.send { byRecipient[notice.recipient.address, default: []].append(notice) }
            single = decision.send.filter { byRecipient[$0.recipient.address]?.count == 1 }
            for address in byRecipient.keys.sorted() {
                guard let notices = byRecipient[address], notices.count > 1 else { continue }
                let message = composer.combined(notices, plans: plansByID, completions: completions, at: instant)
                if dryRun {
                    report.sent += notices
                    continue
                }
                switch try spool.spool(name: message.name, bytes: message.bytes) {
                case .written:
                    report.sent += notices
                    report.combined += 1
                    for notice in notices {
                        guard let plan = plansByID[notice.occurrence.planID] else { continue }
                        log(notice, plan: plan, subject: composer.notice(notice, plan: plan, doneCount: 0, at: instant).subject,
                            today: now.date, policy: policy)
                    }
                case .alreadySpooled: report.alreadySpooled += 1
                }
            }
        }
        for notice in single {
            guard let plan = plansByID[notice.occurrence.planID] else { continue }
            let done = completions[notice.occurrence.key, default: 0]
            let message = composer.notice(notice, plan: plan, doneCount: done, at: instant)
            if dryRun {
                report.sent.append(notice)
                continue
            }
            // Logged when spooled, not when found spooled: a tick retried
            // after its ledger write failed must not log the notice twice.
            switch try spool.spool(name: message.name, bytes: message.bytes) {
            case .written:
                report.sent.append(notice)
                log(notice, plan: plan, subject: message.subject, today: now.date, policy: policy)
            case .alreadySpooled: report.alreadySpooled += 1
            }
        }
        if !dryRun {
            for notice in decision.digested {
                guard let plan = plansByID[notice.occurrence.planID] else { continue }
                let subject = composer.notice(notice, plan: plan, doneCount: 0, at: instant).subject
                log(notice, plan: plan, subject: subject + (config.language == .zh ? "（并入督办日报）" : " (in the overdue digest)"),
                    today: now.date, policy: policy)
            }
        }
        if let until = decision.heldUntil, decision.held > 0 {
            logger.notice("\(Self.heldLine(decision.held, now: now, until: until, language: config.language))", metadata: [
                "plankeeper_held": .string(String(decision.held)), "plankeeper_held_until": .string(until.description), "priority": "5",
            ])
        }
        for digest in decision.backlog {
            let message = composer.backlog(digest, plans: plansByID, at: instant)
            if dryRun {
                report.digests.append(digest)
                continue
            }
            switch try spool.spool(name: message.name, bytes: message.bytes) {
            case .written: report.digests.append(digest)
            case .alreadySpooled:
                report.alreadySpooled += 1
                continue
            }
            logger.notice("\(message.subject) → \(digest.recipient.address)", metadata: [
                "plankeeper_kind": "backlog", "plankeeper_recipient": .string(digest.recipient.address),
                "plankeeper_count": .string(String(digest.total)),
                "message_id": .string(MessageID.backlog), "priority": "5",
            ])
        }
        var digestsHandled: [LedgerHandledNotice] = []
        let stamp = Int64(instant.timeIntervalSince1970)
        for digest in overdue.digests {
            let message = composer.supervisorDigest(digest, at: instant)
            if dryRun {
                report.overdueDigests.append(digest)
                continue
            }
            let written = try spool.spool(name: message.name, bytes: message.bytes) == .written
            digestsHandled.append(LedgerHandledNotice(
                key: digest.key, plan: "", item: "", period: "", kind: Notices.NoticeKind.digest.rawValue,
                recipient: digest.recipient.address, scheduledFor: digest.date.description, disposition: "sent", handledAt: stamp))
            guard written else {
                report.alreadySpooled += 1
                continue
            }
            report.overdueDigests.append(digest)
            logger.notice("\(message.subject) → \(digest.recipient.address)", metadata: [
                "plankeeper_kind": "digest", "plankeeper_recipient": .string(digest.recipient.address),
                "plankeeper_count": .string(String(digest.total)),
                "message_id": .string(MessageID.overdueDigest), "priority": "5",
            ])
        }
        if !dryRun {
            try ledger.recordTick(
                handled: decision.handled.map { h in
                    LedgerHandledNotice(
                        key: h.notice.key, plan: h.notice.occurrence.planID, item: h.notice.occurrence.itemID,
                        period: h.notice.occurrence.period, kind: h.notice.kind.rawValue, recipient: h.notice.recipient.address,
                        scheduledFor: h.notice.date.description, disposition: h.disposition.rawValue, handledAt: stamp)
                } + digestsHandled,
                marks: decision.marks.lazy.map { m in
                    NoticeMarkRow(id: Int64(bitPattern: m.id), plan: m.occurrence.plan, item: m.occurrence.item,
                                  period: m.occurrence.period, stream: m.stream.rawValue, through: m.through.description,
                                  day: Int32(truncatingIfNeeded: m.through.dayNumber), rank: Int32(m.rank))
                })
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
            .run(plans: plans, calendar: calendar, ledger: ledger, now: now, at: instant, dryRun: dryRun)
        report.reports = mailed.spooled
        report.next = [report.next, mailed.next].compactMap { $0 }.min()
        return report
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
            "plankeeper_plan": .string(o.planID), "plankeeper_item": .string(o.itemID),
            "plankeeper_period": .string(o.period), "plankeeper_kind": .string(notice.kind.rawValue),
            "plankeeper_due": .string(o.due.description), "plankeeper_owner": .string(o.owner),
            "plankeeper_recipient": .string(notice.recipient.address),
            "plankeeper_workdays_left": .string(String(policy.workdaysLeft(due: o.due, today: today))),
            "message_id": .string(id), "priority": .string(priority),
        ]
        let text = "\(subject) → \(notice.recipient.name) <\(notice.recipient.address)>"
        switch notice.kind {
        case .escalation: logger.error("\(text)", metadata: metadata)
        case .overdue: logger.warning("\(text)", metadata: metadata)
        default: logger.notice("\(text)", metadata: metadata)
        }
    }
}
