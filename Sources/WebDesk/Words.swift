import Diagnostics
import Vocabulary

/// Every fixed text of the web desk's pages, in both languages, written side
/// by side so that no text exists in one language only. Templates read them
/// as `{{t.key}}`; a test renders every page in both languages and checks
/// that no `t.` key is missing.
enum Words {
    /// key, Chinese, English.
    static let all: [(String, String, String)] = [
        ("app", "党建工作台", "Party work desk"),
        ("navTodo", "我的待办", "My to-do"),
        ("navLedger", "台账", "Records"),
        ("navBoard", "督导", "Supervision"),
        ("navMe", "我的", "Me"),
        ("otherLanguage", "English", "中文"),
        ("printedOn", "打印于", "Printed"),
        ("skip", "跳到正文", "Skip to content"),
        // Sign-in
        ("signInTitle", "登录", "Sign in"),
        (
            "signInLead", "输入您在工作计划中登记的邮箱，我们会发一封含登录链接的邮件，无需密码。",
            "Enter the mail address the work plans list for you; we will mail you a sign-in link. No password."
        ),
        ("address", "邮箱地址", "Mail address"),
        ("sendLink", "发送登录链接", "Mail me a link"),
        ("sentTitle", "请查收邮件", "Check your mail"),
        (
            "sentLead", "如果该地址登记在工作计划中，登录链接已发往该邮箱。链接 %MIN% 分钟内有效，只能使用一次。",
            "If this address is in the work plans, a sign-in link is on its way. It works once, within %MIN% minutes."
        ),
        (
            "sentHint", "没收到？请检查垃圾邮件，或联系党委办公室确认您的邮箱。",
            "Nothing arrived? Look in the spam folder, or ask the party office which address they have for you."
        ),
        ("confirmTitle", "确认登录", "Confirm sign-in"),
        ("confirmLead", "点击下面的按钮登录。", "Press the button to sign in."),
        ("confirmButton", "登录", "Sign in"),
        ("linkBad", "这个登录链接无效或已用过。请重新获取。", "This sign-in link is not valid or was used already. Ask for a new one."),
        ("linkOld", "这个登录链接已过期。请重新获取。", "This sign-in link has expired. Ask for a new one."),
        ("newLink", "重新获取登录链接", "Get a new link"),
        ("tooMany", "请求太频繁，请稍后再试。", "Too many requests; please try again later."),
        (
            "noURL", "管理员尚未设置网址（web.url），暂时无法发送登录链接。",
            "The admin has not set web.url yet, so no sign-in link can be mailed."
        ),
        (
            "notListed", "您的邮箱已不在任何工作计划中，请联系党委办公室。",
            "Your address is no longer in any work plan; please ask the party office."
        ),
        // Me
        ("meTitle", "我的", "Me"),
        ("signedInAs", "当前登录", "Signed in as"),
        ("youRecord", "您可以登记的计划", "Plans you record for"),
        ("youSupervise", "您督导的计划", "Plans you supervise"),
        ("youSeeAll", "您可以查看全部计划", "You see every plan"),
        ("signOut", "退出登录", "Sign out"),
        ("signOutEverywhere", "在所有设备上退出", "Sign out everywhere"),
        ("sessionsNote", "您目前在 %N% 个设备或浏览器上登录。", "You are signed in on %N% devices or browsers."),
        ("signedOut", "已退出登录。", "You are signed out."),
        ("feedsTitle", "订阅日历", "Calendar feeds"),
        (
            "feedsLead", "把下面的地址添加到手机日历（“添加订阅日历”），到期事项会出现在日历中；已完成的事项会标上 ✓。这是您个人的地址，请勿转发。",
            "Add an address below to your phone's calendar (\"add subscribed calendar\"): deadlines appear there, done ones marked ✓. It is your own address; do not forward it."
        ),
        // To-do
        ("todoTitle", "我的待办", "My to-do"),
        ("todoEmpty", "本期没有待办事项。", "Nothing open in this period."),
        ("groupOverdue", "已逾期", "Overdue"),
        ("groupSoon", "14 天内到期", "Due within 14 days"),
        ("groupLater", "本期其他事项", "Later this period"),
        ("due", "截止", "Due"),
        ("record", "登记", "Record"),
        ("period", "周期", "Period"),
        ("doneThisPeriod", "本期已完成 %N% 项", "%N% done this period"),
        // Record
        ("recordTitle", "登记完成情况", "Record it"),
        ("dateDone", "完成日期", "Date done"),
        ("attendees", "出席人员（可选）", "Attendees (optional)"),
        ("attendeesHint", "例如：王五、陈刚等 12 人", "e.g. Wang Wu, Chen Gang and 10 others"),
        ("minutes", "会议纪要（可选）", "Minutes (optional)"),
        ("attachments", "附件（可选）：照片、PDF、Word，可多选", "Attachments (optional): photos, PDF, Word; several at once"),
        (
            "attachmentsHint", "每个文件不超过 %SIZE%，最多 %N% 个。材料只作留档，不作评分依据。",
            "Up to %N% files of at most %SIZE% each. Evidence is kept for the records, never scored."
        ),
        ("submitRecord", "登记完成", "Record as done"),
        ("records", "已有登记", "Recorded"),
        ("noRecords", "尚未登记。", "Not recorded yet."),
        ("by", "登记人", "By"),
        ("onTime", "按时完成", "Done on time"),
        ("late", "逾期完成", "Done late"),
        ("recordedTitle", "已登记", "Recorded"),
        ("undo", "撤销这条登记", "Undo this record"),
        ("undone", "已撤销登记。", "The record was undone."),
        ("periodClosed", "本期已结束，不能再撤销。", "The period is over; it can no longer be undone."),
        ("back", "返回我的待办", "Back to my to-do"),
        ("mayNotRecord", "您不是这个计划的联系人，只能查看。", "You are not a contact of this plan; you can look, not record."),
        ("evidence", "材料", "Evidence"),
        (
            "linkHint", "这是通知邮件中的个人链接，只能登记这一项。查看全部待办请",
            "This is the personal link of a notice mail, for this item only. To see all your items,"
        ),
        ("download", "下载", "Download"),
        // Ledger and board
        ("ledgerTitle", "台账", "Records"),
        ("ledgerPrint", "打印", "Print"),
        ("ledgerZip", "下载全部材料（ZIP）", "Download all evidence (ZIP)"),
        ("year", "年度", "Year"),
        ("branch", "支部", "Branch"),
        ("item", "工作事项", "Item"),
        ("state", "状态", "State"),
        ("doneOn", "完成日期", "Done on"),
        ("note", "纪要", "Minutes"),
        ("boardTitle", "督导", "Supervision"),
        ("overdueOnly", "只看逾期", "Overdue only"),
        ("filter", "筛选", "Filter"),
        ("allPeriods", "全部周期", "All periods"),
        ("completion", "完成率", "Completion"),
        ("overdue", "逾期", "Overdue"),
        ("doneCount", "已完成", "Done"),
        ("dueCount", "应完成", "Due"),
        ("reportsTitle", "报告", "Reports"),
        // Errors
        ("errorTitle", "出错了", "Something went wrong"),
        ("notFound", "找不到这个页面。", "This page does not exist."),
        ("forbidden", "您没有查看这一页的权限。", "You may not see this page."),
        (
            "formExpired", "表单已过期（例如在别的窗口退出了登录）。请返回重新打开页面后再提交。",
            "The form has expired (for example you signed out in another window). Go back, reload the page and send it again."
        ),
        ("tooLarge", "提交的内容太大。", "What was sent is too large."),
        (
            "busy", "台账正忙（另一个程序正在写入），请稍后再提交一次；您填写的内容未丢失。",
            "The records ledger is busy (another program is writing); please send again in a moment. Nothing you entered was lost."
        ),
        ("serverError", "服务器内部错误，已记录在系统日志中。", "Internal error; it is in the system journal."),
        ("home", "返回首页", "Home"),
    ]

    static let zh: [String: String] = Dictionary(uniqueKeysWithValues: all.map { ($0.0, $0.1) })
    static let en: [String: String] = Dictionary(uniqueKeysWithValues: all.map { ($0.0, $0.2) })

    static func table(_ language: Language) -> [String: String] { language == .zh ? zh : en }

    static func text(_ key: String, _ language: Language) -> String { table(language)[key] ?? key }
}
