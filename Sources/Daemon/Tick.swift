import Channels
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
/// never written twice; each message's file is flushed before it appears in
/// `new/`, `new/` is flushed once for all of them (`SpoolBatch.commit`), and
/// only then is the ledger updated, in one transaction. A tick killed at any
/// point and run again spools what is missing and nothing else.
public struct TickRunner: Sendable {
    public var config: DaemonConfig
    public var ledger: Ledger
    public var spool: Spool
    public var logger: Logger
    public var clock: LocalClock
    /// Who is who (`people:`), for the channels that reach persons and for mentions.
    public var people = PeopleDirectory()

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
        /// Messages newly written to the channels' outbox (企业微信, 钉钉).
        public var queued: [OutboxEntry] = []
        /// Of those, for period reports (counted apart: written by the report mailer).
        public var queuedReports = 0
        /// Whether the channels have something new to send.
        public var hasQueued: Bool { !queued.isEmpty || queuedReports > 0 }
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
        let composer = MessageComposer(
            config: config,
            policy: policy,
            today: now.date,
            replies: replyAddressing(),
            links: webLinks()
        )
        let date = clock.rfc5322(instant)
        // The spool listed once for the whole tick, and new/ flushed once,
        // before the ledger marks anything handled (see SpoolBatch).
        var batch = try SpoolBatch(spool)
        var fanout = ChannelFanout(
            channels: config.channels,
            people: people,
            language: config.language,
            now: Int64(instant.timeIntervalSince1970),
            owners: plansByID.mapValues(\.owner)
        )
        // The channels (企业微信, 钉钉): every notice decided, spooled as mail now or
        // before, each to its own message; the outbox write below keeps what a
        // crash before it would have lost.
        if !dryRun && !fanout.isEmpty {
            for notice in decision.send {
                guard let plan = plansByID[notice.occurrence.planID] else { continue }
                let done = completions[notice.occurrence.key, default: 0]
                fanout.notice(
                    notice,
                    content: composer.content(notice, plan: plan, doneCount: done),
                    subject: composer.notice(notice, plan: plan, doneCount: done).subject
                )
            }
        }
        // A person of the people directory without an e-mail address (`@id`):
        // the channels carry their notices, no mail.
        let mailable = decision.send.filter { !$0.recipient.isReference }
        for notice in decision.send where notice.recipient.isReference {
            guard let plan = plansByID[notice.occurrence.planID] else { continue }
            report.sent.append(notice)
            if !dryRun {
                let done = completions[notice.occurrence.key, default: 0]
                log(
                    notice,
                    plan: plan,
                    subject: composer.notice(notice, plan: plan, doneCount: done).subject,
                    today: now.date,
                    policy: policy
                )
            }
        }

        // notice-mail: combined: a person's notices of this moment in one mail.
        var single: [Notice] = mailable
        if config.notices.noticeMail == .combined {
            var byRecipient: [String: [Notice]] = [:]
            for notice in mailable { byRecipient[notice.recipient.address, default: []].append(notice) }
            single = mailable.filter { byRecipient[$0.recipient.address]?.count == 1 }
            let groups = byRecipient.keys.sorted().compactMap { address in
                byRecipient[address].flatMap { $0.count > 1 ? $0 : nil }
            }
            if dryRun {
                for notices in groups { report.sent += notices }
            } else {
                try spool(groups, batch: &batch, at: instant) { notices in
                    let combined = composer.combined(notices, plans: plansByID, completions: completions)
                    let message = combined.message
                    // Its numbered lines, for a reply "完成 1 3" (issue 16), kept
                    // before it is spooled, like a digest's: a mail with a reply
                    // address is never out without them.
                    let lines =
                        message.replyTo == nil
                        ? nil
                        : SentDigest(
                            id: Int64(combined.digestID.value),
                            recipient: notices[0].recipient.address,
                            kind: "combined",
                            sentOn: now.date.description,
                            lines: Dictionary(
                                uniqueKeysWithValues: combined.lines.enumerated().map { ($0.offset + 1, $0.element) }
                            )
                        )
                    return Outgoing(
                        name: message.name,
                        bytes: message.mail(date: date),
                        lines: lines,
                        subject: message.subject
                    )
                } done: { notices, _, result in
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
        }
        let singles = single.compactMap { notice in plansByID[notice.occurrence.planID].map { (notice, $0) } }
        if dryRun {
            report.sent += singles.map(\.0)
        } else {
            try spool(singles, batch: &batch, at: instant) { notice, plan in
                let message = composer.notice(
                    notice,
                    plan: plan,
                    doneCount: completions[notice.occurrence.key, default: 0]
                )
                return Outgoing(
                    name: message.name,
                    bytes: message.mail(date: date),
                    lines: nil,
                    subject: message.subject
                )
            } done: { item, message, result in
                // Logged when spooled, not when found spooled: a tick retried
                // after its ledger write failed must not log the notice twice.
                switch result {
                case .written:
                    report.sent.append(item.0)
                    log(item.0, plan: item.1, subject: message.subject, today: now.date, policy: policy)
                case .alreadySpooled: report.alreadySpooled += 1
                }
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
        if dryRun {
            report.digests += decision.backlog
        } else {
            // A person without e-mail (`@id`): the channels carry it, no mail.
            for digest in decision.backlog where digest.recipient.isReference {
                fanout.backlog(digest, subject: composer.backlog(digest).subject)
            }
            try spool(decision.backlog.filter { !$0.recipient.isReference }, batch: &batch, at: instant) { digest in
                // Composed once, for the mail and the channels.
                let message = composer.backlog(digest)
                fanout.backlog(digest, subject: message.subject)
                return Outgoing(
                    name: message.name,
                    bytes: message.mail(date: date),
                    lines: sentLines(
                        composer.reply(for: digest),
                        kind: "backlog",
                        to: digest.recipient,
                        on: digest.date
                    ),
                    subject: message.subject
                )
            } done: { digest, message, result in
                guard result == .written else {
                    report.alreadySpooled += 1
                    return
                }
                report.digests.append(digest)
                logger.notice(
                    "\(message.subject) → \(digest.recipient.address)",
                    metadata: [
                        JournalField.kind: "backlog", JournalField.recipient: .string(digest.recipient.address),
                        JournalField.count: .string(String(digest.total)),
                        JournalField.messageID: .string(MessageID.backlog), JournalField.priority: "5",
                    ]
                )
            }
        }
        var digestsHandled: [HandledNoticeRow] = []
        let stamp = Int64(instant.timeIntervalSince1970)
        if dryRun {
            report.overdueDigests += overdue.digests
        } else {
            for digest in overdue.digests where digest.recipient.isReference {
                // A person without e-mail (`@id`): the channels carry it; counted as written.
                let message = composer.supervisorDigest(digest)
                fanout.overdueDigest(digest, subject: message.subject)
                digestsHandled.append(HandledNoticeRow(digest, at: stamp))
                report.overdueDigests.append(digest)
                logger.notice(
                    "\(message.subject) → \(digest.recipient.address)",
                    metadata: [
                        JournalField.kind: "digest", JournalField.recipient: .string(digest.recipient.address),
                        JournalField.count: .string(String(digest.total)),
                        JournalField.messageID: .string(MessageID.overdueDigest), JournalField.priority: "5",
                    ]
                )
            }
            try spool(overdue.digests.filter { !$0.recipient.isReference }, batch: &batch, at: instant) { digest in
                let message = composer.supervisorDigest(digest)
                fanout.overdueDigest(digest, subject: message.subject)
                return Outgoing(
                    name: message.name,
                    bytes: message.mail(date: date),
                    lines: sentLines(
                        composer.reply(for: digest),
                        kind: "overdue-digest",
                        to: digest.recipient,
                        on: digest.date
                    ),
                    subject: message.subject
                )
            } done: { digest, message, result in
                digestsHandled.append(HandledNoticeRow(digest, at: stamp))
                guard result == .written else {
                    report.alreadySpooled += 1
                    return
                }
                report.overdueDigests.append(digest)
                logger.notice(
                    "\(message.subject) → \(digest.recipient.address)",
                    metadata: [
                        JournalField.kind: "digest", JournalField.recipient: .string(digest.recipient.address),
                        JournalField.count: .string(String(digest.total)),
                        JournalField.messageID: .string(MessageID.overdueDigest), JournalField.priority: "5",
                    ]
                )
            }
        }
        if !dryRun && !fanout.isEmpty {
            // Written once (ids from notice, recipient and channel), before
            // the marks: a tick killed in between writes the same again.
            let entries = fanout.finish()
            let added = Set(try ledger.enqueueOutbox(entries))
            report.queued = entries.filter { added.contains($0.id) }
            logQueued(report.queued)
        }
        if !dryRun {
            // Every message spooled above durable in new/ before the ledger says it was handled.
            try batch.commit()
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
                isHistory: { policy.isHistory($0) },
                people: people
            )
        report.reports = mailed.spooled
        report.queuedReports = mailed.queued
        report.next = [report.next, mailed.next].compactMap { $0 }.min()
        if !dryRun { applyRetention(today: now.date) }
        return report
    }

    /// One message of this tick on its way to the spool, with the numbered
    /// lines to keep first when it carries a reply address (a digest, a
    /// combined mail) and the subject its journal line names.
    struct Outgoing {
        var name: String
        var bytes: [UInt8]
        var lines: SentDigest?
        var subject: String
    }

    /// How many messages are composed, written and published together: the
    /// files of a chunk are flushed in parallel (`SpoolBatch.spool(_:)`),
    /// and at most a chunk of composed messages is in memory at once.
    static let chunk = 64

    /// Spools `items` a chunk at a time: composes each (`make`), keeps the
    /// chunk's numbered lines in one ledger transaction before any of its
    /// files can be seen (so a reply "完成 1 3" finds them whenever it comes,
    /// issue 16, item 4), writes and publishes the chunk's files, then hands
    /// each item and its result to `done`, in order. A failure is thrown
    /// after `done` has seen every message published before it.
    ///
    /// The lines of a message already in the spool stay as the ledger has
    /// them (a tick retried after a crash finds it spooled); those of a
    /// message not yet spooled replace what is kept, because that message is
    /// the one people will answer (a record made between a crash and the
    /// retry can change what a digest lists).
    func spool<Item>(
        _ items: [Item],
        batch: inout SpoolBatch,
        at instant: Date,
        make: (Item) throws -> Outgoing,
        done: (Item, Outgoing, SpoolResult) throws -> Void
    ) throws {
        var start = 0
        while start < items.count {
            let slice = items[start..<min(start + Self.chunk, items.count)]
            start += Self.chunk
            let made = try slice.map { ($0, try make($0)) }
            let lines = made.compactMap { _, message in
                message.lines.map { (digest: $0, replacing: !batch.contains(name: message.name)) }
            }
            if !lines.isEmpty { try ledger.recordSentDigests(lines, at: Int64(instant.timeIntervalSince1970)) }
            let outcome = batch.spool(made.map { SpoolBatch.Message(name: $0.1.name, bytes: $0.1.bytes) })
            for (k, result) in outcome.results.enumerated() { try done(made[k].0, made[k].1, result) }
            if let error = outcome.error { throw error }
        }
    }

    /// A digest's numbered lines as the ledger keeps them; nil without a reply address.
    func sentLines(
        _ reply: MessageComposer.DigestReply?,
        kind: String,
        to recipient: Address,
        on date: CivilDate
    ) -> SentDigest? {
        reply.map {
            SentDigest(
                id: Int64($0.id.value),
                recipient: recipient.address,
                kind: kind,
                sentOn: date.description,
                lines: $0.lines
            )
        }
    }

    /// One line per channel with something new in its outbox.
    func logQueued(_ entries: [OutboxEntry]) {
        guard !entries.isEmpty else { return }
        var counts: [String: Int] = [:]
        var order: [String] = []
        for e in entries {
            if counts[e.channel] == nil { order.append(e.channel) }
            counts[e.channel, default: 0] += 1
        }
        for channel in order {
            let n = counts[channel] ?? 0
            logger.info(
                "\(Texts.channelMessagesQueued(channel, n).text(in: config.language))",
                metadata: [JournalField.channel: .string(channel), JournalField.count: .string(String(n))]
            )
        }
    }

    /// "12 notices held (outside the send window: Sunday 00:13) until 2026-11-23 08:30".
    public static func heldLine(_ count: Int, now: LocalTime, until: LocalTime, language: Language) -> String {
        Texts.mailHeld(count, now: now, until: until).text(in: language)
    }

    /// One info line for the plans a tick skipped as long past (at most ten
    /// ids quoted, then a count).
    public static func retiredLine(_ ids: [String], horizonDays: Int, language: Language) -> String {
        let shown = ids.prefix(10).joined(separator: ", ") + (ids.count > 10 ? ", …" : "")
        return Texts.plansRetired(ids.count, horizonDays: horizonDays, shown: shown).text(in: language)
    }

    /// Reply addresses for the notices when `mail.reply-to` is set.
    func replyAddressing() -> ReplyAddressing? {
        guard let base = config.mail.replies.replyAddress,
            let signer = tokenSigner(missing: "notices go out without a reply address")
        else { return nil }
        return ReplyAddressing(signer: signer, base: base, expiryDays: config.mail.replies.expiryDays)
    }

    /// Personal links to the web desk in notices (issue 17), when `web.url`
    /// is set; the same key as the reply addresses and the desk.
    func webLinks() -> WebLinks? {
        guard let base = config.web.url, let signer = tokenSigner(missing: "notices go out without a web link")
        else { return nil }
        return WebLinks(signer: signer, base: base, expiryDays: config.mail.replies.expiryDays)
    }

    /// The token key of the state folder (created 0600 on first use). A key
    /// that cannot be read is logged and nil returned: a reminder without a
    /// reply address or a link is still a reminder.
    func tokenSigner(missing consequence: String) -> TokenSigner? {
        do {
            return TokenSigner(keyring: try TokenKeyFile(stateDirectory: config.state).loadOrCreate())
        } catch {
            logger.error(
                "\(config.language.pick(error.zh, error.en)); \(consequence)",
                metadata: [JournalField.kind: "reply-key", JournalField.priority: "3"]
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
