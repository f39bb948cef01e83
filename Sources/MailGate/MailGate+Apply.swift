import Daemon
import Foundation
import InboundMail
import Ledger
import MailFormat
import Records
import Scheduling
import Secrets
import Tokens
import WorkCalendar

extension MailGate {
    /// Inside the ledger transaction: the record rules against the records as
    /// they are now, the changes, and the answer (kept with the message's row).
    func apply(
        _ preparation: Preparation, message: InboundMessage, from: MailboxAddress, token: String?,
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
                    let key = RecordKey(plan: o.planID, item: o.itemID, period: o.period)
                    let existing = try transaction.records(for: key).map(ExistingRecord.init)
                    switch command.action {
                    case .done(let date):
                        let request = RecordRequest(doneOn: date, source: .mail, by: preparation.name, byAddress: from.address)
                        switch RecordRules.check(request, of: o, existing: existing, today: today) {
                        case .refuse(let refusal):
                            results.append(.refused(AnsweredOccurrence(o), line: line, refusal))
                        case .accept:
                            let record = try transaction.addRecord(NewRecord(
                                plan: o.planID, item: o.itemID, period: o.period, doneOn: date.description,
                                by: preparation.name, note: note, recordedAt: nowSeconds, source: .mail,
                                byAddress: from.address, evidence: preparation.evidence))
                            let timing = preparation.calendar.map { RecordTiming(doneOn: date, due: o.due, calendar: $0) }
                                ?? (date > o.due ? .late(workdays: 0) : .onTime)
                            results.append(.recorded(AnsweredOccurrence(o), line: line, doneOn: date, timing: timing,
                                                     recordID: record.id))
                        }
                    case .undo:
                        switch RecordRules.recordToUndo(by: .person(address: from.address, source: .mail), among: existing) {
                        case .failure(let refusal):
                            results.append(.undoRefused(AnsweredOccurrence(o), line: line, refusal))
                        case .success(let record):
                            let removed = try transaction.removeRecord(id: record.id)
                            results.append(.undone(AnsweredOccurrence(o), line: line, doneOn: removed?.doneOn ?? "",
                                                   recordID: record.id))
                        }
                    }
                }
            }
            outcome = .lines(results, digest: command.digest)
        }

        var row = InboundMessageRow(
            key: "", messageID: message.messageID, token: token, fromAddress: from.address, outcome: outcome.code,
            receivedAt: nowSeconds)
        if outcome.isAnswered {
            let recent = try transaction.answersSent(to: from.address, since: nowSeconds - 86_400)
            if recent < config.mail.replies.answersPerDay {
                let answer = MailInAnswer(
                    language: config.language, name: preparation.name, outcome: outcome, note: note,
                    evidence: preparation.evidence, replyable: preparation.token != nil && config.mail.replies.replyTo != nil,
                    limit: config.mail.replies.sizeLimit)
                let name = "answer_" + String(idempotencyKey(message, input: MailInput(bytes: []), token: token).prefix(32))
                row.answerName = name
                row.answer = compose(answer, to: from, preparation: preparation, message: message, name: name)
            } else {
                logger.warning(
                    "mail-in: \(recent) answers to \(from.address) in 24 hours; this one is not answered (mail.answer-limit)",
                    metadata: metadata(from: from.address, token: token, reason: "answer-limit"))
            }
        }
        return (outcome, row)
    }

    /// The answer mail: to the sender, in reply to their message, with a
    /// fresh reply address for the same occurrence or digest (so "撤销" works
    /// by replying), marked as automatic so responders stay quiet.
    func compose(
        _ answer: MailInAnswer, to from: MailboxAddress, preparation: Preparation, message: InboundMessage, name: String
    ) -> [UInt8] {
        let sender = Self.mailbox(config.mail.from)
        let domain = sender.address.split(separator: "@").last.map(String.init) ?? "localhost"
        let envelope = MailEnvelope(
            from: sender, to: [Mailbox(name: preparation.name == from.address ? "" : preparation.name, address: from.address)],
            date: clock.rfc5322(now), messageID: "\(name).plankeeper@\(domain)")
        var headers: [(String, String)] = [("X-Plankeeper-Kind", "answer")]
        if let id = message.messageID {
            headers += [("In-Reply-To", "<\(id)>"), ("References", "<\(id)>")]
        }
        if let token = preparation.token, let base = config.mail.replies.replyAddress {
            let fresh = ReplyToken(
                subject: token.subject, recipient: AddressDigest(address: from.address),
                expiresAt: nowSeconds + Int64(config.mail.replies.expiryDays) * 86_400)
            if let keyring = try? deferring({ try TokenKeyFile(stateDirectory: config.state).load() }),
                let text = try? fresh.sign(with: TokenSigner(keyring: keyring)),
                let address = ReplyAddress.make(base: base, token: text)
            {
                headers.append(("Reply-To", address))
            }
        }
        return RFC5322.message(envelope: envelope, subject: answer.subject, body: answer.body, extraHeaders: headers)
    }

    static func mailbox(_ text: String) -> Mailbox {
        if let open = text.lastIndex(of: "<"), text.hasSuffix(">") {
            let name = text[..<open].trimmingCharacters(in: .whitespaces)
            return Mailbox(name: name, address: String(text[text.index(after: open)..<text.index(before: text.endIndex)]))
        }
        return Mailbox(name: "plankeeper", address: text)
    }
}
