import Vocabulary
import WorkCalendar

/// What notices and digests say, in both languages, in one place.
enum Texts {
    // MARK: Greetings and common words

    /// `您好！` or `王五，您好！`; `Hello,` or `Hello Wang Wu,`.
    static func greeting(_ name: String) -> Message {
        Message(zh: name.isEmpty ? "您好！" : "\(name)，您好！", en: name.isEmpty ? "Hello," : "Hello \(name),")
    }

    static let hello = Message(zh: "您好！", en: "Hello,")

    static func askContact(_ who: String) -> Message {
        Message(zh: "如有疑问，请联系\(who)。", en: "If you have questions, please ask \(who).")
    }

    static let noBranchGiven = Message(zh: "（未注明责任单位）", en: "(no branch given)")

    /// The colon after a label in aligned label/value lines.
    static let labelColon = Message(zh: "：", en: ": ")

    /// Between two clauses of one line: `，` or `, `.
    static let clauseComma = Message(zh: "，", en: ", ")

    static let notePrefix = Message(zh: "备注：", en: "Note: ")

    /// The `lang` attribute of an HTML part.
    static let htmlLang = Message(zh: "zh-CN", en: "en")

    // MARK: Notice

    static let tellAdministratorOrRun = Message(
        zh: "办理完成后，请告知管理员或运行：",
        en: "Once it is done, tell the administrator or run:"
    )

    static let administratorCanAlsoRun = Message(zh: "管理员也可运行：", en: "The administrator can also run:")

    static let seeItemOnDesk = Message(zh: "在党建工作台查看该事项：", en: "See the item on the party work desk:")

    static let orRecordOnDesk = Message(
        zh: "也可在党建工作台登记（可上传照片、会议纪要）：",
        en: "Or record it on the party work desk (photos, minutes):"
    )

    // MARK: Notice facts (labels)

    static let itemLabel = Message(zh: "事项", en: "Item")
    static let branchLabel = Message(zh: "责任单位", en: "Branch")
    static let planLabel = Message(zh: "所属计划", en: "Plan")
    static let periodLabel = Message(zh: "周期", en: "Period")
    static let dueDateLabel = Message(zh: "截止日期", en: "Due date")
    static let statusLabel = Message(zh: "办理时限", en: "Status")
    static let progressLabel = Message(zh: "完成情况", en: "Progress")
    static let noteLabel = Message(zh: "备注", en: "Note")
    static let contactLabel = Message(zh: "联系人", en: "Contact")

    // MARK: Backlog and digest totals

    static let noOverdueOutstanding = Message(zh: "目前没有逾期未办的事项。", en: "No overdue items are outstanding.")

    static let commandBelowEachItem = Message(
        zh: "每项下方是登记完成的命令，供管理员使用。",
        en: "Below each item is the command the administrator can use to record it."
    )

    static let outstandingPerBranch = Message(
        zh: "各支部未办项数（从多到少）：",
        en: "Outstanding items per branch (most first):"
    )

    static func ofWhichEscalated(_ n: Int) -> Message {
        Message(zh: "，其中督办 \(n) 项", en: ", \(n) escalated")
    }

    // MARK: Combined notice

    /// A part of a combined subject: `逾期 1 项` or `1 overdue`.
    static func groupCount(_ count: Int, zhTitle: String, enTitle: String) -> Message {
        Message(zh: "\(zhTitle) \(count) 项", en: "\(count) \(enTitle)")
    }

    // MARK: Channel line

    static func workdaysOverdue(_ n: UInt) -> Message {
        Message(zh: "逾期 \(n) 个工作日", en: "\(n) working \(n == 1 ? "day" : "days") overdue")
    }

    /// The escalation flag after a channel line.
    static let escalatedTag = Message(zh: "【督办】", en: " [escalated]")

    /// A period after a title: `（2026 年 11 月）` or ` (November 2026)`.
    static func inParentheses(_ text: String) -> Message {
        Message(zh: "（\(text)）", en: " (\(text))")
    }

    // MARK: Supervisor digest

    /// Between the branch and the item on a digest line.
    static let ownerSeparator = Message(zh: " · ", en: " · ")

    /// The escalation flag after a digest line.
    static let escalatedFlag = Message(zh: " 【督办】", en: " [escalated]")

    static func sincePreviousDigest(_ date: CivilDate) -> Message {
        Message(zh: "上次日报（\(date)）以来", en: "since the previous digest (\(date))")
    }

    static let today = Message(zh: "今日", en: "today")

    static func nothingNewSince(_ since: String) -> Message {
        Message(zh: "一、\(since)没有新增逾期或督办事项。", en: "1. Nothing new \(since).")
    }

    static let byBranchMostOverdueFirst = Message(
        zh: "二、按支部（逾期项多的在前）：",
        en: "2. By branch (most overdue first):"
    )

    static let otherBranchesNotListed = Message(
        zh: "其余支部（未逐条列出）：",
        en: "Other branches (not listed one by one):"
    )

    /// A yes in the digest's CSV columns (escalated, new).
    static let yes = Message(zh: "是", en: "yes")

    static func workdaysLateShort(_ n: Int) -> Message {
        Message(zh: "\(n) 个工作日", en: "\(n) wd")
    }

    /// The escalation cell of the digest's HTML table.
    static let escalatedCell = Message(zh: "督办", en: "yes")

    static func newHeading(_ count: Int) -> Message {
        Message(zh: "一、新增（\(count) 项）", en: "1. New (\(count))")
    }

    static let nothingNew = Message(zh: "没有新增事项。", en: "Nothing new.")

    static func byBranchHeading(_ count: Int) -> Message {
        Message(zh: "二、按支部（\(count) 项）", en: "2. By branch (\(count))")
    }

    static func oldestListedRestAttached(listed: Int, all: Int) -> Message {
        Message(
            zh: "正文列出截止最早的 \(listed) 项，全部 \(all) 项见附件。",
            en: "The \(listed) oldest are listed; all \(all) are in the attachment."
        )
    }
    // MARK: Replies and the desk

    static let replyDoneToRecord = Message(
        zh: "直接回复本邮件“完成”即可登记，可附会议记录、签到表照片。",
        en: "Reply 'done' to record it; attach minutes or a sign-in sheet if you like."
    )

    static let replyOtherDayOrUndo = Message(
        zh: "（其他日期写“完成 11-20”；登记有误回复“撤销”。）",
        en: "(Another day: 'done 11-20'. A mistake: reply 'undo'.)"
    )

    static let recordOnDeskWhenDone = Message(
        zh: "办理完成后，请在党建工作台登记（可上传照片、会议纪要）：",
        en: "Once it is done, record it on the party work desk (photos, minutes):"
    )

    /// `2026-11-25（周三）` or `2026-11-25 (Wed)`.
    static func dateWithWeekday(_ date: CivilDate) -> Message {
        Message(
            zh: "\(date.description)（\(date.weekday.chineseName)）",
            en: "\(date.description) (\(date.weekday.englishName))"
        )
    }

    static let confirmHistoryOnDesk = Message(
        zh: "也可在党建工作台“我的待办”中一次确认已办理的历史事项：",
        en: "Or confirm those already done in one go on the party work desk (My to-do):"
    )

    static let commandBelowEachItemTellAdministrator = Message(
        zh: "每项下方是登记完成的命令：办理完成后，请告知管理员或运行该命令。",
        en: "Below each item is the command that records it as done: once done, tell the administrator or run it."
    )

    static let digestReplyHint = Message(
        zh: "直接回复本邮件“完成”加序号即可登记，例如“完成 1 3 5-7”；可附会议记录、签到表照片。",
        en:
            "Reply 'done' with the numbers to record them, for example 'done 1 3 5-7'; attach minutes or a sign-in sheet if you like."
    )

    /// A branch heading with its count: `二支部（3 项）` or `Branch 2 (3 items)`.
    static func branchHeading(_ heading: String, count: Int) -> Message {
        Message(zh: "\(heading)（\(count) 项）", en: "\(heading) (\(count) \(count == 1 ? "item" : "items"))")
    }

    static func branchTotalLine(_ heading: String, items: Int, escalated: String, oldestDue: CivilDate) -> Message {
        Message(
            zh: "  \(heading)：\(items) 项\(escalated)，最早截止 \(oldestDue)",
            en: "  \(heading): \(items) \(items == 1 ? "item" : "items")\(escalated), oldest due \(oldestDue)"
        )
    }

    static func oldestListedAskForRest(listed: Int, rest: Int) -> Message {
        Message(
            zh: "以下逐条列出截止最早的 \(listed) 项；其余 \(rest) 项未逐条列出，完整清单可请管理员运行 plankeeper status --owner 支部名称 查看。",
            en:
                "The \(listed) oldest are listed below; the other \(rest) are not listed one by one: for the full list, ask the administrator to run plankeeper status --owner BRANCH."
        )
    }

    // MARK: Combined notice (body)

    /// After the tag of a combined subject: `5 项党建工作：` or ` 5 items: `.
    static func combinedSubjectCount(_ count: Int) -> Message {
        Message(zh: "\(count) 项党建工作：", en: " \(count) items: ")
    }

    /// Between the parts of a combined subject.
    static let subjectListSeparator = Message(zh: "、", en: ", ")

    static func itemsNeedAttention(_ count: Int) -> Message {
        Message(
            zh: "以下 \(count) 项党建工作需要您关注（一封邮件汇总，避免逐条发送）：",
            en: "These \(count) party-work items need your attention (in one mail rather than one each):"
        )
    }

    static func combinedGroupHeading(_ count: Int, zhTitle: String, enTitle: String) -> Message {
        Message(zh: "\(zhTitle)（\(count) 项）", en: "\(enTitle) (\(count))")
    }

    /// An item of a combined notice: branch, title, period, deadline and what is left.
    static func combinedItemLine(
        owner: String,
        title: String,
        period: String,
        due: String,
        deadline: String
    ) -> Message {
        Message(
            zh: "\(owner) · \(title)（\(period)）截止 \(due)，\(deadline)",
            en: "\(owner) · \(title) (\(period)), due \(due), \(deadline)"
        )
    }

    static let replyDoneWithNumbers = Message(
        zh: "办理完成后，直接回复本邮件“完成”加序号即可登记，例如“完成 1 3”；可附会议记录、签到表照片。",
        en:
            "Once done, reply 'done' with the numbers to record them, e.g. 'done 1 3'; attach minutes or a sign-in sheet if you like."
    )

    static let replyOtherDayOrUndoNumbered = Message(
        zh: "（其他日期写“完成 1 2026-11-20”；登记有误回复“撤销 1”。）已登记的事项不再提醒。",
        en: "(Another day: 'done 1 2026-11-20'. A mistake: 'undo 1'.) Recorded items get no more notices."
    )

    static let askStaffToRecord = Message(
        zh: "办理完成后，请告知党务干部（或管理员）登记完成；已登记的事项不再提醒。",
        en:
            "Once an item is done, ask the party-affairs staff (or the administrator) to record it; recorded items get no more notices."
    )

    static let orOpenLinkUnderItem = Message(
        zh: "也可打开每项下面的链接，在党建工作台登记（可上传照片、会议纪要）。",
        en: "Or open the link under an item to record it on the party work desk (photos, minutes)."
    )

    // MARK: Supervisor digest (body)

    /// An item of the digest: `党小组会（2026 年 11 月）截止 11-26（周四），逾期 3 个工作日 【督办】`.
    static func digestItemLine(
        owner: String,
        title: String,
        period: String,
        due: String,
        late: String,
        flag: String
    )
        -> Message
    {
        Message(
            zh: "\(owner)\(title)（\(period)）截止 \(due)，\(late)\(flag)",
            en: "\(owner)\(title) (\(period)), due \(due), \(late)\(flag)"
        )
    }

    static func newSince(_ since: String, total: Int, newlyEscalated: Int) -> Message {
        Message(
            zh: "一、\(since)新增 \(total) 项" + (newlyEscalated > 0 ? "（其中 \(newlyEscalated) 项今日起督办）" : "") + "：",
            en: "1. New \(since): \(total)" + (newlyEscalated > 0 ? " (\(newlyEscalated) escalated now)" : "") + ":"
        )
    }

    static func moreInAttachment(_ count: Int) -> Message {
        Message(zh: "  另有 \(count) 项未逐条列出，见附件。", en: "  \(count) more, in the attachment.")
    }

    static func unlistedBranchLine(_ owner: String, items: Int, oldestDue: CivilDate) -> Message {
        Message(
            zh: "  \(owner)：\(items) 项，最早截止 \(oldestDue)",
            en: "  \(owner): \(items) \(items == 1 ? "item" : "items"), oldest due \(oldestDue)"
        )
    }

    static func oldestListedRestInCSV(listed: Int, all: Int) -> Message {
        Message(
            zh: "（正文列出截止最早的 \(listed) 项，全部 \(all) 项见附件 CSV 文件。）",
            en: "(The \(listed) oldest are listed here; all \(all) are in the attached CSV file.)"
        )
    }

    static func historyLeftOut(_ count: Int) -> Message {
        Message(
            zh: "另有 \(count) 项在开始跟踪前就已逾期（未跟踪），已在首次汇总中列出一次，此处不再列出。",
            en:
                "\(count) more were overdue before tracking began (not tracked): they were listed once in the first digest and are left out here."
        )
    }

    static let askBranchesToComplete = Message(
        zh: "请督促相关支部尽快办理并登记完成。本日报每个工作日发送一次，全部办结后不再发送。",
        en:
            "Please ask the branches to complete and record them. This digest comes once a working day until nothing is overdue."
    )

    static let digestCSVColumns = [
        Message(zh: "支部", en: "Branch"), Message(zh: "工作事项", en: "Item"), Message(zh: "周期", en: "Period"),
        Message(zh: "截止日期", en: "Due"), Message(zh: "逾期工作日", en: "Working days late"),
        Message(zh: "督办", en: "Escalated"), Message(zh: "新增", en: "New"), Message(zh: "计划", en: "Plan"),
        Message(zh: "事项", en: "Item id"),
    ]

    static func digestHTMLSummary(date: String, items: Int, branches: Int, escalated: Int) -> Message {
        Message(
            zh: "截至 \(date)：逾期未办 \(items) 项，涉及 \(branches) 个支部，其中督办 \(escalated) 项。",
            en: "As of \(date): \(items) overdue, in \(branches) branches; \(escalated) escalated."
        )
    }

    static let digestHTMLColumns = [
        Message(zh: "序号", en: "#"), Message(zh: "支部", en: "Branch"), Message(zh: "工作事项", en: "Item"),
        Message(zh: "周期", en: "Period"), Message(zh: "截止日期", en: "Due"), Message(zh: "逾期", en: "Late"),
        Message(zh: "督办", en: "Escalated"),
    ]
}
