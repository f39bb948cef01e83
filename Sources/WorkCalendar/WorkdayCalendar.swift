/// China's working-day calendar: a day is off if the year's official list
/// says so, or if it is a Saturday or Sunday that the list does not make a
/// working day (调休). Years without a list fall back to weekends plus the
/// statutory festival days, and say so through `hasOfficialList`.
///
/// Built once for the years in use, as one small table per year, so that the
/// schedule engine's many day lookups are array reads.
public struct WorkdayCalendar: Sendable {
    public enum DayKind: Sendable, Hashable {
        case workday
        case weekend
        /// An off day with the holiday it belongs to.
        case holiday(String)
        /// A Saturday or Sunday worked in exchange for a holiday (调休上班).
        case makeup(String)

        public var isWorkday: Bool {
            switch self {
            case .workday, .makeup: true
            case .weekend, .holiday: false
            }
        }
    }

    /// Official lists by year, after admin overrides.
    public let officialYears: [Int: HolidayYear]
    private let tables: [Int: YearTable]
    private let officialOff: [CivilDate: String]
    private let officialMakeup: [CivilDate: String]
    /// The covered years as one run of days, so that the hot questions (is
    /// this a working day, how many working days lie between two dates) are
    /// an index computation and an array read, with no date conversion and
    /// no hashing.
    private let days: DayTable

    /// - Parameters:
    ///   - holidayYears: official lists; a later entry for the same year replaces an earlier one.
    ///   - years: the years to precompute; other years still answer, more slowly.
    public init(holidayYears: [HolidayYear], covering years: ClosedRange<Int>) {
        var official: [Int: HolidayYear] = [:]
        for y in holidayYears { official[y.year] = y }
        var off: [CivilDate: String] = [:]
        var makeup: [CivilDate: String] = [:]
        for y in official.keys.sorted() {
            for (d, n) in official[y]!.offDays { off[d] = n }
            for (d, n) in official[y]!.makeupDays { makeup[d] = n }
        }
        self.officialYears = official
        self.officialOff = off
        self.officialMakeup = makeup
        var tables: [Int: YearTable] = [:]
        for year in years {
            tables[year] = YearTable(year: year, official: official[year] != nil, off: off, makeup: makeup)
        }
        self.tables = tables
        self.days = DayTable(years: years, tables: tables)
    }

    /// The shipped lists (2024–2026) plus the given admin lists, which win.
    public static func standard(adminYears: [HolidayYear] = [], covering years: ClosedRange<Int>) -> WorkdayCalendar {
        WorkdayCalendar(holidayYears: ShippedHolidays.years + adminYears, covering: years)
    }

    public func hasOfficialList(for year: Int) -> Bool { officialYears[year] != nil }

    private func table(_ year: Int) -> YearTable {
        tables[year] ?? YearTable(year: year, official: officialYears[year] != nil, off: officialOff, makeup: officialMakeup)
    }

    public func kind(of date: CivilDate) -> DayKind {
        let (y, _, _) = date.components
        return table(y).kind(date)
    }

    public func isWorkday(_ date: CivilDate) -> Bool {
        if let w = days.isWorkday(date.dayNumber) { return w }
        return kind(of: date).isWorkday
    }

    /// The date itself if it is a working day, else the closest earlier one
    /// (searching at most 400 days: a calendar with no working day answers
    /// the date 400 days back rather than hang).
    public func workday(onOrBefore date: CivilDate) -> CivilDate {
        var d = date
        for _ in 0..<400 {
            if isWorkday(d) { break }
            d = d.adding(days: -1)
        }
        return d
    }

    /// The date itself if it is a working day, else the closest later one.
    public func workday(onOrAfter date: CivilDate) -> CivilDate {
        var d = date
        for _ in 0..<400 {
            if isWorkday(d) { break }
            d = d.adding(days: 1)
        }
        return d
    }

    /// The Nth working day strictly before `date` (N ≥ 1; N = 0 is the date itself).
    public func workday(_ n: Int, before date: CivilDate) -> CivilDate {
        var d = date
        var left = n
        while left > 0 {
            d = d.adding(days: -1)
            if isWorkday(d) { left -= 1 }
        }
        return d
    }

    /// The Nth working day strictly after `date` (N ≥ 1; N = 0 is the date itself).
    public func workday(_ n: Int, after date: CivilDate) -> CivilDate {
        var d = date
        var left = n
        while left > 0 {
            d = d.adding(days: 1)
            if isWorkday(d) { left -= 1 }
        }
        return d
    }

    /// Working days in `(from, to]`: how many working days have passed between two dates.
    public func workdays(from: CivilDate, to: CivilDate) -> Int {
        if to < from { return -workdays(from: to, to: from) }
        if let n = days.workdays(after: from.dayNumber, through: to.dayNumber) { return n }
        var n = 0
        var d = from
        while d < to {
            d = d.adding(days: 1)
            if isWorkday(d) { n += 1 }
        }
        return n
    }

    /// The break (连续休息日) containing `date`: the maximal run of off days
    /// around it, weekends included. Nil when the date is a working day.
    public func offRun(containing date: CivilDate) -> ClosedRange<CivilDate>? {
        guard !isWorkday(date) else { return nil }
        var start = date
        var end = date
        while !isWorkday(start.adding(days: -1)) { start = start.adding(days: -1) }
        while !isWorkday(end.adding(days: 1)) { end = end.adding(days: 1) }
        return start...end
    }

    /// The holiday's own day in a year (cached for covered years).
    public func date(of holiday: Holiday, in year: Int) -> CivilDate {
        tables[year]?.festivals[holiday] ?? holiday.date(in: year)
    }
}

/// One Gregorian year's day kinds, as bytes: 0 workday, 1 weekend, 2 holiday, 3 make-up.
struct YearTable: Sendable {
    let year: Int
    let first: Int
    let official: Bool
    var codes: [UInt8]
    var names: [Int: String]
    let festivals: [Holiday: CivilDate]

    init(year: Int, official: Bool, off: [CivilDate: String], makeup: [CivilDate: String]) {
        self.year = year
        self.official = official
        let first = CivilDate(year: year, month: 1, day: 1)!
        self.first = first.dayNumber
        let count = CivilDate.isLeap(year) ? 366 : 365
        var codes = [UInt8](repeating: 0, count: count)
        var names: [Int: String] = [:]
        for i in 0..<count where first.adding(days: i).isWeekend { codes[i] = 1 }
        var festivals: [Holiday: CivilDate] = [:]
        for h in Holiday.allCases { festivals[h] = h.date(in: year) }
        self.festivals = festivals
        if !official {
            // Statutory days only: the yearly arrangement is not known yet.
            for h in Holiday.allCases {
                let days = h == .springFestival && year >= 2025
                    ? (-1...2).map { festivals[h]!.adding(days: $0) }
                    : h.statutoryDays(in: year)
                for d in days where d.year == year {
                    codes[d.dayNumber - first.dayNumber] = 2
                    names[d.dayNumber] = h.chineseName
                }
            }
        }
        // Official entries apply wherever they fall, also into a neighbouring year.
        for (d, n) in off where d.dayNumber >= first.dayNumber && d.dayNumber < first.dayNumber + count {
            codes[d.dayNumber - first.dayNumber] = 2
            names[d.dayNumber] = n
        }
        for (d, n) in makeup where d.dayNumber >= first.dayNumber && d.dayNumber < first.dayNumber + count {
            codes[d.dayNumber - first.dayNumber] = 3
            names[d.dayNumber] = n
        }
        self.codes = codes
        self.names = names
    }

    @inline(__always)
    func isWorkday(_ d: CivilDate) -> Bool {
        let c = codes[d.dayNumber - first]
        return c == 0 || c == 3
    }

    func kind(_ d: CivilDate) -> WorkdayCalendar.DayKind {
        switch codes[d.dayNumber - first] {
        case 0: .workday
        case 1: .weekend
        case 2: .holiday(names[d.dayNumber] ?? "")
        default: .makeup(names[d.dayNumber] ?? "")
        }
    }
}

/// The covered years' working days as one array indexed by day number, with
/// running counts: `isWorkday` is one read, and the working days between two
/// dates one subtraction. Days outside the covered years answer nil, and the
/// calendar falls back to its per-year tables.
struct DayTable: Sendable {
    /// Day number of the first covered day (1 January of the first year).
    let first: Int
    /// `counts[i]` is the number of working days among the first `i` covered
    /// days; day `i` is a working day when `counts[i + 1] > counts[i]`.
    let counts: [Int32]

    init(years: ClosedRange<Int>, tables: [Int: YearTable]) {
        let first = CivilDate.firstOfMonth(year: years.lowerBound, month: 1).dayNumber
        let end = CivilDate.firstOfMonth(year: years.upperBound + 1, month: 1).dayNumber
        var counts = [Int32](repeating: 0, count: end - first + 1)
        var running: Int32 = 0
        var i = 0
        for year in years {
            let codes = tables[year]!.codes
            for c in codes {
                if c == 0 || c == 3 { running += 1 }
                i += 1
                counts[i] = running
            }
        }
        self.first = first
        self.counts = counts
    }

    @inline(__always)
    func isWorkday(_ dayNumber: Int) -> Bool? {
        let i = dayNumber &- first
        guard i >= 0, i < counts.count - 1 else { return nil }
        return counts.withUnsafeBufferPointer { $0[i + 1] != $0[i] }
    }

    /// Working days in `(from, to]`, when both ends are covered.
    func workdays(after from: Int, through to: Int) -> Int? {
        let a = from &- first, b = to &- first
        guard a >= 0, b < counts.count - 1, a <= b else { return nil }
        return Int(counts[b + 1] - counts[a + 1])
    }
}
