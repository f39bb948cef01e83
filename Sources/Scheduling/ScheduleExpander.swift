import PlanFormat
import Vocabulary
import WorkCalendar

/// Expands plan items into dated occurrences on the working-day calendar,
/// exactly as the plan-file contract defines each schedule kind.
public struct ScheduleExpander: Sendable {
    public let calendar: WorkdayCalendar

    public init(calendar: WorkdayCalendar) { self.calendar = calendar }

    public func occurrences(of plan: Plan) -> [Occurrence] {
        var result: [Occurrence] = []
        result.reserveCapacity(plan.items.count * 8)
        for item in plan.items { append(item, of: plan, to: &result) }
        // A daemon keeps a city's occurrences for months: give back the
        // unused reserve (it was half of their memory).
        if result.capacity - result.count > result.count / 8 {
            return result.withUnsafeBufferPointer { Array($0) }
        }
        return result
    }

    public func occurrences(of item: Item, in plan: Plan) -> [Occurrence] {
        var result: [Occurrence] = []
        append(item, of: plan, to: &result)
        return result
    }

    /// A period of the plan's year: its label and first and last days.
    public struct PeriodSpan: Sendable, Hashable {
        public var label: String
        public var start: CivilDate
        public var end: CivilDate
    }

    public static func periods(_ period: Period, year: Int) -> [PeriodSpan] {
        PeriodLabel.all(period, year: year).map { PeriodSpan(label: $0.label, start: $0.start, end: $0.end) }
    }

    private func append(_ item: Item, of plan: Plan, to result: inout [Occurrence]) {
        let yearSpan = PeriodSpan(
            label: "\(plan.year)",
            start: CivilDate(year: plan.year, month: 1, day: 1)!,
            end: CivilDate(year: plan.year, month: 12, day: 31)!
        )
        func add(_ span: PeriodSpan, nominal: CivilDate, due: CivilDate, count: ClosedRange<Int>? = nil) {
            result.append(
                Occurrence(
                    planID: plan.id,
                    itemID: item.id,
                    title: item.title,
                    owner: plan.owner,
                    period: span.label,
                    periodStart: span.start,
                    periodEnd: span.end,
                    due: due,
                    nominalDue: nominal,
                    reminders: reminders(item.notices.remind, due: due),
                    requiredCount: count
                )
            )
        }
        switch item.schedule {
        case .every(let period, let rule):
            for span in Self.periods(period, year: plan.year) {
                let nominal = day(rule, in: span)
                add(span, nominal: nominal, due: shifted(nominal, item.shift))
            }
        case .before(let holiday, let n):
            let target = holiday == .newYear ? plan.year + 1 : plan.year
            let date = calendar.date(of: holiday, in: target)
            let breakStart = calendar.offRun(containing: date)?.lowerBound ?? date
            let due = calendar.workday(n, before: breakStart)
            add(yearSpan, nominal: due, due: due)
        case .date(let date):
            add(yearSpan, nominal: date, due: shifted(date, item.shift))
        case .times(let lo, let hi, let within):
            for span in Self.periods(within, year: plan.year) {
                let due = calendar.workday(onOrBefore: span.end)
                add(span, nominal: due, due: due, count: lo...hi)
            }
        }
    }

    /// The day a rule names inside a period, before any shift.
    public func day(_ rule: DayRule, in span: PeriodSpan) -> CivilDate {
        let (y, lastMonth, _) = span.end.components
        switch rule {
        case .day(let n):
            return CivilDate(year: y, month: lastMonth, day: min(n, CivilDate.daysIn(year: y, month: lastMonth)))!
        case .monthDay(let m, let d):
            return CivilDate(year: y, month: m, day: d) ?? span.end
        case .lastDay:
            return span.end
        case .lastWorkday:
            return calendar.workday(onOrBefore: span.end)
        case .firstWorkday:
            return calendar.workday(onOrAfter: span.start)
        case .nthWeekday(let n, let weekday):
            let first = CivilDate.firstOfMonth(year: y, month: lastMonth)
            let ahead = (weekday.rawValue - first.weekday.rawValue + 7) % 7
            return first.adding(days: ahead + 7 * (n - 1))
        case .lastWeekday(let weekday):
            let back = (span.end.weekday.rawValue - weekday.rawValue + 7) % 7
            return span.end.adding(days: -back)
        }
    }

    public func shifted(_ date: CivilDate, _ shift: Shift) -> CivilDate {
        switch shift {
        case .earlier: calendar.workday(onOrBefore: date)
        case .later: calendar.workday(onOrAfter: date)
        case .none: date
        }
    }

    /// Reminder dates, earliest first; a calendar-day reminder that lands on
    /// an off day goes out on the working day before.
    public func reminders(_ offsets: [Offset], due: CivilDate) -> [Occurrence.Reminder] {
        offsets.map { offset in
            let date: CivilDate =
                switch offset.unit {
                case .days: calendar.workday(onOrBefore: due.adding(days: -offset.count))
                case .workdays: calendar.workday(offset.count, before: due)
                }
            return Occurrence.Reminder(offset: offset, date: date)
        }.sorted { $0.date < $1.date }
    }
}
