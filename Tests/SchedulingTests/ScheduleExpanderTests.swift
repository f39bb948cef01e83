import Diagnostics
import Foundation
import PlanFormat
import Scheduling
import Testing
import Vocabulary
import WorkCalendar

private func d(_ s: String) -> CivilDate { CivilDate(iso: s)! }

@Suite struct ScheduleExpanderTests {
    static let calendar = WorkdayCalendar.standard(covering: 2023...2028)
    let expander = ScheduleExpander(calendar: calendar)
    let parser = PlanParser(officialYears: [2024, 2025, 2026])

    func plan(year: Int = 2026, _ items: String) throws -> Plan {
        let text = "id: p\nowner: 外科第二党支部\nyear: \(year)\nitems:\n" + items
        let r = parser.parse(Array(text.utf8), file: "p.yaml")
        return try #require(r.plan, "\(r.diagnostics.map { $0.rendered(in: .en) })")
    }

    func dues(_ plan: Plan) -> [String] { expander.occurrences(of: plan).map { "\($0.period) \($0.due)" } }

    @Test func monthlyDay25ShiftsEarlierOffWeekendsAndHolidays() throws {
        let p = try plan("  - id: c\n    every: month\n    due: 25\n")
        #expect(
            dues(p) == [
                "2026-01 2026-01-23", "2026-02 2026-02-25", "2026-03 2026-03-25", "2026-04 2026-04-24",
                "2026-05 2026-05-25", "2026-06 2026-06-25", "2026-07 2026-07-24", "2026-08 2026-08-25",
                "2026-09 2026-09-25".replacingOccurrences(of: "09-25", with: "09-24"),
                "2026-10 2026-10-23", "2026-11 2026-11-25", "2026-12 2026-12-25",
            ]
        )
    }

    @Test func february28th2026IsAWorkingSaturday() throws {
        let none = try plan("  - id: a\n    every: month\n    due: 28\n    shift: none\n")
        let earlier = try plan("  - id: a\n    every: month\n    due: 28\n")
        let later = try plan("  - id: a\n    every: month\n    due: 28\n    shift: later\n")
        for p in [none, earlier, later] {
            #expect(expander.occurrences(of: p)[1].due == d("2026-02-28"))
        }
        // March 28th 2026 is an ordinary Saturday: the three shifts differ.
        #expect(expander.occurrences(of: none)[2].due == d("2026-03-28"))
        #expect(expander.occurrences(of: earlier)[2].due == d("2026-03-27"))
        #expect(expander.occurrences(of: later)[2].due == d("2026-03-30"))
    }

    @Test func dayRulesInQuartersUseTheLastMonth() throws {
        let p = try plan(
            """
              - id: a
                every: quarter
                due: 31
              - id: b
                every: quarter
                due: first-workday
              - id: c
                every: half-year
                due: last-fri
              - id: d
                every: year
                due: 2nd-tue
              - id: e
                every: quarter
                due: last-workday

            """
        )
        let all = expander.occurrences(of: p)
        #expect(
            all.filter { $0.itemID == "a" }.map(\.due.description) == [
                "2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31",
            ]
        )
        // 2026-01-01..03 are off, 01-04 is a working Sunday.
        #expect(
            all.filter { $0.itemID == "b" }.map(\.due.description) == [
                "2026-01-04", "2026-04-01", "2026-07-01", "2026-10-08",
            ]
        )
        #expect(all.filter { $0.itemID == "c" }.map(\.due.description) == ["2026-06-26", "2026-12-25"])
        #expect(all.filter { $0.itemID == "d" }.map(\.due.description) == ["2026-12-08"])
        #expect(
            all.filter { $0.itemID == "e" }.map(\.due.description) == [
                "2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31",
            ]
        )
    }

    @Test func beforeHolidays() throws {
        let p = try plan(
            """
              - id: spring
                before: 春节
                workdays: 1
              - id: may
                before: 劳动节
                workdays: 2
              - id: newyear
                before: 元旦
                workdays: 1

            """
        )
        #expect(dues(p) == ["2026 2026-02-14", "2026 2026-04-29", "2026 2026-12-31"])
    }

    @Test func nationalDayAndMidAutumn2025AreOneBreak() throws {
        let p = try plan(
            year: 2025,
            "  - id: a\n    before: 中秋\n    workdays: 3\n  - id: b\n    before: 国庆\n    workdays: 3\n"
        )
        let all = expander.occurrences(of: p)
        #expect(all[0].due == all[1].due)
        // Working days before the 10-01..10-08 break: 09-30, 09-29, then 09-28 (a make-up Sunday).
        #expect(all[0].due == d("2025-09-28"))
    }

    @Test func remindersLandOnWorkingDays() throws {
        let p = try plan("  - id: a\n    date: 2026-02-24\n    remind: [7d, 3wd, 1d]\n")
        let o = try #require(expander.occurrences(of: p).first)
        // 7 calendar days before 02-24 is 02-17 (春节) → the working day before: 02-14 (Saturday, make-up).
        // 3 working days before 02-24: 02-13, 02-14, (break) → 02-12? No: 02-14, 02-13, 02-12.
        // 1 day before is 02-23 (off) → 02-14.
        #expect(o.reminders.map(\.date.description) == ["2026-02-12", "2026-02-14", "2026-02-14"])
    }

    @Test func timesItemsAreDueOnThePeriodsLastWorkingDay() throws {
        let p = try plan("  - id: red\n    times: 2..3\n    within: half-year\n")
        let all = expander.occurrences(of: p)
        #expect(all.map(\.period) == ["2026-H1", "2026-H2"])
        #expect(all.map(\.due.description) == ["2026-06-30", "2026-12-31"])
        #expect(all.allSatisfy { $0.requiredCount == 2...3 })
    }
}

/// Properties that must hold for any plan: checked over every rule, period
/// and shift, in every year the calendar knows and one it does not.
@Suite struct SchedulePropertyTests {
    static let calendar = WorkdayCalendar.standard(covering: 2023...2028)
    let expander = ScheduleExpander(calendar: calendar)

    static let rules: [DayRule] =
        (1...31).map { DayRule.day($0) } + [.lastDay, .lastWorkday, .firstWorkday]
        + Weekday.allCases.flatMap { wd in (1...4).map { DayRule.nthWeekday($0, wd) } + [.lastWeekday(wd)] }

    func plan(_ year: Int, _ schedule: Schedule, _ shift: Shift) -> Plan {
        let item = Item(
            id: "i",
            title: "t",
            schedule: schedule,
            shift: shift,
            notices: NoticeSettings(remind: [Offset(7, .days), Offset(3, .workdays)]),
            note: nil,
            location: .init(file: "f", line: 1, column: 1)
        )
        return Plan(
            id: "p",
            title: "t",
            owner: "o",
            year: year,
            contacts: [:],
            items: [item],
            file: "f",
            idLocation: .init(file: "f", line: 1, column: 1)
        )
    }

    @Test(arguments: [2024, 2025, 2026, 2027])
    func shiftedDueDatesAreWorkingDaysInPeriodOrder(year: Int) {
        for period in Period.allCases {
            for rule in Self.rules {
                for shift in [Shift.earlier, .later, .none] {
                    let all = expander.occurrences(of: plan(year, .every(period, rule), shift))
                    #expect(all.count == 12 / period.monthsLong)
                    let labels = ScheduleExpander.periods(period, year: year).map(\.label)
                    #expect(all.map(\.period) == labels)
                    for o in all {
                        let works = Self.calendar.isWorkday(o.due)
                        if shift != .none { #expect(works, "\(rule) \(shift) \(o.due)") }
                        if shift == .none { #expect(o.due == o.nominalDue) }
                        if works { #expect(o.due == o.nominalDue || !Self.calendar.isWorkday(o.nominalDue)) }
                        for r in o.reminders {
                            #expect(r.date < o.due && Self.calendar.isWorkday(r.date))
                        }
                    }
                    // Nominal dates increase from period to period.
                    #expect(zip(all, all.dropFirst()).allSatisfy { $0.nominalDue < $1.nominalDue })
                }
            }
        }
    }

    @Test func periodLabelsFollowTheContract() {
        #expect(ScheduleExpander.periods(.month, year: 2026).map(\.label).first == "2026-01")
        #expect(ScheduleExpander.periods(.month, year: 2026).map(\.label).last == "2026-12")
        #expect(
            ScheduleExpander.periods(.quarter, year: 2026).map(\.label) == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
        )
        #expect(ScheduleExpander.periods(.halfYear, year: 2026).map(\.label) == ["2026-H1", "2026-H2"])
        #expect(ScheduleExpander.periods(.year, year: 2026).map(\.label) == ["2026"])
        let spans = ScheduleExpander.periods(.quarter, year: 2024)
        #expect(spans.map(\.end.description) == ["2024-03-31", "2024-06-30", "2024-09-30", "2024-12-31"])
    }

    @Test(arguments: Holiday.allCases)
    func beforeIsAlwaysAWorkingDayBeforeTheBreak(holiday: Holiday) {
        for year in 2024...2027 {
            for n in 1...5 {
                let o = expander.occurrences(of: plan(year, .before(holiday, workdays: n), .earlier))[0]
                #expect(Self.calendar.isWorkday(o.due))
                let target = holiday == .newYear ? year + 1 : year
                let day = Self.calendar.date(of: holiday, in: target)
                #expect(o.due < day)
                // The holiday is off; the due date is the Nth working day before its break.
                let run = Self.calendar.offRun(containing: day)
                #expect(run != nil)
                if let run {
                    #expect(Self.calendar.workdays(from: o.due, to: run.lowerBound) == n - 1)
                    #expect(Self.calendar.workday(n, before: run.lowerBound) == o.due)
                }
            }
        }
    }
}
