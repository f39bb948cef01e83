import FileOps
import Journal
import Logging
import Spool
import Vocabulary

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Moves spooled messages to the mail system, exactly once where the file
/// system can promise it, and says in the journal what became of each.
///
/// ## The folders
///
///     new/NAME              written by `tick`, waiting
///     queue/NAME            claimed by a delivery pass (in flight, or waiting to be retried)
///     queue/.NAME.retry     its retry state (attempts, first failure, next attempt, last reason)
///     cur/NAME:2,S          handed to the MTA ("seen", in Maildir's words)
///     cur/.NAME.delivered   when, to whom, through what, and the MTA's answer
///     failed/NAME           given up: refused, or still failing after give-up-after
///     failed/.NAME.failed   when and why
///
/// A message only ever moves forward (new → queue → cur or failed), each
/// step one rename(2), so `Spool.contains`, which looks in that order,
/// always finds it and `tick` never spools it twice. The retry state lives
/// beside the message rather than in its name, because renaming a waiting
/// message back and forth would break that order.
///
/// ## Two runners
///
/// A pass holds an exclusive `flock` on `queue/` from start to end; a
/// second runner (the daemon and a `plankeeper deliver` by hand) finds it
/// held and does nothing (`busy`). The lock dies with its process, so
/// whatever is in `queue/` when a pass holds the lock belongs to no live
/// runner. Claims are still atomic renames that refuse to replace, so even
/// a runner that ignored the lock could not take a message twice.
///
/// ## Crashes
///
/// - before the claim: the message is in `new/`; the next pass takes it.
/// - claimed, not yet accepted by the MTA: it is in `queue/` with no
///   delivery record; the next pass (at start-up, the daemon runs one
///   first) sends it. This is the *recovery* the log reports.
/// - accepted by the MTA, before the delivery record is written: the next
///   pass sends it again. This window, between the MTA's `250` (or
///   sendmail's exit 0) and one small file write, is the only way a
///   message goes out twice.
/// - record written, message not yet in `cur/`: the next pass sees the
///   record and completes the move without sending.
/// - a retry state or record lost: the message is tried sooner than
///   planned; nothing is lost.
public struct DeliveryAgent: Sendable {
    public let spool: Spool
    public let transport: any MailTransport
    public let retry: RetryPolicy
    public let logger: Logger
    public let language: Language
    /// The envelope sender when a message has no `From:` address.
    public let fallbackSender: String

    /// Larger files are not mail plankeeper wrote: refused, not read whole.
    static let sizeLimit = 10 * 1024 * 1024

    public init(
        spool: Spool,
        transport: any MailTransport,
        retry: RetryPolicy,
        logger: Logger,
        language: Language = .zh,
        fallbackSender: String = ""
    ) {
        self.spool = spool
        self.transport = transport
        self.retry = retry
        self.logger = logger
        self.language = language
        self.fallbackSender = fallbackSender
    }

    var queueFolder: String { spool.directory + "/queue" }
    func folder(_ name: String) -> String { spool.directory + "/" + name }

    /// One pass: recover what a stopped process left, then send every message
    /// that is due (all of `new/`, and the queued ones whose retry time has
    /// come, or all of them with `retryNow`). `now` gives the current time
    /// in seconds since 1970; `shouldContinue` is asked before each message,
    /// so a shutdown waits for at most the message in hand.
    public func run(
        now: () -> Int64,
        retryNow: Bool = false,
        shouldContinue: () -> Bool = { true }
    ) throws(DeliveryError) -> DeliveryReport {
        let owner = Files.foreignOwner(of: spool.directory)
        if mkdir(queueFolder, 0o700) == 0 {
            if let owner { _ = chown(queueFolder, owner.uid, owner.gid) }
        } else if errno != EEXIST {
            throw DeliveryError(.createFolder, path: queueFolder, errorNumber: errno)
        }
        let lockFD = open(queueFolder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard lockFD >= 0 else { throw DeliveryError(.openFolder, path: queueFolder, errorNumber: errno) }
        defer { _ = close(lockFD) }
        while flock(lockFD, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            if errno == EWOULDBLOCK { return DeliveryReport(busy: true) }
            throw DeliveryError(.lock, path: queueFolder, errorNumber: errno)
        }

        var report = DeliveryReport()
        try recover(&report)

        // What is due, oldest first.
        var due: [(name: String, fromNew: Bool, state: RetryState?, mtime: Int64)] = []
        let start = now()
        for name in try messages(in: queueFolder) {
            let state = readState(name)
            if retryNow || state.map({ $0.nextAttempt <= start }) ?? true {
                due.append((name, false, state, Files.identity(queueFolder + "/" + name)?.mtime ?? 0))
            }
        }
        for name in try messages(in: folder("new")) {
            due.append((name, true, nil, Files.identity(folder("new") + "/" + name)?.mtime ?? 0))
        }
        due.sort { ($0.mtime, $0.name) < ($1.mtime, $1.name) }

        var systemDown: Message?
        for item in due {
            guard shouldContinue() else {
                report.stopped = true
                break
            }
            if item.fromNew && !claim(item.name) { continue }
            deliver(item.name, state: item.state, systemDown: &systemDown, now: now, report: &report)
        }

        // When the next retry is due, for the daemon to sleep until then.
        for name in (try? messages(in: queueFolder)) ?? [] {
            guard let state = readState(name) else {
                report.nextAttempt = min(report.nextAttempt ?? start, start)
                continue
            }
            report.waiting += 1
            report.nextAttempt = min(report.nextAttempt ?? state.nextAttempt, state.nextAttempt)
        }
        return report
    }

    // MARK: Steps

    /// Finishes what a stopped process left half done: a message whose
    /// delivery (or failure) record exists completes its move without being
    /// sent again; a claimed message without one is logged as recovered and
    /// is due now; stray retry states are removed.
    func recover(_ report: inout DeliveryReport) throws(DeliveryError) {
        let entries: [String]
        switch Files.entries(queueFolder) {
        case .success(let e): entries = e
        case .failure(let e): throw DeliveryError(.readFolder, path: queueFolder, errorNumber: e.number)
        }
        let names = Set(entries.filter { !$0.hasPrefix(".") })
        for name in names.sorted() {
            let queued = queueFolder + "/" + name
            // A claim by link(2) interrupted before its unlink: the same file in new/ too.
            let inNew = folder("new") + "/" + name
            if let a = Files.identity(queued), let b = Files.identity(inNew), a.dev == b.dev, a.ino == b.ino {
                _ = unlink(inNew)
            }
            if Files.exists(folder("cur") + "/." + name + ".delivered") {
                moveToCur(name)
                report.recovered += 1
                logger.notice(
                    "\(Texts.recoveredSent(name).text(in: language))",
                    metadata: [JournalField.spoolFile: .string(name), JournalField.priority: "5"]
                )
            } else if Files.exists(folder("failed") + "/." + name + ".failed") {
                _ = moveNoReplace(queued, folder("failed") + "/" + name)
                _ = unlink(queueFolder + "/." + name + ".retry")
                report.recovered += 1
            } else if !Files.exists(queueFolder + "/." + name + ".retry") {
                report.recovered += 1
                logger.warning(
                    "\(Texts.recoveredUnsent(name).text(in: language))",
                    metadata: [JournalField.spoolFile: .string(name), JournalField.priority: "4"]
                )
            }
        }
        for entry in entries where entry.hasPrefix(".") && entry.hasSuffix(".retry") {
            let name = String(entry.dropFirst().dropLast(".retry".count))
            if !names.contains(name) { _ = unlink(queueFolder + "/" + entry) }
        }
    }

    /// new/NAME → queue/NAME, refusing to replace. False when someone else
    /// took it first (ENOENT) or it cannot be moved.
    func claim(_ name: String) -> Bool {
        let from = folder("new") + "/" + name
        let to = queueFolder + "/" + name
        guard let e = Files.renameNoReplace(from, to) else { return true }
        if e == ENOENT { return false }
        if e == EEXIST, let a = Files.identity(from), let b = Files.identity(to), a.dev == b.dev, a.ino == b.ino {
            _ = unlink(from)
            return true
        }
        logger.error(
            "\(Texts.cannotClaim(from, FileBytes.reason(e)).text(in: language))",
            metadata: [JournalField.spoolFile: .string(name), JournalField.priority: "3"]
        )
        return false
    }

    func deliver(
        _ name: String,
        state: RetryState?,
        systemDown: inout Message?,
        now: () -> Int64,
        report: inout DeliveryReport
    ) {
        let path = queueFolder + "/" + name
        let bytes: [UInt8]
        switch FileBytes.read(path, limit: DeliveryAgent.sizeLimit) {
        case .success(let b): bytes = b
        case .failure(let error) where error.number == ENOENT: return
        case .failure(let error):
            let e = error.number
            let reason = Texts.cannotRead(path, FileBytes.reason(e))
            let info = MessageInfo(name: name, headers: MessageHeaders(message: []))
            if e == EFBIG {
                fail(info, reason: reason, attempts: (state?.attempts ?? 0) + 1, now: now(), report: &report)
            } else {
                postpone(info, state: state, reason: reason, now: now(), report: &report)
            }
            return
        }
        let info = MessageInfo(name: name, headers: MessageHeaders(message: bytes))
        let recipients = info.headers.recipients
        guard !recipients.isEmpty else {
            fail(
                info,
                reason: Texts.noRecipient,
                attempts: (state?.attempts ?? 0) + 1,
                now: now(),
                report: &report
            )
            return
        }
        let result: TransportResult
        if let down = systemDown {
            result = .temporary(
                Texts.notTriedSystemDown(down),
                systemDown: true
            )
        } else {
            result = transport.send(
                OutgoingMail(sender: info.headers.sender ?? fallbackSender, recipients: recipients, bytes: bytes)
            )
        }
        switch result {
        case .accepted(let answer):
            delivered(
                info,
                recipients: recipients,
                answer: answer,
                attempts: (state?.attempts ?? 0) + 1,
                now: now(),
                report: &report
            )
        case .temporary(let reason, let down):
            if down && systemDown == nil { systemDown = reason }
            postpone(info, state: state, reason: reason, now: now(), report: &report)
        case .permanent(let reason):
            fail(info, reason: reason, attempts: (state?.attempts ?? 0) + 1, now: now(), report: &report)
        }
    }

    func delivered(
        _ info: MessageInfo,
        recipients: [String],
        answer: String,
        attempts: Int,
        now: Int64,
        report: inout DeliveryReport
    ) {
        let record = """
            delivered-at: \(Timestamp.iso(now))
            recipients: \(recipients.joined(separator: ", "))
            transport: \(transport.name)
            answer: \(Timestamp.oneLine(answer))
            attempts: \(attempts)
            message-id: \(info.headers.messageID ?? "")

            """
        let recordPath = folder("cur") + "/." + info.name + ".delivered"
        if let e = Files.writeAtomically(
            Array(record.utf8),
            temporary: temporary(info.name, "delivered"),
            target: recordPath,
            owner: Files.foreignOwner(of: spool.directory)
        ) {
            // The mail is out: a missing record must not make it go out again.
            logger.error(
                "\(Texts.cannotWriteRecord(recordPath, FileBytes.reason(e)).text(in: language))",
                metadata: [JournalField.spoolFile: .string(info.name), JournalField.priority: "3"]
            )
        }
        moveToCur(info.name)
        report.delivered.append(
            DeliveryReport.Entry(name: info.name, recipients: recipients, subject: info.subject, detail: answer)
        )
        var metadata = info.metadata(recipients)
        metadata[JournalField.messageID] = .string(DeliveryMessageID.delivered)
        metadata[JournalField.answer] = .string(answer)
        metadata[JournalField.transport] = .string(transport.name)
        metadata[JournalField.attempts] = .string(String(attempts))
        metadata[JournalField.priority] = "5"
        let to = recipients.joined(separator: ", ")
        logger.notice(
            "\(Texts.delivered(subject: info.subject, to: to, answer: answer).text(in: language))",
            metadata: metadata
        )
    }

    /// queue/NAME → cur/NAME:2,S; the retry state goes.
    func moveToCur(_ name: String) {
        let queued = queueFolder + "/" + name
        let target = folder("cur") + "/" + name + ":2,S"
        if let e = moveNoReplace(queued, target) {
            guard e == EEXIST else {
                logger.error(
                    "\(Texts.cannotMoveDelivered(target, FileBytes.reason(e)).text(in: language))",
                    metadata: [JournalField.spoolFile: .string(name), JournalField.priority: "3"]
                )
                return
            }
            _ = unlink(queued)  // delivered already and moved before: this is the same message
        }
        _ = unlink(queueFolder + "/." + name + ".retry")
        Files.syncDirectory(folder("cur"))
        Files.syncDirectory(queueFolder)
    }

    func postpone(_ info: MessageInfo, state: RetryState?, reason: Message, now: Int64, report: inout DeliveryReport) {
        switch retry.afterTemporaryFailure(state, reason: reason.text(in: language), now: now) {
        case .giveUp(let attempts, let since):
            fail(
                info,
                reason: Texts.gaveUp(attempts: attempts, waited: now - since, reason: reason),
                attempts: attempts,
                now: now,
                report: &report
            )
        case .retry(let next):
            let statePath = queueFolder + "/." + info.name + ".retry"
            if let e = Files.writeAtomically(
                Array(next.text.utf8),
                temporary: temporary(info.name, "retry"),
                target: statePath,
                owner: Files.foreignOwner(of: spool.directory)
            ) {
                logger.error(
                    "\(Texts.cannotWriteRetryState(statePath, FileBytes.reason(e)).text(in: language))",
                    metadata: [JournalField.spoolFile: .string(info.name), JournalField.priority: "3"]
                )
            }
            let recipients = info.headers.recipients
            report.deferred.append(
                DeliveryReport.Entry(
                    name: info.name,
                    recipients: recipients,
                    subject: info.subject,
                    detail: reason.text(in: language),
                    nextAttempt: next.nextAttempt
                )
            )
            var metadata = info.metadata(recipients)
            metadata[JournalField.messageID] = .string(DeliveryMessageID.deferred)
            metadata[JournalField.reason] = .string(reason.text(in: language))
            metadata[JournalField.attempts] = .string(String(next.attempts))
            metadata[JournalField.nextAttempt] = .string(Timestamp.iso(next.nextAttempt))
            metadata[JournalField.transport] = .string(transport.name)
            metadata[JournalField.priority] = "4"
            let to = recipients.joined(separator: ", ")
            logger.warning(
                "\(Texts.deferred(subject: info.subject, to: to, reason: reason, attempts: next.attempts, wait: next.nextAttempt - now).text(in: language))",
                metadata: metadata
            )
        }
    }

    func fail(_ info: MessageInfo, reason: Message, attempts: Int, now: Int64, report: inout DeliveryReport) {
        let recipients = info.headers.recipients
        let record = """
            failed-at: \(Timestamp.iso(now))
            recipients: \(recipients.joined(separator: ", "))
            transport: \(transport.name)
            reason: \(Timestamp.oneLine(reason.text(in: language)))
            attempts: \(attempts)
            message-id: \(info.headers.messageID ?? "")

            """
        let recordPath = folder("failed") + "/." + info.name + ".failed"
        _ = Files.writeAtomically(
            Array(record.utf8),
            temporary: temporary(info.name, "failed"),
            target: recordPath,
            owner: Files.foreignOwner(of: spool.directory)
        )
        let queued = queueFolder + "/" + info.name
        if let e = moveNoReplace(queued, folder("failed") + "/" + info.name) {
            logger.error(
                "\(Texts.cannotMoveToFailed(FileBytes.reason(e)).text(in: language))",
                metadata: [JournalField.spoolFile: .string(info.name), JournalField.priority: "3"]
            )
        } else {
            _ = unlink(queueFolder + "/." + info.name + ".retry")
            Files.syncDirectory(folder("failed"))
        }
        report.failed.append(
            DeliveryReport.Entry(
                name: info.name,
                recipients: recipients,
                subject: info.subject,
                detail: reason.text(in: language)
            )
        )
        var metadata = info.metadata(recipients)
        metadata[JournalField.messageID] = .string(DeliveryMessageID.failed)
        metadata[JournalField.reason] = .string(reason.text(in: language))
        metadata[JournalField.attempts] = .string(String(attempts))
        metadata[JournalField.transport] = .string(transport.name)
        metadata[JournalField.priority] = "3"
        let to = recipients.isEmpty ? "?" : recipients.joined(separator: ", ")
        logger.error(
            "\(Texts.failed(subject: info.subject, to: to, reason: reason, folder: folder("failed")).text(in: language))",
            metadata: metadata
        )
    }

    // MARK: Helpers

    func moveNoReplace(_ from: String, _ to: String) -> Int32? {
        Files.renameNoReplace(from, to)
    }

    /// A file in the spool's `tmp/` for an atomic write; the pid keeps two
    /// processes apart, `Spool.recover` removes what a crash leaves.
    func temporary(_ name: String, _ kind: String) -> String {
        folder("tmp") + "/." + name + "." + kind + ".\(getpid())"
    }

    func readState(_ name: String) -> RetryState? {
        guard case .success(let bytes) = FileBytes.read(queueFolder + "/." + name + ".retry", limit: 64 * 1024) else {
            return nil
        }
        return RetryState(text: String(decoding: bytes, as: UTF8.self))
    }

    /// Message files in a folder: regular, not hidden, and valid spool names.
    func messages(in path: String) throws(DeliveryError) -> [String] {
        switch Files.entries(path) {
        case .success(let names):
            return names.filter { !$0.hasPrefix(".") && !$0.contains(":") && Files.identity(path + "/" + $0) != nil }
                .sorted()
        case .failure(let e):
            throw DeliveryError(.readFolder, path: path, errorNumber: e.number)
        }
    }
}

/// What a pass did, for the command's summary and the daemon's next wake-up.
public struct DeliveryReport: Sendable {
    public struct Entry: Sendable {
        public var name: String
        public var recipients: [String]
        public var subject: String
        /// The MTA's answer, or the reason of the failure.
        public var detail: String
        /// For a deferred message: not before this (seconds since 1970).
        public var nextAttempt: Int64?
    }

    public var delivered: [Entry] = []
    public var deferred: [Entry] = []
    public var failed: [Entry] = []
    /// Messages a stopped process had left half done, finished or requeued.
    public var recovered = 0
    /// Another runner holds the queue; this pass did nothing.
    public var busy = false
    /// Asked to stop before every due message was tried.
    public var stopped = false
    /// Messages waiting for a later retry.
    public var waiting = 0
    /// The earliest retry due (seconds since 1970), nil when none waits.
    public var nextAttempt: Int64?

    public init(busy: Bool = false) { self.busy = busy }
}

/// The `MESSAGE_ID`s of delivery events; the same values as the Journal
/// module's `MessageID` (which this module cannot import), checked equal by
/// a test so the catalog entries apply.
public enum DeliveryMessageID {
    public static let delivered = "5de3bf8204fe4166b3e5fd69ccbb8a43"
    public static let deferred = "a95dd7ab15274467bf63eb1a93c93b4a"
    public static let failed = "53b042a3fe194be9ab5dd20fb4e9ce3c"
}

/// The parts of a message the log lines use.
struct MessageInfo {
    var name: String
    var headers: MessageHeaders

    var subject: String { headers.subject ?? name }

    func metadata(_ recipients: [String]) -> Logger.Metadata {
        var m: Logger.Metadata = [
            JournalField.spoolFile: .string(name),
            JournalField.recipient: .string(recipients.joined(separator: ", ")),
        ]
        if let id = headers.messageID { m[JournalField.mailMessageID] = .string(id) }
        for (header, key) in [
            ("X-Plankeeper-Plan", JournalField.plan), ("X-Plankeeper-Item", JournalField.item),
            ("X-Plankeeper-Period", JournalField.period), ("X-Plankeeper-Kind", JournalField.kind),
        ] {
            if let value = headers[header] { m[key] = .string(EncodedWords.decode(value)) }
        }
        return m
    }
}

/// Times as text, without Foundation or a time zone: UTC in records and
/// journal fields, relative durations in log lines.
enum Timestamp {
    /// `2026-11-18T00:30:05Z`.
    static func iso(_ seconds: Int64) -> String {
        var t = time_t(seconds)
        var parts = tm()
        guard gmtime_r(&t, &parts) != nil else { return String(seconds) }
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return
            "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }

    static func oneLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
    }
}
