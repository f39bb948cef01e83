extension WorkdayCalendar {
    /// The latest year with an official list built in. (Never empty: a test
    /// checks that every shipped file parses.)
    public static var latestShippedYear: Int { ShippedHolidays.years.map(\.year).max() ?? 0 }

    /// The years a calendar for plans of these years covers: one either side,
    /// for deadlines that reach over New Year (元旦 before next year's break,
    /// a December due date moved into January). With no plans at all, the
    /// years around the latest shipped list, rather than a year written into
    /// the code.
    public static func years(forPlanYears planYears: some Sequence<Int>) -> ClosedRange<Int> {
        var low: Int?
        var high: Int?
        for year in planYears {
            low = min(low ?? year, year)
            high = max(high ?? year, year)
        }
        let fallback = latestShippedYear
        return ((low ?? fallback) - 1)...((high ?? fallback) + 1)
    }
}
