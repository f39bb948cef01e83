import Config
import Logging
import PlanFiles
import Foundation
import InboundMail
import Ledger
import Outbox
import Records
import Scheduling
import Secrets
import Tokens
import Vocabulary
import WorkCalendar

extension MailGate {
    /// Inside the ledger transaction: the record rules against the records as
    /// they are now, the changes, and the answer (kept with the message's row).
    func apply(
        _ preparation: Preparation,
        message: InboundMessage,
        from: Address,
        token: String?,
        transaction: LedgerTransaction
    ) throws -> (MailInOutcome, InboundMessageRow) {
        let outcome: MailInOutcome
        var note: String?
        switch preparation.kind {
        case .final(let final):
            outcome = final
        case .command(let command):
            note = command.note
            var results: [LineResult] = []
            for target in command.targets {
                switch target {
                case .unavailable(let result):
                    results.append(result)
                case .occurrence(let o, let line):
                    let key = OccurrenceKey(plan: o.planID, item: o.itemID, period: o.period)
                    let existing = try transaction.records(for: key).map(ExistingRecord.init)
                    switch command.action {
                    case .done(let date):
                        let request = RecordRequest(
                            doneOn: date,
                            source: .mail,
                            by: preparation.name,
                            byAddress: from.address
                        )
                        switch RecordRules.check(request, of: o, existing: existing, today: today) {
                        case .refuse(let refusal):
                            results.append(.refused(AnsweredOccurrence(o), line: line, refusal))
                        case .accept:
                            let record = try transaction.addRecord(
                                NewRecord(
                                    plan: o.planID,
                                    item: o.itemID,
                                    period: o.period,
                                    doneOn: date.description,
                                    by: preparation.name,
                                    note: note,
                                    recordedAt: nowSeconds,
                                    source: .mail,
                                    byAddress: from.address,
                                    evidence: preparation.evidence
                                )
                            )
                            let timing =
                                preparation.calendar.map { RecordTiming(doneOn: date, due: o.due, calendar: $0) }
                                ?? (date > o.due ? .late(workdays: 0) : .onTime)
                            results.append(
                                .recorded(
                                    AnsweredOccurrence(o),
                                    line: line,
                                    doneOn: date,
                                    timing: timing,
                                    recordID: record.id
                                )
                            )
                        }
                    case .undo:
                        switch RecordRules.recordToUndo(
                            by: .person(address: from.address, source: .mail),
                            among: existing
                        ) {
                        case .failure(let refusal):
                            results.append(.undoRefused(AnsweredOccurrence(o), line: line, refusal))
                        case .success(let record):
                            let removed = try transaction.removeRecord(id: record.id)
                            results.append(
                                .undone(
                                    AnsweredOccurrence(o),
                                    line: line,
                                    doneOn: removed?.doneOn ?? "",
                                    recordID: record.id
                                )
                            )
                        }
                    }
                }
            }
            outcome = .lines(results, digest: command.digest)
        }

        var row = InboundMessageRow(
            key: "",
            messageID: message.messageID,
            token: token,
            fromAddress: from.address,
            outcome: outcome.code,
            receivedAt: nowSeconds
        )
        if outcome.isAnswered {
            let recent = try transaction.answersSent(to: from.address, since: nowSeconds - 86_400)
            if recent < config.mail.replies.answersPerDay {
                let answer = ReplyAnswer(
                    language: config.language,
                    name: preparation.name,
                    outcome: outcome,
                    note: note,
                    evidence: preparation.evidence,
                    replyable: preparation.token != nil && config.mail.replies.replyTo != nil
                )
                let key = idempotencyKey(message, input: MailInput(bytes: []), token: token)
                row.answerName = "answer_" + String(key.prefix(32))
                row.answer = answer.mail(
                    key: key,
                    from: Address(mailbox: config.mail.from, defaultName: "plankeeper"),
                    to: Address(name: preparation.name == from.address ? "" : preparation.name, address: from.address),
                    replyTo: freshReplyAddress(preparation, to: from),
                    inReplyTo: message.messageID,
                    date: clock.rfc5322(now)
                )
            } else {
                logger.warning(
                    "mail-in: \(recent) answers to \(from.address) in 24 hours; this one is not answered (mail.answer-limit)",
                    metadata: metadata(from: from.address, token: token, reason: "answer-limit")
                )
            }
        }
        return (outcome, row)
    }

    /// A fresh reply address for the same occurrence or digest, addressed to
    /// this sender (so "撤销" works by replying to the answer); nil without a
    /// verified token or a `reply-to`.
    func freshReplyAddress(_ preparation: Preparation, to from: Address) -> Address? {
        guard let token = preparation.token, let base = config.mail.replies.replyAddress,
            let keyring = try? deferring({ try TokenKeyFile(stateDirectory: config.state).load() })
        else { return nil }
        let fresh = ReplyToken(
            subject: token.subject,
            recipient: AddressDigest(address: from.address),
            expiresAt: nowSeconds + Int64(config.mail.replies.expiryDays) * 86_400
        )
        guard let text = try? fresh.sign(with: TokenSigner(keyring: keyring)),
            let address = ReplyAddress.make(base: base, token: text)
        else { return nil }
        return Address(name: "", address: address)
    }
}
