import Testing
@testable import WorkCalendar

private func d(_ s: String) -> CivilDate { CivilDate(iso: s)! }

@Suite struct WorkdayCalendarTests {
    let calendar = WorkdayCalendar.standard(covering: 2023...2028)

    @Test func shippedListsAllParse() {
        #expect(ShippedHolidays.years.map(\.year) == [2024, 2025, 2026])
        for year in ShippedHolidays.years { #expect(!year.source.isEmpty) }
    }

    @Test(
        "weekend make-up days are working days",
        arguments: ["2026-02-28", "2026-01-04", "2026-02-14", "2025-09-28", "2024-02-04"]
    )
    func makeupDaysAreWorkdays(_ day: String) {
        #expect(d(day).isWeekend)
        #expect(calendar.isWorkday(d(day)))
        if case .makeup = calendar.kind(of: d(day)) {} else { Issue.record("\(day) should be a make-up day") }
    }

    @Test(
        "official holidays on weekdays are off",
        arguments: ["2026-02-16", "2026-10-07", "2025-10-08", "2024-05-03", "2026-01-02"]
    )
    func holidaysAreOff(_ day: String) {
        #expect(!calendar.isWorkday(d(day)))
    }

    @Test func springFestival2026BreakAndTheSaturdayBeforeIt() {
        let run = calendar.offRun(containing: d("2026-02-17"))
        #expect(run == d("2026-02-15")...d("2026-02-23"))
        #expect(calendar.workday(1, before: d("2026-02-15")) == d("2026-02-14"))
        #expect(calendar.workday(2, before: d("2026-02-15")) == d("2026-02-13"))
    }

    @Test func nationalDayAndMidAutumn2025MergeIntoOneBreak() {
        let midAutumn = calendar.date(of: .midAutumn, in: 2025)
        #expect(midAutumn == d("2025-10-06"))
        #expect(calendar.offRun(containing: midAutumn) == d("2025-10-01")...d("2025-10-08"))
        #expect(calendar.offRun(containing: d("2025-10-01")) == calendar.offRun(containing: midAutumn))
    }

    @Test func yearsWithoutAListUseStatutoryDays() {
        #expect(!calendar.hasOfficialList(for: 2027))
        // 2027: 除夕 02-05 and 春节 02-06..02-08 are off; 02-09 (Tuesday) is a working day.
        for day in ["2027-02-05", "2027-02-08", "2027-05-01", "2027-05-02", "2027-06-09", "2027-09-15", "2027-10-01"] {
            let works = calendar.isWorkday(d(day))
            #expect(!works, "\(day)")
        }
        for day in ["2027-02-09", "2027-02-04", "2027-04-06", "2027-05-04", "2027-10-04"] {
            let works = calendar.isWorkday(d(day))
            #expect(works == !d(day).isWeekend, "\(day)")
        }
        // No made-up make-up days.
        #expect(!calendar.isWorkday(d("2027-02-06")))  // a Saturday, and 春节
    }

    @Test func officialYearCountsOfWorkingDays() {
        // 2026: 365 days, 104 weekend days; 33 off days of which some fall on
        // weekends, and 6 make-up Saturdays/Sundays. Count directly instead.
        for year in 2024...2026 {
            var off = 0
            var makeup = 0
            var day = CivilDate(year: year, month: 1, day: 1)!
            while day.year == year {
                switch calendar.kind(of: day) {
                case .holiday: off += 1
                case .makeup: makeup += 1
                default: break
                }
                day = day.adding(days: 1)
            }
            let list = calendar.officialYears[year]!
            #expect(off == list.offDays.count)
            #expect(makeup == list.makeupDays.count)
        }
    }

    @Test func workdayArithmeticIsConsistent() {
        var day = d("2025-12-01")
        while day < d("2027-02-01") {
            let before = calendar.workday(onOrBefore: day)
            let after = calendar.workday(onOrAfter: day)
            #expect(calendar.isWorkday(before) && calendar.isWorkday(after))
            #expect(before <= day && day <= after)
            if calendar.isWorkday(day) { #expect(before == day && after == day) }
            let three = calendar.workday(3, before: day)
            // (three, day] holds the 2nd and 1st working days before, and day itself if it works.
            #expect(calendar.workdays(from: three, to: day) == 2 + (calendar.isWorkday(day) ? 1 : 0))
            #expect(calendar.workday(3, after: three) == calendar.workday(onOrAfter: day) || !calendar.isWorkday(day))
            day = day.adding(days: 1)
        }
    }

    @Test func adminListOverridesAShippedYear() {
        let replacement = HolidayYear(
            year: 2026,
            source: "test",
            offDays: [d("2026-03-02"): "测试"],
            makeupDays: [:],
            origin: "test"
        )
        let c = WorkdayCalendar.standard(adminYears: [replacement], covering: 2026...2026)
        #expect(!c.isWorkday(d("2026-03-02")))
        #expect(!c.isWorkday(d("2026-01-04")))  // the shipped make-up Sunday is gone with the shipped list
        #expect(c.isWorkday(d("2026-02-16")))  // and so is the shipped Spring Festival
    }
}

@Suite struct CivilDateTests {
    @Test func roundTripsEveryDayOfTwoCenturies() {
        var day = CivilDate(year: 1950, month: 1, day: 1)!
        let end = CivilDate(year: 2150, month: 12, day: 31)!
        var previous = day.dayNumber - 1
        while day <= end {
            let (y, m, dd) = day.components
            #expect(CivilDate(year: y, month: m, day: dd) == day)
            #expect(day.dayNumber == previous + 1)
            previous = day.dayNumber
            day = day.adding(days: 1)
        }
    }

    @Test func parsesStrictly() {
        #expect(CivilDate(iso: "2026-02-28") != nil)
        #expect(CivilDate(iso: "2026-02-29") == nil)
        #expect(CivilDate(iso: "2024-02-29") != nil)
        #expect(CivilDate(iso: "2026/02/28") == nil)
        #expect(CivilDate(iso: "2026-2-28") == nil)
        #expect(CivilDate(iso: "２０２６-02-28") == nil)
    }

    @Test func weekdays() {
        #expect(d("2026-02-14").weekday == .saturday)
        #expect(d("2026-01-04").weekday == .sunday)
        #expect(d("2026-11-24").weekday == .tuesday)
        #expect(d("1970-01-01").weekday == .thursday)
        #expect(d("1969-12-31").weekday == .wednesday)
    }
}
