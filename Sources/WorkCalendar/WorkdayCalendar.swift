/// China's working-day calendar: a day is off if the year's official list
/// says so, or if it is a Saturday or Sunday that the list does not make a
/// working day (调休). Years without a list fall back to weekends plus the
/// statutory festival days, and say so through `hasOfficialList`.
///
/// Built once for the years in use (the covered years: those asked for, and
/// every year an official list mentions), as one small table per year, so
/// that the schedule engine's many day lookups are array reads.
///
/// Outside the covered years a day is off when it is a Saturday or Sunday,
/// nothing more: a date there is a typo (`date: 2206-12-18`) or a "today"
/// long after the plans' years, and every question about it is answered in
/// constant time, whatever year it names. (Building a year's table on
/// demand, with its lunar festivals, for every day asked about made a tick
/// two years after the plans' year take minutes, and `status` on a plan
/// naming 2206 never finish.)
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
    /// The covered years as runs of days, so that the hot questions (is
    /// this a working day, how many working days lie between two dates) are
    /// an index computation and an array read, with no date conversion and
    /// no hashing.
    private let days: DayTable

    /// - Parameters:
    ///   - holidayYears: official lists; a later entry for the same year replaces an earlier one.
    ///   - years: the years to cover, besides those the official lists mention; other years count weekends only.
    public init(holidayYears: [HolidayYear], covering years: ClosedRange<Int>) {
        var official: [Int: HolidayYear] = [:]
        for y in holidayYears { official[y.year] = y }
        var off: [CivilDate: String] = [:]
        var makeup: [CivilDate: String] = [:]
        var covered = Set(years)
        for y in official.keys.sorted() {
            covered.insert(y)
            for (d, n) in official[y]!.offDays {
                off[d] = n
                covered.insert(d.year)
            }
            for (d, n) in official[y]!.makeupDays {
                makeup[d] = n
                covered.insert(d.year)
            }
        }
        self.officialYears = official
        var tables: [Int: YearTable] = [:]
        for year in covered {
            tables[year] = YearTable(year: year, official: official[year] != nil, off: off, makeup: makeup)
        }
        self.tables = tables
        self.days = DayTable(tables: tables)
    }

    /// The shipped lists (2024–2026) plus the given admin lists, which win.
    public static func standard(adminYears: [HolidayYear] = [], covering years: ClosedRange<Int>) -> WorkdayCalendar {
        WorkdayCalendar(holidayYears: ShippedHolidays.years + adminYears, covering: years)
    }

    public func hasOfficialList(for year: Int) -> Bool { officialYears[year] != nil }

    /// Whether the year has its own table (festivals, official lists), or
    /// counts weekends only.
    public func covers(year: Int) -> Bool { tables[year] != nil }

    public func kind(of date: CivilDate) -> DayKind {
        if let table = tables[date.year] { return table.kind(date) }
        return date.isWeekend ? .weekend : .workday
    }

    public func isWorkday(_ date: CivilDate) -> Bool {
        days.isWorkday(date.dayNumber)
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
        days.workday(n, from: date.dayNumber, step: -1).map(CivilDate.init(dayNumber:)) ?? date
    }

    /// The Nth working day strictly after `date` (N ≥ 1; N = 0 is the date itself).
    public func workday(_ n: Int, after date: CivilDate) -> CivilDate {
        days.workday(n, from: date.dayNumber, step: 1).map(CivilDate.init(dayNumber:)) ?? date
    }

    /// Working days in `(from, to]`: how many working days have passed
    /// between two dates; negative when `to` is before `from`. Constant time
    /// for any two dates.
    public func workdays(from: CivilDate, to: CivilDate) -> Int {
        days.workdaysBefore(to.dayNumber + 1) - days.workdaysBefore(from.dayNumber + 1)
    }

    /// The break (连续休息日) containing `date`: the maximal run of off days
    /// around it, weekends included (at most 400 days either way). Nil when
    /// the date is a working day.
    public func offRun(containing date: CivilDate) -> ClosedRange<CivilDate>? {
        guard !isWorkday(date) else { return nil }
        var start = date
        var end = date
        for _ in 0..<400 {
            guard !isWorkday(start.adding(days: -1)) else { break }
            start = start.adding(days: -1)
        }
        for _ in 0..<400 {
            guard !isWorkday(end.adding(days: 1)) else { break }
            end = end.adding(days: 1)
        }
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
                let days =
                    h == .springFestival && year >= 2025
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

/// The working days of every day there is, as a prefix count: the covered
/// years from their tables (one run of consecutive years per segment, each
/// an array of running counts), every other day by its weekday. A count
/// between any two dates is two lookups and a subtraction, and the Nth
/// working day is found by walking whole weeks through uncovered spans, so
/// no question costs more than the covered years' size.
struct DayTable: Sendable {
    struct Segment: Sendable {
        /// Day number of the segment's first day (1 January of its first year).
        let first: Int
        /// `counts[i]` is the number of working days among the segment's
        /// first `i` days; day `i` is a working day when `counts[i + 1] > counts[i]`.
        let counts: [Int32]
        var end: Int { first + counts.count - 1 }
        /// Working days in the segment minus its Mondays to Fridays.
        let delta: Int
    }

    /// In date order, not adjacent to one another.
    let segments: [Segment]

    init(tables: [Int: YearTable]) {
        var segments: [Segment] = []
        var runs: [[Int]] = []
        for year in tables.keys.sorted() {
            if let last = runs.last?.last, last == year - 1 {
                runs[runs.count - 1].append(year)
            } else {
                runs.append([year])
            }
        }
        for run in runs {
            let first = CivilDate.firstOfMonth(year: run[0], month: 1).dayNumber
            var counts: [Int32] = [0]
            var running: Int32 = 0
            for year in run {
                for c in tables[year]!.codes {
                    if c == 0 || c == 3 { running += 1 }
                    counts.append(running)
                }
            }
            let end = first + counts.count - 1
            segments.append(
                Segment(
                    first: first,
                    counts: counts,
                    delta: Int(running) - (Self.weekdaysBefore(end) - Self.weekdaysBefore(first))
                )
            )
        }
        self.segments = segments
    }

    /// Mondays to Fridays before day `x`, counted from the Monday 1969-12-29
    /// (day −3); negative before it. Differences are what matter.
    @inline(__always)
    static func weekdaysBefore(_ x: Int) -> Int {
        let m = x + 3
        let weeks = m >= 0 ? m / 7 : (m - 6) / 7
        return 5 * weeks + min(m - 7 * weeks, 5)
    }

    @inline(__always)
    static func isWeekday(_ x: Int) -> Bool {
        let r = (x + 3) % 7
        return (r < 0 ? r + 7 : r) < 5
    }

    @inline(__always)
    func isWorkday(_ dayNumber: Int) -> Bool {
        for s in segments where dayNumber >= s.first && dayNumber < s.end {
            return s.counts.withUnsafeBufferPointer { $0[dayNumber - s.first + 1] != $0[dayNumber - s.first] }
        }
        return Self.isWeekday(dayNumber)
    }

    /// Working days before day `x`, from the same origin as `weekdaysBefore`.
    func workdaysBefore(_ x: Int) -> Int {
        var correction = 0
        for s in segments {
            if x <= s.first { break }
            if x >= s.end {
                correction += s.delta
                continue
            }
            correction += Int(s.counts[x - s.first]) - (Self.weekdaysBefore(x) - Self.weekdaysBefore(s.first))
            break
        }
        return Self.weekdaysBefore(x) + correction
    }

    /// The `n`th working day after (`step` 1) or before (`step` −1) day
    /// `from`, or nil for n ≤ 0. Outside the segments it skips whole weeks.
    func workday(_ n: Int, from: Int, step: Int) -> Int? {
        guard n > 0 else { return nil }
        var d = from
        var left = n
        while left > 0 {
            let next = d + step
            if left > 10, !segments.contains(where: { next >= $0.first - 7 && next < $0.end + 7 }) {
                // A whole week outside every table: five working days.
                d += 7 * step
                left -= 5
                continue
            }
            d = next
            if isWorkday(d) { left -= 1 }
        }
        return d
    }
}
