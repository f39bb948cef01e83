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

    var zh: Bool { language == .zh }

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
            let more = results.count > 1 ? (zh ? " 等 \(results.count) 项" : " and \(results.count - 1) more") : ""
            if done.isEmpty { return zh ? "【未登记】\(what)\(more)" : "[Not recorded] \(what)\(more)" }
            if undo { return zh ? "【已撤销】\(what)\(more)" : "[Record removed] \(what)\(more)" }
            if done.count < results.count {
                return zh
                    ? "【部分登记】\(done.count)/\(results.count) 项" : "[Partly recorded] \(done.count) of \(results.count)"
            }
            return zh ? "【已登记】\(what)\(more)" : "[Recorded] \(what)\(more)"
        case .help: return zh ? "【如何回复】直接回复“完成”即可登记" : "[How to reply] reply \"done\" to record"
        case .tooLarge: return zh ? "【未登记】邮件过大" : "[Not recorded] message too large"
        default: return zh ? "【未登记】无法处理您的回复" : "[Not recorded] your reply could not be used"
        }
    }

    public var body: String {
        var lines: [String] = [zh ? "\(name)：" : "Dear \(name),", ""]
        switch outcome {
        case .lines(let results, let digest):
            lines += results.flatMap { describe($0, digest: digest) }
            if results.contains(where: { if case .recorded = $0 { true } else { false } }) {
                if let note { lines += ["", (zh ? "备注：" : "Note: ") + note] }
                lines += ["", evidenceLine]
                if replyable {
                    lines += ["", zh ? "如登记有误，直接回复本邮件“撤销”即可撤销。" : "If this is a mistake, reply \"undo\" to this mail."]
                }
            }
        case .help(let reason, let digest):
            switch reason {
            case .invalidDate(let text):
                lines += [
                    zh ? "日期“\(text)”不存在，未登记。" : "The date \"\(text)\" does not exist; nothing was recorded.", "",
                ]
            case .noLines:
                lines += [
                    zh ? "请写明要登记的序号，未登记。" : "Please name the numbered lines to record; nothing was recorded.", "",
                ]
            case .empty, .noKeyword:
                lines += [zh ? "未能识别您的回复，未登记。" : "Your reply was not understood; nothing was recorded.", ""]
            }
            lines += helpLines(digest: digest)
        case .tooLarge(let size, let limit):
            lines +=
                zh
                ? [
                    "您的邮件有 \(Self.megabytes(size))，超过了可接收的 \(Self.megabytes(limit))，未登记任何内容。",
                    "请减少或压缩附件（例如每封只附一两张照片）后重新回复，或只回复“完成”。",
                ]
                : [
                    "Your message is \(Self.megabytes(size)), more than the \(Self.megabytes(limit)) accepted; nothing was recorded.",
                    "Please reply again with fewer or smaller attachments (one or two photos a mail), or just \"done\".",
                ]
        case .noToken:
            lines +=
                zh
                ? ["本地址只接收对提醒邮件的回复。请在收到的提醒邮件上直接点“回复”，第一行写“完成”。"]
                : [
                    "This address only takes replies to notices. Open a notice you received, reply to it, and write \"done\" on the first line."
                ]
        case .badToken(let problem):
            lines += badTokenLines(problem)
        case .unknownSubject(let digest):
            lines +=
                zh
                ? [
                    digest ? "您回复的汇总邮件在台账中已查不到，未登记。" : "您回复的事项在当前计划中已不存在（计划可能已修改或删除），未登记。",
                    "如确已完成，请回复最新的提醒邮件，或联系管理员登记。",
                ]
                : [
                    digest
                        ? "The digest you replied to is no longer known; nothing was recorded."
                        : "The item you replied to is no longer in the plans (they were edited or removed); nothing was recorded.",
                    "If the work is done, reply to a newer notice or ask the administrator to record it.",
                ]
        case .notAuthorised:
            lines +=
                zh
                ? [
                    "这封提醒是发给其他人的；为防止误登记，只接受提醒收件人或本计划联系人的回复，未登记。",
                    "请从您在计划中登记的邮箱回复，或请管理员把您的邮箱加入计划联系人。",
                ]
                : [
                    "This notice was sent to someone else. Only its recipient or a contact of the plan may answer it; nothing was recorded.",
                    "Please reply from the address the plan lists for you, or ask the administrator to add yours.",
                ]
        case .ignored, .noSender:
            break
        }
        lines += [
            "", "——", zh ? "党建工作计划提醒（plankeeper）自动回复" : "plankeeper (party-building plan reminders), automatic answer",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    func describe(_ result: LineResult, digest: Bool) -> [String] {
        func label(_ o: AnsweredOccurrence, _ line: Int?) -> String {
            (line.map { "\($0). " } ?? "") + "\(o.owner) · \(o.title)（\(o.period)）"
        }
        switch result {
        case .recorded(let o, let line, let doneOn, let timing, _):
            return zh
                ? ["已登记：\(label(o, line))", "  完成日期 \(doneOn)，截止日期 \(o.due)，\(timing.zh)。"]
                : ["Recorded: \(label(o, line))", "  done \(doneOn), due \(o.due), \(timing.en)."]
        case .undone(let o, let line, let doneOn, _):
            return zh
                ? ["已撤销：\(label(o, line))（原登记完成日期 \(doneOn)）", "  该事项重新视为未完成。"]
                : ["Removed: \(label(o, line)) (recorded as done \(doneOn))", "  It counts as not done again."]
        case .refused(let o, let line, let refusal):
            return zh
                ? ["未登记：\(label(o, line))", "  原因：\(refusal.zh)。"]
                : ["Not recorded: \(label(o, line))", "  Reason: \(refusal.en)."]
        case .undoRefused(let o, let line, let refusal):
            return zh
                ? ["未撤销：\(label(o, line))", "  原因：\(refusal.zh)。"]
                : ["Not removed: \(label(o, line))", "  Reason: \(refusal.en)."]
        case .noSuchLine(let n):
            return zh ? ["未登记：第 \(n) 项（汇总邮件中没有这一序号）"] : ["Not recorded: line \(n) (the digest has no such line)"]
        case .lineGone(let n, let plan, let item, let period):
            return zh
                ? ["未登记：第 \(n) 项（\(plan)/\(item)/\(period) 已不在计划中）"]
                : ["Not recorded: line \(n) (\(plan)/\(item)/\(period) is no longer in the plans)"]
        case .lineNotAuthorised(let o, let line):
            return zh
                ? ["未登记：\(label(o, line))（您不是该计划的联系人）"]
                : ["Not recorded: \(label(o, line)) (you are not a contact of its plan)"]
        }
    }

    var evidenceLine: String {
        if evidence.isEmpty {
            return zh
                ? "附件：无（会议记录、签到表照片可随回复附上，非必需）。"
                : "Attachments: none (minutes or a sign-in sheet photo may be attached; optional)."
        }
        let list = evidence.map { "\($0.name)（\(Self.megabytes($0.size))）" }.joined(separator: zh ? "、" : ", ")
        return zh
            ? "已保存附件 \(evidence.count) 个：\(list)。"
            : "Kept \(evidence.count) attachment\(evidence.count == 1 ? "" : "s"): \(list)."
    }

    func helpLines(digest: Bool) -> [String] {
        if digest {
            return zh
                ? [
                    "请直接回复本汇总邮件，第一行写“完成”和要登记的序号，例如：",
                    "  完成 1 3 5-7           登记第 1、3、5、6、7 项为今天完成",
                    "  完成 1 3 2026-11-20    登记为 11 月 20 日完成（也可写“昨天”）",
                    "  撤销 3                 撤销您通过邮件对第 3 项的登记",
                    "可附会议记录、签到表照片（非必需）。",
                ]
                : [
                    "Reply to the digest with \"done\" and the line numbers on the first line, for example:",
                    "  done 1 3 5-7            records lines 1, 3, 5, 6 and 7 as done today",
                    "  done 1 3 2026-11-20     done on 20 November (\"yesterday\" works too)",
                    "  undo 3                  takes back what you recorded by mail for line 3",
                    "Minutes or a sign-in sheet photo may be attached (optional).",
                ]
        }
        return zh
            ? [
                "请直接回复提醒邮件，第一行写：",
                "  完成                   登记为今天完成",
                "  完成 11-20             登记为 11 月 20 日完成（也可写 2026-11-20、昨天）",
                "  完成 11-20 会议在三楼召开   其余文字作为备注",
                "  撤销                   撤销您通过邮件做的登记",
                "可附会议记录、签到表照片（非必需）。",
            ]
            : [
                "Reply to the notice with one of these on the first line:",
                "  done                    records it as done today",
                "  done 11-20              done on 20 November (also 2026-11-20, yesterday)",
                "  done 11-20 held in room 3   the rest is kept as a note",
                "  undo                    takes back what you recorded by mail",
                "Minutes or a sign-in sheet photo may be attached (optional).",
            ]
    }

    func badTokenLines(_ problem: MailInOutcome.TokenProblem) -> [String] {
        switch problem {
        case .expired, .keyRetired, .unknownVersion:
            return zh
                ? ["您回复的提醒邮件太旧，其回复地址已失效，未登记。", "请回复最近收到的提醒邮件，或联系管理员登记。"]
                : [
                    "The notice you replied to is too old; its reply address no longer works, and nothing was recorded.",
                    "Please reply to a recent notice, or ask the administrator to record it.",
                ]
        case .badSignature, .malformed, .wrongPurpose:
            return zh
                ? ["回复地址无效（可能在转发或复制时被改动），未登记。", "请在收到的提醒邮件上直接点“回复”，不要改动收件人地址。"]
                : [
                    "The reply address is not valid (it may have been changed when forwarded or copied); nothing was recorded.",
                    "Please use Reply on the notice you received, without changing the address.",
                ]
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
