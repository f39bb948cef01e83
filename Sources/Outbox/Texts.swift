import Records
import Vocabulary
import WorkCalendar

/// What answers to replies and channel messages say, in both languages, in
/// one place.
enum Texts {
    // MARK: Answers to replies

    /// After the first item of a subject: ` 等 3 项` or ` and 2 more`.
    static func andMore(_ count: Int) -> Message {
        Message(zh: " 等 \(count) 项", en: " and \(count - 1) more")
    }

    static func notRecordedSubject(_ what: String) -> Message {
        Message(zh: "【未登记】\(what)", en: "[Not recorded] \(what)")
    }

    static func removedSubject(_ what: String) -> Message {
        Message(zh: "【已撤销】\(what)", en: "[Record removed] \(what)")
    }

    static func recordedSubject(_ what: String) -> Message {
        Message(zh: "【已登记】\(what)", en: "[Recorded] \(what)")
    }

    static let howToReplySubject = Message(
        zh: "【如何回复】直接回复“完成”即可登记",
        en: "[How to reply] reply \"done\" to record"
    )

    static let tooLargeSubject = Message(zh: "【未登记】邮件过大", en: "[Not recorded] message too large")

    static let unusableReplySubject = Message(
        zh: "【未登记】无法处理您的回复",
        en: "[Not recorded] your reply could not be used"
    )

    static func salutation(_ name: String) -> Message {
        Message(zh: "\(name)：", en: "Dear \(name),")
    }

    static let notePrefix = Message(zh: "备注：", en: "Note: ")

    static let replyUndoIfMistaken = Message(
        zh: "如登记有误，直接回复本邮件“撤销”即可撤销。",
        en: "If this is a mistake, reply \"undo\" to this mail."
    )

    static func noSuchDate(_ text: String) -> Message {
        Message(zh: "日期“\(text)”不存在，未登记。", en: "The date \"\(text)\" does not exist; nothing was recorded.")
    }

    static let nameTheLines = Message(
        zh: "请写明要登记的序号，未登记。",
        en: "Please name the numbered lines to record; nothing was recorded."
    )

    static let replyNotUnderstood = Message(
        zh: "未能识别您的回复，未登记。",
        en: "Your reply was not understood; nothing was recorded."
    )

    static let automaticAnswerSignature = Message(
        zh: "党建工作计划提醒（plankeeper）自动回复",
        en: "plankeeper (party-building plan reminders), automatic answer"
    )

    static func noSuchDigestLine(_ n: Int) -> Message {
        Message(zh: "未登记：第 \(n) 项（汇总邮件中没有这一序号）", en: "Not recorded: line \(n) (the digest has no such line)")
    }

    /// Between the names of kept attachments.
    static let listSeparator = Message(zh: "、", en: ", ")

    static func partlyRecordedSubject(done: Int, of all: Int) -> Message {
        Message(zh: "【部分登记】\(done)/\(all) 项", en: "[Partly recorded] \(done) of \(all)")
    }

    static func tooLargeLines(size: String, limit: String) -> [Message] {
        [
            Message(
                zh: "您的邮件有 \(size)，超过了可接收的 \(limit)，未登记任何内容。",
                en: "Your message is \(size), more than the \(limit) accepted; nothing was recorded."
            ),
            Message(
                zh: "请减少或压缩附件（例如每封只附一两张照片）后重新回复，或只回复“完成”。",
                en: "Please reply again with fewer or smaller attachments (one or two photos a mail), or just \"done\"."
            ),
        ]
    }

    static let noTokenLines = [
        Message(
            zh: "本地址只接收对提醒邮件的回复。请在收到的提醒邮件上直接点“回复”，第一行写“完成”。",
            en:
                "This address only takes replies to notices. Open a notice you received, reply to it, and write \"done\" on the first line."
        )
    ]

    static func unknownSubjectLines(digest: Bool) -> [Message] {
        [
            digest
                ? Message(
                    zh: "您回复的汇总邮件在台账中已查不到，未登记。",
                    en: "The digest you replied to is no longer known; nothing was recorded."
                )
                : Message(
                    zh: "您回复的事项在当前计划中已不存在（计划可能已修改或删除），未登记。",
                    en:
                        "The item you replied to is no longer in the plans (they were edited or removed); nothing was recorded."
                ),
            Message(
                zh: "如确已完成，请回复最新的提醒邮件，或联系管理员登记。",
                en: "If the work is done, reply to a newer notice or ask the administrator to record it."
            ),
        ]
    }

    static let notAuthorisedLines = [
        Message(
            zh: "这封提醒是发给其他人的；为防止误登记，只接受提醒收件人或本计划联系人的回复，未登记。",
            en:
                "This notice was sent to someone else. Only its recipient or a contact of the plan may answer it; nothing was recorded."
        ),
        Message(
            zh: "请从您在计划中登记的邮箱回复，或请管理员把您的邮箱加入计划联系人。",
            en: "Please reply from the address the plan lists for you, or ask the administrator to add yours."
        ),
    ]

    // MARK: Answers to replies, line by line

    static func recordedLines(_ label: String, doneOn: CivilDate, due: CivilDate, timing: RecordTiming) -> [Message] {
        [
            Message(zh: "已登记：\(label)", en: "Recorded: \(label)"),
            Message(
                zh: "  完成日期 \(doneOn)，截止日期 \(due)，\(timing.zh)。",
                en: "  done \(doneOn), due \(due), \(timing.en)."
            ),
        ]
    }

    static func removedLines(_ label: String, doneOn: String) -> [Message] {
        [
            Message(zh: "已撤销：\(label)（原登记完成日期 \(doneOn)）", en: "Removed: \(label) (recorded as done \(doneOn))"),
            Message(zh: "  该事项重新视为未完成。", en: "  It counts as not done again."),
        ]
    }

    static func refusedLines(_ label: String, _ refusal: RecordRefusal) -> [Message] {
        [
            Message(zh: "未登记：\(label)", en: "Not recorded: \(label)"),
            Message(zh: "  原因：\(refusal.zh)。", en: "  Reason: \(refusal.en)."),
        ]
    }

    static func undoRefusedLines(_ label: String, _ refusal: RecordRules.UndoRefusal) -> [Message] {
        [
            Message(zh: "未撤销：\(label)", en: "Not removed: \(label)"),
            Message(zh: "  原因：\(refusal.zh)。", en: "  Reason: \(refusal.en)."),
        ]
    }

    static func digestLineGone(_ n: Int, plan: String, item: String, period: String) -> Message {
        Message(
            zh: "未登记：第 \(n) 项（\(plan)/\(item)/\(period) 已不在计划中）",
            en: "Not recorded: line \(n) (\(plan)/\(item)/\(period) is no longer in the plans)"
        )
    }

    static func notAContact(_ label: String) -> Message {
        Message(zh: "未登记：\(label)（您不是该计划的联系人）", en: "Not recorded: \(label) (you are not a contact of its plan)")
    }

    static let noAttachments = Message(
        zh: "附件：无（会议记录、签到表照片可随回复附上，非必需）。",
        en: "Attachments: none (minutes or a sign-in sheet photo may be attached; optional)."
    )

    static func keptAttachments(_ count: Int, list: String) -> Message {
        Message(
            zh: "已保存附件 \(count) 个：\(list)。",
            en: "Kept \(count) attachment\(count == 1 ? "" : "s"): \(list)."
        )
    }

    static let digestReplyHelp = [
        Message(
            zh: "请直接回复本汇总邮件，第一行写“完成”和要登记的序号，例如：",
            en: "Reply to the digest with \"done\" and the line numbers on the first line, for example:"
        ),
        Message(
            zh: "  完成 1 3 5-7           登记第 1、3、5、6、7 项为今天完成",
            en: "  done 1 3 5-7            records lines 1, 3, 5, 6 and 7 as done today"
        ),
        Message(
            zh: "  完成 1 3 2026-11-20    登记为 11 月 20 日完成（也可写“昨天”）",
            en: "  done 1 3 2026-11-20     done on 20 November (\"yesterday\" works too)"
        ),
        Message(
            zh: "  撤销 3                 撤销您通过邮件对第 3 项的登记",
            en: "  undo 3                  takes back what you recorded by mail for line 3"
        ),
        Message(zh: "可附会议记录、签到表照片（非必需）。", en: "Minutes or a sign-in sheet photo may be attached (optional)."),
    ]

    static let noticeReplyHelp = [
        Message(zh: "请直接回复提醒邮件，第一行写：", en: "Reply to the notice with one of these on the first line:"),
        Message(zh: "  完成                   登记为今天完成", en: "  done                    records it as done today"),
        Message(
            zh: "  完成 11-20             登记为 11 月 20 日完成（也可写 2026-11-20、昨天）",
            en: "  done 11-20              done on 20 November (also 2026-11-20, yesterday)"
        ),
        Message(zh: "  完成 11-20 会议在三楼召开   其余文字作为备注", en: "  done 11-20 held in room 3   the rest is kept as a note"),
        Message(
            zh: "  撤销                   撤销您通过邮件做的登记",
            en: "  undo                    takes back what you recorded by mail"
        ),
        Message(zh: "可附会议记录、签到表照片（非必需）。", en: "Minutes or a sign-in sheet photo may be attached (optional)."),
    ]

    static let oldNoticeLines = [
        Message(
            zh: "您回复的提醒邮件太旧，其回复地址已失效，未登记。",
            en: "The notice you replied to is too old; its reply address no longer works, and nothing was recorded."
        ),
        Message(
            zh: "请回复最近收到的提醒邮件，或联系管理员登记。",
            en: "Please reply to a recent notice, or ask the administrator to record it."
        ),
    ]

    static let badReplyAddressLines = [
        Message(
            zh: "回复地址无效（可能在转发或复制时被改动），未登记。",
            en:
                "The reply address is not valid (it may have been changed when forwarded or copied); nothing was recorded."
        ),
        Message(
            zh: "请在收到的提醒邮件上直接点“回复”，不要改动收件人地址。",
            en: "Please use Reply on the notice you received, without changing the address."
        ),
    ]

    // MARK: Channel messages

    static let overdueItemsFact = Message(zh: "逾期事项", en: "Overdue items")
    static let branchesFact = Message(zh: "涉及支部", en: "Branches")
    static let escalatedFact = Message(zh: "已到督办时限", en: "Escalated")

    /// A branch's count of overdue items: `3 项` or `3`.
    static func itemCount(_ n: Int) -> Message {
        Message(zh: "\(n) 项", en: String(n))
    }

    /// After a backlog line's title: `（2026 年 11 月，截止 2026-11-26）`.
    static func periodAndDue(_ period: String, _ due: CivilDate) -> Message {
        Message(zh: "（\(period)，截止 \(due)）", en: " (\(period), due \(due))")
    }

    static let pastNoticesNotRecorded = Message(
        zh: "以下事项已过提醒时间，尚未登记完成，一并列出。",
        en: "These items are past their notices and not recorded as done."
    )

    static let outstandingFact = Message(zh: "未办事项", en: "Outstanding")

    static let dueFact = Message(zh: "应完成", en: "Due")
    static let doneFact = Message(zh: "已完成", en: "Done")
    static let onTimeFact = Message(zh: "按时完成", en: "On time")
    static let overdueFact = Message(zh: "逾期未完成", en: "Overdue")
    static let completionFact = Message(zh: "完成率", en: "Completion")
    static let onTimeRateFact = Message(zh: "按时率", en: "On-time rate")

    /// A branch's place in a report's ranking: `第 1 名 ` or `#1 `.
    static func rankPlace(_ rank: Int) -> Message {
        Message(zh: "第 \(rank) 名 ", en: "#\(rank) ")
    }
    static func digestChannelTitle(date: CivilDate, total: Int, branches: Int) -> Message {
        Message(
            zh: "【党建督办日报】\(date) 共 \(total) 项逾期（\(branches) 个支部）",
            en:
                "[Party work daily overdue digest] \(date): \(total) overdue \(total == 1 ? "item" : "items") in \(branches) \(branches == 1 ? "branch" : "branches")"
        )
    }

    static func digestChannelSentence(date: CivilDate, total: Int, branches: Int) -> Message {
        Message(
            zh: "截至 \(date)，共有 \(total) 项工作已过截止日期、尚未登记完成，涉及 \(branches) 个支部。请督促相关支部尽快办理并登记完成。",
            en:
                "As of \(date), \(total) \(total == 1 ? "item is" : "items are") past the deadline and not recorded as done, in \(branches) \(branches == 1 ? "branch" : "branches"). Please ask the branches to complete and record them."
        )
    }

    /// A branch's line in a report's channel message.
    static func reportBranchLine(place: String, owner: String, done: Int, assessed: Int, onTimeRate: String) -> Message
    {
        Message(
            zh: "\(place)\(owner)：完成 \(done)/\(assessed)，按时率 \(onTimeRate)",
            en: "\(place)\(owner): \(done)/\(assessed) done, on time \(onTimeRate)"
        )
    }

    /// - Parameter period: the period's name in the message's language.
    static func reportChannelLead(_ period: String) -> Message {
        Message(
            zh: "\(period)的党建工作完成情况如下；完整报告已通过邮件发送。",
            en: "How the work of \(period) went; the full report went by mail."
        )
    }
}
