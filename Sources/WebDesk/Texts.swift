import Records
import Vocabulary
import WorkCalendar

/// What the web desk says outside its page templates' word table (`Words`),
/// in both languages, in one place.
enum Texts {
    // MARK: Page frame

    /// The page's `lang` attribute.
    static let htmlLang = Message(zh: "zh-CN", en: "en")

    /// The language the switch in the page header leads to.
    static let otherLanguageCode = Message(zh: "en", en: "zh")

    // MARK: Occurrences

    /// After a title that needs a number of completions: `（2–4 次）`.
    static func timesInParentheses(_ n: String) -> Message {
        Message(zh: "（\(n) 次）", en: " (\(n) times)")
    }

    /// After a state while a period's completions are counted: `（已完成 1/2）`.
    static func progressDone(_ progress: String) -> Message {
        Message(zh: "（已完成 \(progress)）", en: " (\(progress) done)")
    }

    /// Before a due date on a to-do row.
    static let duePrefix = Message(zh: "截止 ", en: "Due ")

    static let recordButton = Message(zh: "登记", en: "Record")

    static let attendeesPrefix = Message(zh: "出席：", en: "Attendees: ")

    // MARK: Calendar feeds

    static func partyWorkCalendarName(_ whose: String) -> Message {
        Message(zh: "党建工作 · \(whose)", en: "Party work · \(whose)")
    }

    static let allMyItemsFeed = Message(zh: "我的全部事项", en: "All my items")

    // MARK: To-do

    static let acknowledgeAllButton = Message(zh: "全部确认已完成", en: "Acknowledge them all")

    static func historyAcknowledged(_ count: Int) -> Message {
        Message(zh: "已确认 \(count) 项历史事项。", en: "\(count) history items acknowledged.")
    }

    static let noPlanToRecord = Message(
        zh: "您没有需要登记的计划；各支部情况见“督导”。",
        en: "You record for no plan; see Supervision for the branches."
    )

    /// The note on records made by acknowledging the history in bulk.
    static func acknowledgedInBulkNote(_ start: LocalTime) -> Message {
        Message(zh: "历史事项，批量确认（跟踪开始于 \(start)）", en: "history, acknowledged in bulk (tracking began \(start))")
    }

    // MARK: Board

    static let branchesNotInRoster = Message(zh: "未编入名册的支部", en: "Branches not in a roster")

    static let noRoster = Message(zh: "（未编入名册）", en: "(no roster)")

    // MARK: Recording

    static func workdaysLate(_ wd: Int) -> Message {
        Message(zh: "（晚 \(wd) 个工作日）", en: " (\(wd) working day\(wd == 1 ? "" : "s") late)")
    }

    static func doneThisPeriod(_ progress: String) -> Message {
        Message(zh: " · 本期已完成 \(progress)", en: " · \(progress) this period")
    }

    static let undoOnlyOwnLatest = Message(
        zh: "只能撤销您本人最近的一条登记。",
        en: "You can undo only your own latest record."
    )

    static let enterDoneDate = Message(
        zh: "请填写完成日期（年-月-日）。",
        en: "Enter the date it was done (year-month-day)."
    )

    static let attendeesOrMinutesTooLong = Message(
        zh: "出席人员或纪要太长。",
        en: "The attendees or the minutes are too long."
    )

    /// Why a record is refused, as a sentence.
    static func refused(_ refusal: RecordRefusal) -> Message {
        Message(zh: refusal.zh + "。", en: refusal.en + ".")
    }

    // MARK: Board and ledger figures

    static func unitFigures(branches: Int, due: Int, done: Int, overdue: Int) -> Message {
        Message(
            zh: "\(branches) 个支部 · 应完成 \(due) · 已完成 \(done) · 逾期 \(overdue)",
            en: "\(branches) branches · due \(due) · done \(done) · overdue \(overdue)"
        )
    }

    /// Below a branch's first missing items on the board.
    static func moreMissing(_ count: Int) -> Message {
        Message(zh: "还有 \(count) 项", en: "\(count) more")
    }

    /// The title of the completion chart; `shown` when it shows only the lowest.
    static func completionChartTitle(shown: Int?) -> Message {
        guard let shown else { return Message(zh: "完成率", en: "Completion") }
        return Message(zh: "完成率（最低的 \(shown) 个）", en: "Completion (the \(shown) lowest)")
    }

    static func ledgerSummary(occurrences: Int, done: Int, overdue: Int, files: Int) -> Message {
        Message(
            zh: "共 \(occurrences) 项，已完成 \(done) 项，逾期未完成 \(overdue) 项，材料 \(files) 份",
            en: "\(occurrences) occurrences, \(done) done, \(overdue) overdue, \(files) evidence files"
        )
    }

    // MARK: Sign-in

    static let enterWholeAddress = Message(
        zh: "请填写完整的邮箱地址，例如 wangwu@hospital.example。",
        en: "Please enter a whole mail address, e.g. wangwu@hospital.example."
    )

    // MARK: Errors

    static func unsupportedFile(_ name: String) -> Message {
        Message(
            zh: "“\(name)”不是可接受的文件类型（可接受：照片 JPEG/PNG/HEIC/WebP、PDF、Word/WPS、Excel、纯文本）。",
            en:
                "'\(name)' is not a file type kept here (accepted: JPEG/PNG/HEIC/WebP photos, PDF, Word/WPS, Excel, plain text)."
        )
    }

    static let cannotStoreFile = Message(
        zh: "无法保存文件（磁盘已满或目录不可写），已记录在系统日志中。",
        en: "The file could not be stored (disk full or folder not writable); see the system journal."
    )

    // MARK: To-do history

    static func historyNotice(_ count: Int, trackingBegan: CivilDate) -> Message {
        Message(
            zh: "开始跟踪（\(trackingBegan)）前已逾期、尚未登记的事项 \(count) 项。如已办理，可一次确认，按各自截止日登记；明细见台账。",
            en:
                "\(count) items were overdue before tracking began (\(trackingBegan)) and are not recorded. If they were done, acknowledge them at once, recorded on their due dates; the list is on Records."
        )
    }

    static let malformedRequest = Message(zh: "请求的格式不对。", en: "The request is malformed.")

    static func tooManyAttachments(_ n: Int) -> Message {
        Message(zh: "附件太多：一次最多 \(n) 个。", en: "Too many attachments: at most \(n) at once.")
    }

    static let linkExpired = Message(
        zh: "这个链接已过期。请登录后在“我的待办”中登记。",
        en: "This link has expired. Sign in and record it from My to-do."
    )

    static let methodNotAllowed = Message(zh: "不支持这种请求方式。", en: "This method is not allowed here.")

    /// The heading of a page saying the desk is busy.
    static let tryAgainLater = Message(zh: "请稍后再试", en: "Please try again")

    // MARK: Sign-in mail

    static let signInSubject = Message(zh: "党建工作台登录链接", en: "Your sign-in link for the party work desk")

    static func signInGreeting(_ name: String) -> Message {
        Message(zh: "\(name)：\n\n", en: "Dear \(name),\n\n")
    }

    // MARK: Evidence archive

    static func evidenceZipName(owner: String, year: Int) -> Message {
        Message(zh: "\(owner)-\(year)-台账材料.zip", en: "\(owner)-\(year)-evidence.zip")
    }

    static let evidenceIndexName = Message(zh: "目录.csv", en: "index.csv")

    static let evidenceIndexColumns = [
        Message(zh: "序号", en: "No."), Message(zh: "工作事项", en: "Item"), Message(zh: "周期", en: "Period"),
        Message(zh: "完成日期", en: "Done on"), Message(zh: "登记人", en: "By"), Message(zh: "文件", en: "File"),
        Message(zh: "原文件名", en: "Original name"), Message(zh: "类型", en: "Type"),
        Message(zh: "大小（字节）", en: "Size (bytes)"), Message(zh: "SHA-256", en: "SHA-256"),
    ]
}
