import Channels
import Diagnostics
import FileOps
import Journal
import Logging
import Synchronization
import Vocabulary

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Carries one channel's outbox (企业微信, 钉钉) to its service: the mail
/// delivery agent's counterpart, one per configured channel, each on its
/// own so one channel down never holds up another or the mail.
///
/// ## A pass
///
/// 1. An exclusive `flock` on the channel's lock file, so the daemon and a
///    `plankeeper deliver` by hand never deliver one channel at once (each
///    would count the service's limits on its own).
/// 2. Recovery: an entry still `sending` belongs to a process that died in
///    the middle of its request; it may or may not have arrived. Within
///    the service's own duplicate window (企业微信 app) it is sent again;
///    otherwise it becomes `uncertain`, is not sent again, and the journal
///    says so (`deliver --resend-uncertain` sends them after a check).
///    Nothing arrives twice.
/// 3. The queued entries go out in the order they were written, as the
///    rate limiter allows (seeded with this channel's sends of the last
///    hour, from the outbox, so a new process keeps the limits too). What
///    the limits hold back stays queued with the time it may go: a pass
///    never waits, the daemon comes back then.
/// 4. Each answer as the channel reads it: sent; a wait the service asked
///    for (held, not counted as an attempt); given up (refused; the journal
///    names the channel's config line); or a back-off like mail's (30 s
///    doubling to an hour, given up after `give-up-after`), where a
///    service that is down stops this channel's pass.
public final class ChannelDeliveryAgent: Sendable {
    public let channel: any Channel
    public let secrets: ChannelSecretSources
    public let environment: [String: String]
    public let ledger: any OutboxStore
    /// The lock file of this channel (in the state folder).
    public let lockPath: String
    public let retry: RetryPolicy
    public let logger: Logger
    public let language: Language
    public let perform: @Sendable (HTTPRequest) -> HTTPResult
    /// The access token between passes (the 企业微信 app's lives 7,200 s).
    private let token = Mutex<AccessToken?>(nil)

    public init(
        channel: any Channel,
        secrets: ChannelSecretSources,
        environment: [String: String],
        ledger: any OutboxStore,
        lockPath: String,
        retry: RetryPolicy,
        logger: Logger,
        language: Language = .zh,
        perform: @escaping @Sendable (HTTPRequest) -> HTTPResult
    ) {
        self.channel = channel
        self.secrets = secrets
        self.environment = environment
        self.ledger = ledger
        self.lockPath = lockPath
        self.retry = retry
        self.logger = logger
        self.language = language
        self.perform = perform
    }

    public var name: String { channel.settings.name }

    /// One pass. `now` gives seconds since 1970; `shouldContinue` is asked
    /// before each message, so a shutdown waits for at most the one in hand.
    public func run(
        now: () -> Int64,
        retryNow: Bool = false,
        resendUncertain: Bool = false,
        shouldContinue: () -> Bool = { true }
    ) throws(ChannelDeliveryError) -> ChannelDeliveryReport {
        var report = ChannelDeliveryReport(channel: name)
        // Read-only is enough for flock, and lets the service use a lock file root created.
        let lock = open(lockPath, O_RDONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard lock >= 0 else {
            throw ChannelDeliveryError(
                channel: name,
                text: Message(
                    zh: "无法打开锁文件 \(lockPath)：\(FileBytes.reason(errno))",
                    en: "cannot open the lock file \(lockPath): \(FileBytes.reason(errno))"
                )
            )
        }
        // Unlocked explicitly before the close: a child forked meanwhile by
        // another thread (sendmail for the mail) shares this open file until
        // its exec, and would otherwise keep the lock a moment after we are done.
        defer {
            _ = flock(lock, LOCK_UN)
            _ = close(lock)
        }
        while flock(lock, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            if errno == EWOULDBLOCK {
                report.busy = true
                return report
            }
            throw ChannelDeliveryError(
                channel: name,
                text: Message(
                    zh: "无法锁定 \(lockPath)：\(FileBytes.reason(errno))",
                    en: "cannot lock \(lockPath): \(FileBytes.reason(errno))"
                )
            )
        }
        do {
            try recover(now: now(), resendUncertain: resendUncertain, report: &report)
            try deliver(now: now, retryNow: retryNow, shouldContinue: shouldContinue, report: &report)
        } catch {
            throw ChannelDeliveryError(channel: name, text: Message(zh: "台账出错：\(error)", en: "ledger error: \(error)"))
        }
        return report
    }

    // MARK: Steps

    func recover(now: Int64, resendUncertain: Bool, report: inout ChannelDeliveryReport) throws {
        for entry in try ledger.outboxEntries(channel: name, state: .sending) {
            report.recovered += 1
            if let window = type(of: channel).duplicateWindow, let claimed = entry.claimedAt, now - claimed < window {
                try ledger.requeueOutbox(entry.id, nextAttempt: nil, reason: nil, failedAt: nil, attemptsDelta: 0)
                log(
                    .warning,
                    entry,
                    zh: "恢复：\(entry.summary) → \(entry.recipient) 在上次发送途中中断，现在重发（服务会丢弃 \(window) 秒内的重复消息）",
                    en:
                        "recovered: \(entry.summary) → \(entry.recipient) was interrupted while sending; sending again (the service drops duplicates within \(window) s)",
                    id: ChannelMessageID.deferred,
                    priority: 4
                )
            } else {
                let reason = Message(
                    zh: "发送途中中断，无法确定是否已送达；为免重复不再自动重发（确认未收到后可用 plankeeper deliver --resend-uncertain 重发）",
                    en:
                        "interrupted while sending: it may or may not have arrived; not sent again to avoid a duplicate (after checking, plankeeper deliver --resend-uncertain sends it)"
                )
                try ledger.markOutboxUncertain(entry.id, reason: reason.text(in: language))
                report.uncertain.append(ChannelDeliveryReport.Entry(entry, detail: reason.text(in: language)))
                log(
                    .error,
                    entry,
                    zh: "无法确定是否已送达：\(entry.summary) → \(entry.recipient)：\(reason.zh)",
                    en: "delivery uncertain: \(entry.summary) → \(entry.recipient): \(reason.en)",
                    id: ChannelMessageID.uncertain,
                    priority: 3,
                    extra: [JournalField.reason: .string(reason.text(in: language))]
                )
            }
        }
        if resendUncertain {
            let n = try ledger.requeueOutbox(channel: name, from: .uncertain)
            if n > 0 {
                logger.notice(
                    "\(Texts.uncertainRequeued(name, n).text(in: language))",
                    metadata: [JournalField.channel: .string(name), JournalField.priority: "5"]
                )
            }
        }
    }

    func deliver(
        now: () -> Int64,
        retryNow: Bool,
        shouldContinue: () -> Bool,
        report: inout ChannelDeliveryReport
    ) throws {
        let pending = try ledger.outboxEntries(channel: name, state: .queued)
        guard !pending.isEmpty else { return }
        let start = now()
        var queue = SendQueue<String>(limiter: RateLimiter(windows: channel.limits))
        let longest = channel.limits.map(\.seconds).max() ?? 0
        for sent in try ledger.outboxSends(channel: name, since: start - longest - RateLimiter.margin) {
            queue.recordPast(sent.destination, at: sent.at)
        }
        var entries: [String: OutboxEntry] = [:]
        for entry in pending {
            entries[entry.id] = entry
            queue.enqueue(
                entry.id,
                destination: entry.destination,
                notBefore: retryNow ? .min : (entry.nextAttempt ?? .min)
            )
        }

        var credentials = ChannelCredentials()
        var down: Message?  // a secret that cannot be read
        if let source = secrets.token {
            switch source.read(environment: environment) {
            case .success(let t): credentials.token = t
            case .failure(let why): down = why
            }
        }
        if down == nil, let source = secrets.secret {
            switch source.read(environment: environment) {
            case .success(let s): credentials.secret = s
            case .failure(let why): down = why
            }
        }
        if let why = down {
            let reason = Message(zh: "\(channel.reference.zh)：\(why.zh)", en: "\(channel.reference.en): \(why.en)")
            try postponeAll(entries, reason: reason, except: nil, now: start, queue: &queue, report: &report)
        }

        loop: while true {
            guard shouldContinue() else {
                report.stopped = true
                break
            }
            let t = now()
            switch queue.next(now: t) {
            case .empty, .wait:
                break loop
            case .send(let id, let destination):
                guard let entry = entries[id] else {
                    queue.remove(id)
                    continue
                }
                guard try ledger.claimOutbox(id, at: t) else {
                    queue.remove(id)
                    continue
                }
                let message = RenderedMessage(destination: entry.destination, body: entry.body, summary: entry.summary)
                let cached = token.withLock { $0 }
                let exchange = ChannelExchange.run(
                    message,
                    through: channel,
                    credentials: credentials,
                    token: cached,
                    now: t,
                    perform: perform
                )
                token.withLock { $0 = exchange.token }
                switch exchange.outcome {
                case .delivered(let answer, let warning):
                    try ledger.markOutboxSent(id, at: t, answer: answer)
                    queue.sent(id, at: t)
                    var sent = entry
                    sent.attempts += 1
                    report.delivered.append(ChannelDeliveryReport.Entry(sent, detail: answer))
                    log(
                        .notice,
                        sent,
                        zh: "已发送：\(entry.summary) → \(entry.recipient)（\(name)，\(answer)）",
                        en: "delivered: \(entry.summary) → \(entry.recipient) (\(name), \(answer))",
                        id: ChannelMessageID.delivered,
                        priority: 5,
                        extra: [JournalField.answer: .string(answer)]
                    )
                    if let warning {
                        log(.warning, sent, zh: warning.zh, en: warning.en, id: ChannelMessageID.deferred, priority: 4)
                    }
                case .wait(let seconds, let reason):
                    let until = t + seconds
                    try ledger.requeueOutbox(
                        id,
                        nextAttempt: until,
                        reason: say(reason),
                        failedAt: nil,
                        attemptsDelta: -1
                    )
                    try ledger.postponeOutbox(channel: name, destination: destination, until: until)
                    queue.hold(destination, until: until)
                    report.held.append(ChannelDeliveryReport.Entry(entry, detail: say(reason), nextAttempt: until))
                    log(
                        .notice,
                        entry,
                        zh: "稍后发送：\(entry.summary) → \(entry.recipient)：\(reason.zh)",
                        en: "held: \(entry.summary) → \(entry.recipient): \(reason.en)",
                        id: ChannelMessageID.deferred,
                        priority: 5
                    )
                case .giveUp(let reason):
                    try fail(entry, reason: Message(zh: reason.zh, en: reason.en), now: t, report: &report)
                    queue.remove(id)
                case .backOff(let reason, let serviceDown):
                    let text = Message(zh: reason.zh, en: reason.en)
                    try postpone(entry, reason: text, claimed: true, now: t, queue: &queue, report: &report)
                    if serviceDown {
                        try postponeAll(entries, reason: text, except: id, now: t, queue: &queue, report: &report)
                    }
                case .token, .renewToken:
                    // The exchange resolves these itself; reaching here is a bug, treated as a back-off.
                    let text = Message(
                        zh: "\(channel.reference.zh)：令牌交换未完成",
                        en: "\(channel.reference.en): token exchange incomplete"
                    )
                    try postpone(entry, reason: text, claimed: true, now: t, queue: &queue, report: &report)
                }
            }
        }
        let end = now()
        report.waiting = queue.count
        if case .wait(let until) = queue.next(now: end) { report.nextAttempt = until }
        if case .send = queue.next(now: end), !report.stopped { report.nextAttempt = end }
    }

    /// The service is down (or a secret missing): every message whose time
    /// has come is not tried in this pass and gets a back-off of its own, as
    /// mail does when the MTA is unreachable, so all of them are given up
    /// together after give-up-after rather than one after another.
    func postponeAll(
        _ entries: [String: OutboxEntry],
        reason: Message,
        except: String?,
        now: Int64,
        queue: inout SendQueue<String>,
        report: inout ChannelDeliveryReport
    ) throws {
        let notTried = Message(zh: "本轮未尝试：" + reason.zh, en: "not tried in this pass: " + reason.en)
        for id in queue.due(now: now) where id != except {
            guard let entry = entries[id] else { continue }
            try postpone(entry, reason: notTried, claimed: false, now: now, queue: &queue, report: &report)
        }
    }

    /// A temporary failure: retried later, or given up past give-up-after.
    func postpone(
        _ entry: OutboxEntry,
        reason: Message,
        claimed: Bool,
        now: Int64,
        queue: inout SendQueue<String>,
        report: inout ChannelDeliveryReport
    ) throws {
        let previous =
            entry.firstFailure.map {
                RetryState(
                    attempts: entry.attempts,
                    firstAttempt: $0,
                    nextAttempt: entry.nextAttempt ?? now,
                    reason: entry.lastReason ?? ""
                )
            }
            ?? (entry.attempts > 0
                ? RetryState(attempts: entry.attempts, firstAttempt: now, nextAttempt: now, reason: "") : nil)
        switch retry.afterTemporaryFailure(previous, reason: reason.text(in: language), now: now) {
        case .retry(let state):
            try ledger.requeueOutbox(
                entry.id,
                nextAttempt: state.nextAttempt,
                reason: reason.text(in: language),
                failedAt: now,
                attemptsDelta: claimed ? 0 : 1
            )
            queue.postpone(entry.id, until: state.nextAttempt)
            let wait = Texts.duration(state.nextAttempt - now).text(in: language)
            report.deferred.append(
                ChannelDeliveryReport.Entry(entry, detail: reason.text(in: language), nextAttempt: state.nextAttempt)
            )
            log(
                .warning,
                entry,
                zh: "暂缓发送：\(entry.summary) → \(entry.recipient)：\(reason.zh)；第 \(state.attempts) 次尝试失败，\(wait)后重试",
                en:
                    "deferred: \(entry.summary) → \(entry.recipient): \(reason.en); attempt \(state.attempts) failed, retrying in \(wait)",
                id: ChannelMessageID.deferred,
                priority: 4,
                extra: [JournalField.reason: .string(reason.text(in: language))]
            )
        case .giveUp(let attempts, let since):
            let waited = Texts.duration(now - since).text(in: language)
            let text = Message(
                zh: "已尝试 \(attempts) 次、历时 \(waited) 仍未成功，放弃发送。最后一次原因：" + reason.zh,
                en: "gave up after \(attempts) attempts over \(waited). Last reason: " + reason.en
            )
            try fail(entry, reason: text, now: now, report: &report)
            queue.remove(entry.id)
        }
    }

    func fail(_ entry: OutboxEntry, reason: Message, now: Int64, report: inout ChannelDeliveryReport) throws {
        try ledger.markOutboxFailed(entry.id, at: now, reason: reason.text(in: language))
        report.failed.append(ChannelDeliveryReport.Entry(entry, detail: reason.text(in: language)))
        log(
            .error,
            entry,
            zh: "发送失败：\(entry.summary) → \(entry.recipient)：\(reason.zh)",
            en: "delivery failed: \(entry.summary) → \(entry.recipient): \(reason.en)",
            id: ChannelMessageID.failed,
            priority: 3,
            extra: [JournalField.reason: .string(reason.text(in: language))]
        )
    }

    // MARK: Journal

    func say(_ message: Message) -> String { message.text(in: language) }

    func log(
        _ level: Logger.Level,
        _ entry: OutboxEntry,
        zh zhText: String,
        en enText: String,
        id: String,
        priority: Int,
        extra: Logger.Metadata = [:]
    ) {
        var metadata: Logger.Metadata = [
            JournalField.messageID: .string(id), JournalField.priority: .string(String(priority)),
            JournalField.channel: .string(name), JournalField.channelKind: .string(type(of: channel).kind),
            JournalField.recipient: .string(entry.recipient), JournalField.outboxID: .string(entry.id),
            JournalField.kind: .string(entry.noticeKind), JournalField.attempts: .string(String(entry.attempts)),
        ]
        if !entry.plan.isEmpty {
            metadata["plankeeper_plan"] = .string(entry.plan)
            metadata["plankeeper_item"] = .string(entry.item)
            metadata["plankeeper_period"] = .string(entry.period)
        }
        metadata.merge(extra) { _, new in new }
        logger.log(level: level, "\(language.pick(zhText, enText))", metadata: metadata)
    }
}

/// The `MESSAGE_ID`s of the channels' delivery events: the same values as
/// the Journal module's `MessageID.channel…` (which this module cannot
/// import), each explained in systemd/plankeeper.catalog (a test checks).
public enum ChannelMessageID {
    public static let delivered = "f6b530ebd3ec4399b471504e71090711"
    public static let deferred = "21dff3f5b3c044e194981611f1170d4b"
    public static let failed = "44320dfb61dc4e15a327a4d1a5057986"
    public static let uncertain = "fe22b5dfab1243ed9a8edbe4368be620"
}

/// A channel's pass could not run (its lock, the ledger). Problems with one
/// message are outcomes in the report and lines in the journal, not errors.
public struct ChannelDeliveryError: Error, Sendable, CustomStringConvertible {
    public var channel: String
    public var text: Message

    public var description: String { text.zh + " / " + text.en }
}

/// What a channel's pass did.
public struct ChannelDeliveryReport: Sendable {
    public struct Entry: Sendable, Equatable {
        public var id: String
        public var recipient: String
        public var summary: String
        public var noticeKind: String
        /// The service's answer, or the reason.
        public var detail: String
        public var nextAttempt: Int64?
        public var attempts: Int

        init(_ entry: OutboxEntry, detail: String, nextAttempt: Int64? = nil) {
            id = entry.id
            recipient = entry.recipient
            summary = entry.summary
            noticeKind = entry.noticeKind
            self.detail = detail
            self.nextAttempt = nextAttempt
            attempts = entry.attempts
        }
    }

    public var channel: String
    public var delivered: [Entry] = []
    /// Back-offs: the service or the network failed.
    public var deferred: [Entry] = []
    /// Held because the service asked to slow down (45009, 130101).
    public var held: [Entry] = []
    public var failed: [Entry] = []
    /// Found in flight after a crash and not sent again.
    public var uncertain: [Entry] = []
    public var recovered = 0
    public var busy = false
    public var stopped = false
    /// Entries still queued after the pass.
    public var waiting = 0
    /// When the next one may go, nil when none waits.
    public var nextAttempt: Int64?

    public init(channel: String) { self.channel = channel }
}
