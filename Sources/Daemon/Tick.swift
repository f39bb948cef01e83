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
import Spool
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
    }

    public func policy(_ calendar: WorkdayCalendar) -> NoticePolicy {
        NoticePolicy(calendar: calendar, sendAt: config.sendAt, catchUpMinutes: config.catchUpMinutes,
                     overdueHorizonDays: config.overdueHorizonDays)
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
        let handled = try ledger.handledNoticeKeys(kind: NoticeKind.digest.rawValue, scheduledFrom: now.date.description)
        let policy = policy(calendar)
        let days = config.overdueDigest
        var deciding = NoticePolicy.Deciding(policy: policy, completions: completions, marks: marks, now: now,
                                             digestLimit: config.digestLimit)
        var gathering = NoticePolicy.GatheringOverdue(policy: policy, completions: completions, handled: handled, now: now, days: days,
                                                     limit: config.digestLimit)
        for plan in plans {
            let entry = NoticePolicy.PlanOccurrences(plan: plan, occurrences: expander.occurrences(of: plan))
            deciding.add(entry)
            gathering.add(entry)
        }
        let decision = deciding.finish()
        let overdue = gathering.finish()
        let next = [decision.next, overdue.next].compactMap { $0 }.min { $0.totalMinutes < $1.totalMinutes }
        var report = Report(next: next, now: now)
        let plansByID = Dictionary(plans.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let composer = MessageComposer(config: config, policy: policy, today: now.date)
        let date = clock.rfc5322(instant)

        for notice in decision.send {
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
        for digest in decision.backlog {
            let message = composer.backlog(digest)
            if dryRun {
                report.digests.append(digest)
                continue
            }
            switch try spool.spool(name: message.name, bytes: message.mail(date: date)) {
            case .written: report.digests.append(digest)
            case .alreadySpooled:
                report.alreadySpooled += 1
                continue
            }
            logger.notice("\(message.subject) → \(digest.recipient.address)", metadata: [
                JournalField.kind: .string(NoticeKind.backlog.rawValue), JournalField.recipient: .string(digest.recipient.address),
                JournalField.count: .string(String(digest.total)),
                JournalField.messageID: .string(MessageID.backlog), JournalField.priority: "5",
            ])
        }
        var digestsHandled: [HandledNoticeRow] = []
        let stamp = Int64(instant.timeIntervalSince1970)
        for digest in overdue.digests {
            let message = composer.overdueDigest(digest)
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
            logger.notice("\(message.subject) → \(digest.recipient.address)", metadata: [
                JournalField.kind: .string(NoticeKind.digest.rawValue), JournalField.recipient: .string(digest.recipient.address),
                JournalField.count: .string(String(digest.total)),
                JournalField.messageID: .string(MessageID.overdueDigest), JournalField.priority: "5",
            ])
        }
        if !dryRun {
            try ledger.recordTick(
                handled: decision.handled.map { HandledNoticeRow($0, at: stamp) } + digestsHandled,
                marks: decision.marks.lazy.map(NoticeMarkRow.init))
        }
        // Period reports (`reports:`), after the notices: each spooled once, at send-at.
        let mailed = try ScheduledReportMailer(config: config, clock: clock, spool: spool, logger: logger)
            .run(plans: plans, calendar: calendar, ledger: ledger, now: now, at: instant, dryRun: dryRun)
        report.reports = mailed.spooled
        report.next = [report.next, mailed.next].compactMap { $0 }.min()
        return report
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
