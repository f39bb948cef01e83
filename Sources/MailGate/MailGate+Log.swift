import InboundMail
import Journal
import Logging
import Outbox
import Records
import WorkCalendar

extension MailGate {
    /// Journal fields every mail-in entry carries. The token is cut to its
    /// first characters: enough to tell entries apart, not enough to reuse.
    func metadata(from: String?, token: String?, reason: String) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "plankeeper_source": "mail", "plankeeper_reason": .string(reason), "plankeeper_kind": "reply",
        ]
        if let from { metadata["plankeeper_from"] = .string(from) }
        if let token { metadata["plankeeper_token"] = .string(String(token.prefix(8)) + "…") }
        return metadata
    }

    /// One entry per outcome, and one per occurrence recorded, removed or refused.
    func log(_ outcome: MailInOutcome, message: InboundMessage, token: String?) {
        let from = message.from?.address
        var base = metadata(from: from, token: token, reason: outcome.code)
        switch outcome {
        case .ignored(let automatic):
            base["message_id"] = .string(MessageID.replyIgnored)
            base["plankeeper_reason"] = .string("automatic: \(automatic)")
            logger.info("mail-in: automatic mail ignored (\(automatic)) from \(from ?? "?")", metadata: base)
        case .noSender:
            base["message_id"] = .string(MessageID.replyRefused)
            logger.notice("mail-in: a message without a usable sender was dropped", metadata: base)
        case .help:
            base["message_id"] = .string(MessageID.replyAnswered)
            logger.notice("mail-in: a reply from \(from ?? "?") was not understood; answered with help", metadata: base)
        case .tooLarge, .noToken, .badToken, .unknownSubject, .notAuthorised:
            base["message_id"] = .string(MessageID.replyRefused)
            logger.warning("mail-in: a reply from \(from ?? "?") recorded nothing (\(outcome.code))", metadata: base)
        case .lines(let results, _):
            for result in results {
                var fields = base
                if let o = result.occurrence {
                    fields["plankeeper_plan"] = .string(o.plan)
                    fields["plankeeper_item"] = .string(o.item)
                    fields["plankeeper_period"] = .string(o.period)
                    fields["plankeeper_owner"] = .string(o.owner)
                    fields["plankeeper_due"] = .string(o.due.description)
                }
                let what = result.occurrence.map { "\($0.owner) · \($0.title) (\($0.period))" } ?? "a digest line"
                switch result {
                case .recorded(_, _, let doneOn, let timing, let id):
                    fields["message_id"] = .string(MessageID.recordAdded)
                    fields["plankeeper_reason"] = "recorded"
                    logger.notice("recorded done by mail from \(from ?? "?"): \(what) \(doneOn), \(timing.en) (record #\(id))",
                                  metadata: fields)
                case .undone(_, _, let doneOn, let id):
                    fields["message_id"] = .string(MessageID.recordRemoved)
                    fields["plankeeper_reason"] = "undone"
                    logger.notice("record #\(id) (\(doneOn)) removed by mail from \(from ?? "?"): \(what)", metadata: fields)
                case .refused(_, _, let refusal):
                    fields["message_id"] = .string(MessageID.replyRefused)
                    fields["plankeeper_reason"] = .string(refusal.code)
                    logger.warning("mail-in: not recorded: \(what): \(refusal.en)", metadata: fields)
                case .undoRefused(_, _, let refusal):
                    fields["message_id"] = .string(MessageID.replyRefused)
                    fields["plankeeper_reason"] = "undo-refused"
                    logger.warning("mail-in: not removed: \(what): \(refusal.en)", metadata: fields)
                case .noSuchLine(let n):
                    fields["message_id"] = .string(MessageID.replyRefused)
                    fields["plankeeper_reason"] = "no-such-line"
                    logger.warning("mail-in: digest line \(n) does not exist", metadata: fields)
                case .lineGone(let n, let plan, let item, let period):
                    fields["message_id"] = .string(MessageID.replyRefused)
                    fields["plankeeper_reason"] = "line-gone"
                    logger.warning("mail-in: digest line \(n) (\(plan)/\(item)/\(period)) is no longer in the plans",
                                   metadata: fields)
                case .lineNotAuthorised:
                    fields["message_id"] = .string(MessageID.replyRefused)
                    fields["plankeeper_reason"] = "not-authorised"
                    logger.warning("mail-in: \(from ?? "?") is not a contact of \(what)'s plan", metadata: fields)
                }
            }
        }
    }
}
