import Vocabulary

/// What reports and calendars say outside their word tables, in both
/// languages, in one place.
enum Texts {
    /// The report page's `lang` attribute.
    static let htmlLang = Message(zh: "zh-CN", en: "en")

    /// The language tag at the end of a calendar's PRODID.
    static let calendarLanguageTag = Message(zh: "ZH", en: "EN")
    /// The columns of the agenda table.
    static let agendaColumns = [
        Message(zh: "日期", en: "Date"), Message(zh: "星期", en: "Day"), Message(zh: "责任单位", en: "Owner"),
        Message(zh: "工作事项", en: "Item"), Message(zh: "周期", en: "Period"), Message(zh: "状态", en: "State"),
    ]

    /// The columns of a plan's table on the status board.
    static let statusBoardColumns = [
        Message(zh: "到期日", en: "Due"), Message(zh: "星期", en: "Day"), Message(zh: "工作事项", en: "Item"),
        Message(zh: "周期", en: "Period"), Message(zh: "状态", en: "State"), Message(zh: "登记", en: "Recorded"),
        Message(zh: "完成", en: "Done"),
    ]

    /// The figure columns of a report, in the order of `figureCells`.
    static let figureColumns = [
        Message(zh: "应完成", en: "Due"), Message(zh: "已完成", en: "Done"), Message(zh: "按时完成", en: "On time"),
        Message(zh: "逾期完成", en: "Late"), Message(zh: "逾期未完成", en: "Overdue"), Message(zh: "未到期", en: "Pending"),
        Message(zh: "完成率", en: "Completion"), Message(zh: "按时率", en: "On-time"),
    ]

    /// How a report counts, one paragraph a definition.
    static let definitions = [
        Message(
            zh: "应完成：到期日在统计区间内的工作事项；已完成：截至统计日已登记完成（“次数”类事项须达到最少次数）；按时完成：完成日期不晚于到期日。",
            en:
                "Due: obligations whose due date lies in the period. Done: recorded by the report day (a 'times' item needs its minimum count). On time: done on or before the due date."
        ),
        Message(
            zh: "逾期未完成：未完成且已过到期日；未到期：未完成且尚未到期，不计入完成率和按时率。",
            en: "Overdue: not done and past its due date. Pending: not done and not yet due; left out of both rates."
        ),
        Message(
            zh: "完成率 = 已完成 ÷（应完成 − 未到期）；按时率 = 按时完成 ÷（应完成 − 未到期）。排名先比按时率，再比完成率，相同者并列。",
            en:
                "Completion rate = done ÷ (due − pending); on-time rate = on time ÷ (due − pending). Ranked by on-time rate, then completion rate; equal rates share a rank."
        ),
    ]
}
