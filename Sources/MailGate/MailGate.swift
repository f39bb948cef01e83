import Config
import PlanFiles
import Evidence
import Foundation
import InboundMail
import Journal
import Ledger
import Logging
import Outbox
import PlanFormat
import Records
import Scheduling
import Secrets
import Spool
import Tokens
import Vocabulary
import WorkCalendar

/// `plankeeper mail-in`: one received reply, read, checked and recorded, and
/// answered once through the spool (issue 16).
///
/// The order matters for safety: automatic mail is dropped before anything
/// else (no loop can start); the token is verified before anything it names
/// is believed; the sender is checked against the token and the plan; the
/// record rules run inside the same ledger transaction that stores the
/// message's row, so a message retried by postfix, or sent twice, changes the
/// ledger once and is answered once. Whatever cannot be done now (a locked
/// ledger, a full disk) ends in exit 75 before anything is half-done.
public struct MailGate {
    public var config: DaemonConfig
    /// The moment the message is handled (the caller's clock).
    public var now: Date
    /// `--recipient`: the envelope recipient postfix delivered to.
    public var recipient: String?
    public var logger: Logger
    /// How long to wait for a ledger another process is writing before exit 75.
    public var busyTimeout: Duration = Ledger.defaultBusyTimeout

    public init(config: DaemonConfig, now: Date, recipient: String?, logger: Logger) {
        self.config = config
        self.now = now
        self.recipient = recipient
        self.logger = logger
    }

    /// What `receive` did: the exit status, the outcome's code, and the
    /// answer's spool name when one was spooled.
    public struct Result: Sendable {
        public var exit: MailInExit
        public var outcome: String
        public var answerName: String?
    }

    /// A failure to reach the state (ledger, spool, evidence, keys): mail-in exits 75.
    struct Deferred: Error {
        var reason: String
    }

    var clock: LocalClock { LocalClock(identifier: config.timezone) }
    var nowSeconds: Int64 { Int64(now.timeIntervalSince1970.rounded(.down)) }
    var today: CivilDate { clock.local(now).date }

    /// Handles one message. Never throws and never traps: every failure is
    /// an exit status and a journal entry.
    public func receive(_ input: MailInput) -> Result {
        let message = InboundMessage.parse(input.bytes)
        if let automatic = AutomaticMail.detect(message) {
            log(.ignored(automatic), message: message, token: nil)
            return Result(exit: .done, outcome: "ignored", answerName: nil)
        }
        guard let from = message.from, !isOurOwn(from.address) else {
            log(.noSender, message: message, token: nil)
            return Result(exit: .done, outcome: "no-sender", answerName: nil)
        }
        let token = tokenText(message)
        let key = idempotencyKey(message, input: input, token: token)
        do {
            let ledger: Ledger
            do {
                ledger = try Ledger.open(folder: config.state, busyTimeout: busyTimeout)
            } catch {
                throw Deferred(reason: error.en)
            }
            let spool: Spool
            do {
                spool = try Spool(directory: config.spool)
            } catch {
                throw Deferred(reason: String(describing: error))
            }
            if let row = try deferring({ try ledger.inboundMessage(key: key) }) {
                // Handled before (postfix retried after a crash, or the same mail came twice):
                // make sure its answer is in the spool, change nothing.
                if let name = row.answerName, let bytes = row.answer {
                    _ = try deferring { try spool.spool(name: name, bytes: bytes) }
                }
                logger.info(
                    "mail-in: message already handled (\(row.outcome)); nothing changed",
                    metadata: metadata(from: from.address, token: token, reason: "duplicate")
                )
                return Result(exit: .done, outcome: "duplicate", answerName: row.answerName)
            }
            let plan = try prepare(message, from: from, token: token, input: input)
            let handling = try deferring {
                try ledger.handleInbound(key: key) { transaction in
                    try apply(plan, message: message, from: from, token: token, transaction: transaction)
                }
            }
            switch handling {
            case .alreadyHandled(let row):
                if let name = row.answerName, let bytes = row.answer {
                    _ = try deferring { try spool.spool(name: name, bytes: bytes) }
                }
                return Result(exit: .done, outcome: "duplicate", answerName: row.answerName)
            case .handled(let outcome, let row):
                if let name = row.answerName, let bytes = row.answer {
                    _ = try deferring { try spool.spool(name: name, bytes: bytes) }
                }
                log(outcome, message: message, token: token)
                return Result(exit: .done, outcome: outcome.code, answerName: row.answerName)
            }
        } catch let deferred as Deferred {
            logger.error(
                "mail-in: cannot handle the message now, the mail system will retry: \(deferred.reason)",
                metadata: metadata(from: from.address, token: token, reason: deferred.reason)
                    .merging([JournalField.messageID: .string(MessageID.replyDeferred)]) { $1 }
            )
            return Result(exit: .tryLater, outcome: "deferred", answerName: nil)
        } catch {
            logger.error(
                "mail-in: cannot handle the message now, the mail system will retry: \(error)",
                metadata: metadata(from: from.address, token: token, reason: "\(error)")
                    .merging([JournalField.messageID: .string(MessageID.replyDeferred)]) { $1 }
            )
            return Result(exit: .tryLater, outcome: "deferred", answerName: nil)
        }
    }

    /// Runs a ledger, spool or evidence step; what fails in it is a reason to retry later.
    func deferring<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as LedgerError {
            throw Deferred(reason: error.en)
        } catch let error as EvidenceError {
            throw Deferred(reason: error.en)
        } catch let error as TokenKeyFileError {
            throw Deferred(reason: error.en)
        } catch let error as Deferred {
            throw error
        } catch {
            throw Deferred(reason: String(describing: error))
        }
    }

    /// Our own addresses never get an answer (a reply to our answer is not one).
    func isOurOwn(_ address: String) -> Bool {
        let own = [config.mail.replies.replyAddress, Self.address(of: config.mail.from)].compactMap { $0?.lowercased() }
        let lower = address.lowercased()
        return own.contains { candidate in
            guard let at = candidate.lastIndex(of: "@"), let theirAt = lower.lastIndex(of: "@") else {
                return candidate == lower
            }
            // plankeeper+anything@host is ours too.
            let local = lower[..<theirAt].split(separator: "+", maxSplits: 1).first.map(String.init) ?? ""
            return local == candidate[..<at] && lower[theirAt...] == candidate[at...]
        }
    }

    static func address(of mailbox: String) -> String {
        if let open = mailbox.lastIndex(of: "<"), mailbox.hasSuffix(">") {
            return String(mailbox[mailbox.index(after: open)..<mailbox.index(before: mailbox.endIndex)])
        }
        return mailbox
    }

    /// The token: from `--recipient` (what postfix used), else from the
    /// message's recipient headers, the first address of ours that has one.
    func tokenText(_ message: InboundMessage) -> String? {
        if let recipient, let token = ReplyAddress.token(in: recipient) { return String(token) }
        if let recipient, !recipient.contains("@"), recipient.count == ReplyToken.encodedLength { return recipient }
        let base = config.mail.replies.replyAddress.map { $0.split(separator: "@").first.map(String.init) ?? $0 }?
            .lowercased()
        for address in message.recipientAddresses {
            guard let token = ReplyAddress.token(in: address) else { continue }
            let local = address.split(separator: "+", maxSplits: 1).first.map { $0.lowercased() }
            if base == nil || local == base { return String(token) }
        }
        return nil
    }

    /// The same message and token always give the same key: its Message-ID,
    /// or without one its bytes' SHA-256.
    func idempotencyKey(_ message: InboundMessage, input: MailInput, token: String?) -> String {
        let identity = message.messageID.map { "id:" + $0 } ?? "sha256:" + EvidenceStore.sha256Hex(input.bytes)
        return EvidenceStore.sha256Hex(Array((identity + "\n" + (token?.lowercased() ?? "")).utf8))
    }
}
