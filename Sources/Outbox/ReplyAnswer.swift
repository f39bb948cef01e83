import InboundMail
import MailFormat
import Records
import Vocabulary

/// The one answer a reply gets (issue 16): what was recorded (on time or
/// how late, with which evidence, how to undo), or why nothing was, and what
/// to do instead. In the configured language; short, because it is read on a
/// phone between two patients.
public struct ReplyAnswer: Sendable {
    public var language: Language
    /// Who is addressed (the contact's name in the plan, else the sender's display name).
    public var name: String
    public var outcome: MailInOutcome
    public var note: String?
    public var evidence: [RecordEvidence]
    /// Whether the answer carries a Reply-To with a fresh token (so "撤销" by reply works).
    public var replyable: Bool

    public init(
        language: Language,
        name: String,
        outcome: MailInOutcome,
        note: String?,
        evidence: [RecordEvidence],
        replyable: Bool
    ) {
        self.language = language
        self.name = name
        self.outcome = outcome
        self.note = note
        self.evidence = evidence
        self.replyable = replyable
    }

    /// The answer as mail: to the sender, in reply to their message, marked
    /// as automatic (so responders stay quiet), with a fresh reply address
    /// when there is one. The Message-ID derives from `key` (the message's
    /// idempotency key), so the answer rebuilt is the same answer.
    public func mail(
        key: String,
        from: Address,
        to: Address,
        replyTo: Address?,
        inReplyTo: String?,
        date: String
    ) -> [UInt8] {
        let envelope = MailEnvelope(
            from: from,
            to: [to],
            replyTo: replyTo,
            date: date,
            messageID: "answer-\(key.prefix(32)).plankeeper@\(from.domain)"
        )
        var headers: [(String, String)] = [("X-Plankeeper-Kind", "answer")]
        if let id = inReplyTo { headers += [("In-Reply-To", "<\(id)>"), ("References", "<\(id)>")] }
        return RFC5322.message(envelope: envelope, subject: subject, body: body, extraHeaders: headers)
    }

    public var subject: String {
        switch outcome {
        case .lines(let results, _):
            let done = results.filter(\.isChange)
            let undo = results.contains { if case .undone = $0 { true } else { false } }
            let first = results.lazy.compactMap(\.occurrence).first
            let what = first.map { "\($0.owner) · \($0.title)（\($0.period)）" } ?? ""
            let more = results.count > 1 ? Texts.andMore(results.count).text(in: language) : ""
            if done.isEmpty { return Texts.notRecordedSubject(what + more).text(in: language) }
            if undo { return Texts.removedSubject(what + more).text(in: language) }
            if done.count < results.count {
                return Texts.partlyRecordedSubject(done: done.count, of: results.count).text(in: language)
            }
            return Texts.recordedSubject(what + more).text(in: language)
        case .help: return Texts.howToReplySubject.text(in: language)
        case .tooLarge: return Texts.tooLargeSubject.text(in: language)
        default: return Texts.unusableReplySubject.text(in: language)
        }
    }

    public var body: String {
        var lines: [String] = [Texts.salutation(name).text(in: language), ""]
        switch outcome {
        case .lines(let results, let digest):
            lines += results.flatMap { describe($0, digest: digest) }
            if results.contains(where: { if case .recorded = $0 { true } else { false } }) {
                if let note { lines += ["", Texts.notePrefix.text(in: language) + note] }
                lines += ["", evidenceLine]
                if replyable {
                    lines += ["", Texts.replyUndoIfMistaken.text(in: language)]
                }
            }
        case .help(let reason, let digest):
            switch reason {
            case .invalidDate(let text):
                lines += [
                    Texts.noSuchDate(text).text(in: language), "",
                ]
            case .noLines:
                lines += [
                    Texts.nameTheLines.text(in: language), "",
                ]
            case .empty, .noKeyword:
                lines += [Texts.replyNotUnderstood.text(in: language), ""]
            }
            lines += helpLines(digest: digest)
        case .tooLarge(let size, let limit):
            lines +=
                Texts.tooLargeLines(size: Self.megabytes(size), limit: Self.megabytes(limit)).map {
                    $0.text(in: language)
                }
        case .noToken:
            lines +=
                Texts.noTokenLines.map { $0.text(in: language) }
        case .badToken(let problem):
            lines += badTokenLines(problem)
        case .unknownSubject(let digest):
            lines +=
                Texts.unknownSubjectLines(digest: digest).map { $0.text(in: language) }
        case .notAuthorised:
            lines +=
                Texts.notAuthorisedLines.map { $0.text(in: language) }
        case .ignored, .noSender:
            break
        }
        lines += [
            "", "——", Texts.automaticAnswerSignature.text(in: language),
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    func describe(_ result: LineResult, digest: Bool) -> [String] {
        func label(_ o: AnsweredOccurrence, _ line: Int?) -> String {
            (line.map { "\($0). " } ?? "") + "\(o.owner) · \(o.title)（\(o.period)）"
        }
        switch result {
        case .recorded(let o, let line, let doneOn, let timing, _):
            return Texts.recordedLines(label(o, line), doneOn: doneOn, due: o.due, timing: timing).map {
                $0.text(in: language)
            }
        case .undone(let o, let line, let doneOn, _):
            return Texts.removedLines(label(o, line), doneOn: doneOn).map { $0.text(in: language) }
        case .refused(let o, let line, let refusal):
            return Texts.refusedLines(label(o, line), refusal).map { $0.text(in: language) }
        case .undoRefused(let o, let line, let refusal):
            return Texts.undoRefusedLines(label(o, line), refusal).map { $0.text(in: language) }
        case .noSuchLine(let n):
            return [Texts.noSuchDigestLine(n).text(in: language)]
        case .lineGone(let n, let plan, let item, let period):
            return [Texts.digestLineGone(n, plan: plan, item: item, period: period).text(in: language)]
        case .lineNotAuthorised(let o, let line):
            return [Texts.notAContact(label(o, line)).text(in: language)]
        }
    }

    var evidenceLine: String {
        if evidence.isEmpty {
            return Texts.noAttachments.text(in: language)
        }
        let list = evidence.map { "\($0.name)（\(Self.megabytes($0.size))）" }.joined(
            separator: Texts.listSeparator.text(in: language)
        )
        return Texts.keptAttachments(evidence.count, list: list).text(in: language)
    }

    func helpLines(digest: Bool) -> [String] {
        if digest {
            return Texts.digestReplyHelp.map { $0.text(in: language) }
        }
        return Texts.noticeReplyHelp.map { $0.text(in: language) }
    }

    func badTokenLines(_ problem: MailInOutcome.TokenProblem) -> [String] {
        switch problem {
        case .expired, .keyRetired, .unknownVersion:
            return Texts.oldNoticeLines.map { $0.text(in: language) }
        case .badSignature, .malformed, .wrongPurpose:
            return Texts.badReplyAddressLines.map { $0.text(in: language) }
        }
    }

    /// `332 B`, `12 KB`, `1.2 MB`.
    static func megabytes(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1024 * 1024 { return "\((bytes + 512) / 1024) KB" }
        let tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024)
        return "\(tenths / 10).\(tenths % 10) MB"
    }
}

extension LineResult {
    public var occurrence: AnsweredOccurrence? {
        switch self {
        case .recorded(let o, _, _, _, _), .undone(let o, _, _, _), .refused(let o, _, _), .undoRefused(let o, _, _),
            .lineNotAuthorised(let o, _):
            o
        case .noSuchLine, .lineGone: nil
        }
    }
}
