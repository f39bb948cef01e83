import Scheduling
import WorkCalendar

/// On time or how late, in working days: what the answer to a record says
/// ("按期完成" / "逾期 3 个工作日").
public enum RecordTiming: Sendable, Hashable {
    case onTime
    case late(workdays: Int)

    public init(doneOn: CivilDate, due: CivilDate, calendar: WorkdayCalendar) {
        guard doneOn > due else {
            self = .onTime
            return
        }
        // Done on an off day right after the deadline is not a working day late.
        let late = calendar.workdays(from: due, to: doneOn)
        self = late > 0 ? .late(workdays: late) : .onTime
    }

    public var zh: String {
        switch self {
        case .onTime: "按期完成"
        case .late(let n): "逾期 \(n) 个工作日完成"
        }
    }

    public var en: String {
        switch self {
        case .onTime: "on time"
        case .late(let n): "\(n) working day\(n == 1 ? "" : "s") late"
        }
    }
}
