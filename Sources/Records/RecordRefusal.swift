import WorkCalendar

/// Why a record was not made. Each says what to do instead, in both languages.
public enum RecordRefusal: Sendable, Hashable {
    /// The work cannot have been done for this period before the period began
    /// (for an item due once a year, before its plan year).
    case beforePeriod(doneOn: CivilDate, period: String, periodStart: CivilDate)
    /// A done date after today.
    case inFuture(doneOn: CivilDate, today: CivilDate)
    /// The occurrence (not a `times` item) already has a record.
    case alreadyRecorded(doneOn: CivilDate?, by: String?)
    /// A `times` item already has as many records as its most.
    case countReached(count: Int, maximum: Int)

    /// Whether the command line's `--force` may override it: a wrong-looking
    /// date may be right (a meeting held early by decision), a duplicate never is.
    public var canBeForced: Bool {
        switch self {
        case .beforePeriod, .inFuture: true
        case .alreadyRecorded, .countReached: false
        }
    }

    /// A stable name for the journal (`PLANKEEPER_REFUSAL`).
    public var code: String {
        switch self {
        case .beforePeriod: "before-period"
        case .inFuture: "in-future"
        case .alreadyRecorded: "already-recorded"
        case .countReached: "count-reached"
        }
    }

    public var zh: String {
        switch self {
        case .beforePeriod(let done, let period, let start):
            period.count == 4
                ? "完成日期 \(done) 早于计划年度 \(period)（\(start) 起），不能计入该年度"
                : "完成日期 \(done) 早于周期 \(period) 的开始（\(start)），不能计入该周期"
        case .inFuture(let done, let today):
            "完成日期 \(done) 晚于今天（\(today)）；请在完成后再登记"
        case .alreadyRecorded(let done, let by):
            "该事项本周期已于 \(done.map(Self.short) ?? "此前")\(by.map { " 由\($0)" } ?? "")登记完成；如需更改，请先撤销"
        case .countReached(let count, let maximum):
            "该事项本周期已登记 \(count) 次，已达计划的最多 \(maximum) 次；如需更改，请先撤销"
        }
    }

    public var en: String {
        switch self {
        case .beforePeriod(let done, let period, let start):
            period.count == 4
                ? "the done date \(done) is before the plan year \(period) (from \(start)); it cannot count for that year"
                : "the done date \(done) is before the period \(period) starts (\(start)); it cannot count for it"
        case .inFuture(let done, let today):
            "the done date \(done) is after today (\(today)); record it once it is done"
        case .alreadyRecorded(let done, let by):
            "already recorded\(done.map { " on \(Self.short($0))" } ?? "")\(by.map { " by \($0)" } ?? ""); undo first"
        case .countReached(let count, let maximum):
            "already recorded \(count) times, the most the plan expects (\(maximum)); undo first"
        }
    }

    /// `11-20`: the year is clear from the period.
    static func short(_ date: CivilDate) -> String { String(date.description.dropFirst(5)) }
}
