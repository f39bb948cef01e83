import Testing
@testable import WorkCalendar

/// The day table behind `isWorkday`, `workdays(from:to:)` and the Nth working
/// day must answer exactly what the per-day kinds say, inside the covered
/// years, at their edges, across gaps between them, and outside them, where
/// only weekends are off and every answer takes constant time (issue 15: a
/// tick in 2028 on 2026 plans took 72 s, and `status` on a plan naming 2206
/// never finished).
@Suite struct DayTableTests {
    let calendar = WorkdayCalendar.standard(covering: 2025...2027)
    /// Two runs of covered years with a gap: 2026 (asked for, next to the
    /// shipped 2024–2026) and 2030 (an admin list).
    let gapped = WorkdayCalendar.standard(adminYears: [DayTableTests.year2030], covering: 2026...2026)

    static let year2030 = HolidayYear(
        year: 2030,
        source: "test",
        offDays: [CivilDate(iso: "2030-10-01")!: "国庆", CivilDate(iso: "2030-10-02")!: "国庆"],
        makeupDays: [CivilDate(iso: "2030-09-29")!: "国庆"],
        origin: "test"
    )

    static func slowCount(_ calendar: WorkdayCalendar, _ from: CivilDate, _ to: CivilDate) -> Int {
        var n = 0
        var d = from
        while d < to {
            d = d.adding(days: 1)
            if calendar.kind(of: d).isWorkday { n += 1 }
        }
        return n
    }

    static func slowWalk(_ calendar: WorkdayCalendar, _ n: Int, from: CivilDate, step: Int) -> CivilDate {
        var d = from
        var left = n
        while left > 0 {
            d = d.adding(days: step)
            if calendar.kind(of: d).isWorkday { left -= 1 }
        }
        return d
    }

    @Test func everyDayAgreesWithItsKind() {
        var d = CivilDate(year: 2022, month: 12, day: 1)!
        let last = CivilDate(year: 2031, month: 1, day: 31)!
        while d <= last {
            #expect(calendar.isWorkday(d) == calendar.kind(of: d).isWorkday, "\(d)")
            #expect(gapped.isWorkday(d) == gapped.kind(of: d).isWorkday, "\(d)")
            d = d.adding(days: 1)
        }
    }

    @Test func officialYearsAreCoveredWhateverTheRangeAskedFor() {
        #expect(
            gapped.covers(year: 2024) && gapped.covers(year: 2025) && gapped.covers(year: 2026)
                && gapped.covers(year: 2030)
        )
        #expect(!gapped.covers(year: 2027) && !gapped.covers(year: 2029))
        #expect(!gapped.isWorkday(CivilDate(iso: "2030-10-01")!))  // a Tuesday off by the admin's list
        #expect(gapped.isWorkday(CivilDate(iso: "2030-09-29")!))  // a Sunday worked
    }

    /// Outside the covered years a day is off when it is a Saturday or a
    /// Sunday: the old calendar built a year table with lunar festivals for
    /// every day asked about, and answered 2029-10-01 as 国庆.
    @Test func uncoveredYearsCountWeekendsOnly() {
        for iso in [
            "2029-10-01", "2029-10-02", "2029-01-01", "2206-12-18", "2206-02-01", "1900-01-01", "0001-01-01",
            "9999-12-31",
        ] {
            let day = CivilDate(iso: iso)!
            #expect(calendar.isWorkday(day) == !day.isWeekend, "\(iso)")
            #expect(calendar.kind(of: day) == (day.isWeekend ? .weekend : .workday), "\(iso)")
        }
    }

    @Test func workdayCountsMatchCountingDayByDay() {
        let days = [
            "2023-06-01", "2024-12-30", "2025-01-01", "2025-01-26", "2025-10-08", "2025-12-31", "2026-01-01",
            "2026-02-14", "2026-02-28", "2026-12-31", "2027-01-01", "2027-12-31", "2028-01-03", "2029-12-31",
            "2030-01-01", "2030-09-29", "2030-10-02", "2031-01-01", "2031-03-04",
        ]
        .map { CivilDate(iso: $0)! }
        for cal in [calendar, gapped] {
            for a in days {
                for b in days {
                    let expected = a < b ? Self.slowCount(cal, a, b) : -Self.slowCount(cal, b, a)
                    #expect(cal.workdays(from: a, to: b) == expected, "\(a) → \(b)")
                }
            }
        }
    }

    /// The Nth working day skips whole weeks outside the tables; it must land
    /// where a day-by-day walk lands, also when the walk enters a table.
    @Test(arguments: [1, 3, 5, 11, 40, 366])
    func nthWorkdayMatchesWalkingDayByDay(_ n: Int) {
        let starts = [
            "2023-06-01", "2025-12-31", "2026-02-13", "2027-06-30", "2028-12-29", "2029-09-20", "2030-10-01",
            "2031-02-01",
        ]
        for cal in [calendar, gapped] {
            for iso in starts {
                let from = CivilDate(iso: iso)!
                #expect(cal.workday(n, after: from) == Self.slowWalk(cal, n, from: from, step: 1), "\(n) after \(iso)")
                #expect(
                    cal.workday(n, before: from) == Self.slowWalk(cal, n, from: from, step: -1),
                    "\(n) before \(iso)"
                )
            }
        }
    }

    /// A count from 2026 to a typo's 2206 is a closed form plus the covered
    /// years' corrections, and agrees with counting all 66,000 days.
    @Test func countsReachingCenturiesAwayAreExact() {
        let from = CivilDate(iso: "2026-11-18")!
        let to = CivilDate(iso: "2206-12-18")!
        #expect(calendar.workdays(from: from, to: to) == Self.slowCount(calendar, from, to))
        #expect(calendar.workdays(from: to, to: from) == -Self.slowCount(calendar, from, to))
    }

    @Test func searchesStopAtTheFirstWorkingDay() {
        let d = { (s: String) in CivilDate(iso: s)! }
        #expect(calendar.workday(onOrBefore: d("2026-02-23")) == d("2026-02-14"))
        #expect(calendar.workday(onOrAfter: d("2026-02-15")) == d("2026-02-24"))
        #expect(calendar.workday(onOrBefore: d("2026-02-13")) == d("2026-02-13"))
        #expect(calendar.workday(onOrAfter: d("2026-01-01")) == d("2026-01-04"))
        #expect(gapped.workday(onOrAfter: d("2026-01-01")) == d("2026-01-04"))
        #expect(calendar.workday(onOrAfter: d("2206-12-20")) == d("2206-12-22"))  // a Saturday → Monday
    }
}
