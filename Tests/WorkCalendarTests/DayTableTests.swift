import Testing
@testable import WorkCalendar

/// The flat day table behind `isWorkday` and `workdays(from:to:)` must answer
/// exactly what the per-day kinds say, inside the covered years, at their
/// edges, and outside them (where the calendar falls back to slow lookups).
@Suite struct DayTableTests {
    let calendar = WorkdayCalendar.standard(covering: 2025...2027)
    /// Everything answered from per-year tables built on demand.
    let uncovered = WorkdayCalendar.standard(covering: 1990...1990)

    func slowCount(_ from: CivilDate, _ to: CivilDate) -> Int {
        var n = 0
        var d = from
        while d < to {
            d = d.adding(days: 1)
            if calendar.kind(of: d).isWorkday { n += 1 }
        }
        return n
    }

    @Test func everyDayAgreesWithItsKind() {
        let first = CivilDate(year: 2024, month: 12, day: 1)!
        let last = CivilDate(year: 2028, month: 1, day: 31)!
        var d = first
        while d <= last {
            #expect(calendar.isWorkday(d) == calendar.kind(of: d).isWorkday, "\(d)")
            #expect(calendar.isWorkday(d) == uncovered.isWorkday(d), "\(d)")
            d = d.adding(days: 1)
        }
    }

    @Test func workdayCountsMatchCountingDayByDay() {
        let days = ["2024-12-30", "2025-01-01", "2025-01-26", "2025-10-08", "2025-12-31", "2026-01-01",
                    "2026-02-14", "2026-02-28", "2026-12-31", "2027-01-01", "2027-12-31", "2028-01-03"]
            .map { CivilDate(iso: $0)! }
        for a in days {
            for b in days {
                let expected = a < b ? slowCount(a, b) : -slowCount(b, a)
                #expect(calendar.workdays(from: a, to: b) == expected, "\(a) → \(b)")
                if abs(a.distance(to: b)) < 40 {  // the uncovered calendar builds a year table per day
                    #expect(uncovered.workdays(from: a, to: b) == expected, "\(a) → \(b) uncovered")
                }
            }
        }
    }

    @Test func searchesStopAtTheFirstWorkingDay() {
        let d = { (s: String) in CivilDate(iso: s)! }
        #expect(calendar.workday(onOrBefore: d("2026-02-23")) == d("2026-02-14"))
        #expect(calendar.workday(onOrAfter: d("2026-02-15")) == d("2026-02-24"))
        #expect(calendar.workday(onOrBefore: d("2026-02-13")) == d("2026-02-13"))
        #expect(calendar.workday(onOrAfter: d("2026-01-01")) == d("2026-01-04"))
        #expect(uncovered.workday(onOrAfter: d("2026-01-01")) == d("2026-01-04"))
    }
}
