import InboundMail
import Journal
import Logging
import Outbox
import Records
import Vocabulary
import WorkCalendar

extension MailGate {
    /// Journal fields every mail-in entry carries. The token is cut to its
    /// first characters: enough to tell entries apart, not enough to reuse.
    func metadata(from: String?, token: String?, reason: String) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            JournalField.source: "mail", JournalField.reason: .string(reason), JournalField.kind: "reply",
        ]
        if let from { metadata[JournalField.from] = .string(from) }
        if let token { metadata[JournalField.token] = .string(String(token.prefix(8)) + "…") }
        return metadata
    }

    /// One entry per outcome, and one per occurrence recorded, removed or refused.
    func log(_ outcome: MailInOutcome, message: InboundMessage, token: String?) {
        let from = message.from?.address
        var base = metadata(from: from, token: token, reason: outcome.code)
        switch outcome {
        case .ignored(let automatic):
            base[JournalField.messageID] = .string(MessageID.replyIgnored)
            base[JournalField.reason] = .string("automatic: \(automatic)")
            logger.info("mail-in: automatic mail ignored (\(automatic)) from \(from ?? "?")", metadata: base)
        case .noSender:
            base[JournalField.messageID] = .string(MessageID.replyRefused)
            logger.notice("mail-in: a message without a usable sender was dropped", metadata: base)
        case .help:
            base[JournalField.messageID] = .string(MessageID.replyAnswered)
            logger.notice("mail-in: a reply from \(from ?? "?") was not understood; answered with help", metadata: base)
        case .tooLarge, .noToken, .badToken, .unknownSubject, .notAuthorised:
            base[JournalField.messageID] = .string(MessageID.replyRefused)
            logger.warning("mail-in: a reply from \(from ?? "?") recorded nothing (\(outcome.code))", metadata: base)
        case .lines(let results, _):
            for result in results {
                var fields = base
                if let o = result.occurrence {
                    fields[JournalField.plan] = .string(o.plan)
                    fields[JournalField.item] = .string(o.item)
                    fields[JournalField.period] = .string(o.period)
                    fields[JournalField.owner] = .string(o.owner)
                    fields[JournalField.due] = .string(o.due.description)
                }
                let what = result.occurrence.map { "\($0.owner) · \($0.title) (\($0.period))" } ?? "a digest line"
                switch result {
                case .recorded(_, _, let doneOn, let timing, let id):
                    fields[JournalField.messageID] = .string(MessageID.recordAdded)
                    fields[JournalField.reason] = "recorded"
                    logger.notice(
                        "recorded done by mail from \(from ?? "?"): \(what) \(doneOn), \(timing.en) (record #\(id))",
                        metadata: fields
                    )
                case .undone(_, _, let doneOn, let id):
                    fields[JournalField.messageID] = .string(MessageID.recordRemoved)
                    fields[JournalField.reason] = "undone"
                    logger.notice(
                        "record #\(id) (\(doneOn)) removed by mail from \(from ?? "?"): \(what)",
                        metadata: fields
                    )
                case .refused(_, _, let refusal):
                    fields[JournalField.messageID] = .string(MessageID.replyRefused)
                    fields[JournalField.reason] = .string(refusal.code)
                    logger.warning("mail-in: not recorded: \(what): \(refusal.en)", metadata: fields)
                case .undoRefused(_, _, let refusal):
                    fields[JournalField.messageID] = .string(MessageID.replyRefused)
                    fields[JournalField.reason] = "undo-refused"
                    logger.warning("mail-in: not removed: \(what): \(refusal.en)", metadata: fields)
                case .noSuchLine(let n):
                    fields[JournalField.messageID] = .string(MessageID.replyRefused)
                    fields[JournalField.reason] = "no-such-line"
                    logger.warning("mail-in: digest line \(n) does not exist", metadata: fields)
                case .lineGone(let n, let plan, let item, let period):
                    fields[JournalField.messageID] = .string(MessageID.replyRefused)
                    fields[JournalField.reason] = "line-gone"
                    logger.warning(
                        "mail-in: digest line \(n) (\(plan)/\(item)/\(period)) is no longer in the plans",
                        metadata: fields
                    )
                case .lineNotAuthorised:
                    fields[JournalField.messageID] = .string(MessageID.replyRefused)
                    fields[JournalField.reason] = "not-authorised"
                    logger.warning("mail-in: \(from ?? "?") is not a contact of \(what)'s plan", metadata: fields)
                }
            }
        }
    }
}
