/// A day on the civil (Gregorian) calendar, with no time and no time zone:
/// deadlines are days, and a day number makes date arithmetic and working-day
/// bitmaps cheap.
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible, Strideable {
    /// Days since 1970-01-01.
    public let dayNumber: Int

    public init(dayNumber: Int) { self.dayNumber = dayNumber }

    /// Nil when the date does not exist (2026-02-30).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(year: year, month: month) else { return nil }
        self.dayNumber = CivilDate.days(year: year, month: month, day: day)
    }

    /// Parses `YYYY-MM-DD` strictly (four-digit year, two-digit month and day).
    public init?(iso text: some StringProtocol) {
        let u = Array(text.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"),
            let y = CivilDate.digits(u[0..<4]), let m = CivilDate.digits(u[5..<7]), let d = CivilDate.digits(u[8..<10])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    static func digits(_ s: ArraySlice<UInt8>) -> Int? {
        var v = 0
        for c in s {
            guard c >= 48, c <= 57 else { return nil }
            v = v * 10 + Int(c - 48)
        }
        return v
    }

    public var year: Int { components.year }
    public var month: Int { components.month }
    public var day: Int { components.day }

    /// Howard Hinnant's civil_from_days.
    public var components: (year: Int, month: Int, day: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    public var weekday: Weekday {
        // 1970-01-01 was a Thursday.
        let r = ((dayNumber % 7) + 7 + 3) % 7  // 0 = Monday
        return Weekday(rawValue: r + 1)!
    }

    public var isWeekend: Bool { weekday == .saturday || weekday == .sunday }

    /// `YYYY-MM-DD`. Written byte by byte into one small string: schedules
    /// print a date for every occurrence and reminder.
    public var description: String {
        let (y, m, d) = components
        guard (0...9999).contains(y) else {
            return CivilDate.pad(y, 4) + "-" + CivilDate.pad(m, 2) + "-" + CivilDate.pad(d, 2)
        }
        return String(unsafeUninitializedCapacity: 10) { b in
            b[0] = UInt8(48 + y / 1000)
            b[1] = UInt8(48 + y / 100 % 10)
            b[2] = UInt8(48 + y / 10 % 10)
            b[3] = UInt8(48 + y % 10)
            b[4] = 45
            b[5] = UInt8(48 + m / 10)
            b[6] = UInt8(48 + m % 10)
            b[7] = 45
            b[8] = UInt8(48 + d / 10)
            b[9] = UInt8(48 + d % 10)
            return 10
        }
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    public func adding(days: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + days) }

    public func distance(to other: CivilDate) -> Int { other.dayNumber - dayNumber }
    public func advanced(by n: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + n) }

    public static func < (a: CivilDate, b: CivilDate) -> Bool { a.dayNumber < b.dayNumber }

    // MARK: Calendar arithmetic

    public static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    public static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Howard Hinnant's days_from_civil.
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The last day of a month.
    public static func endOfMonth(year: Int, month: Int) -> CivilDate {
        CivilDate(dayNumber: days(year: year, month: month, day: daysIn(year: year, month: month)))
    }

    public static func firstOfMonth(year: Int, month: Int) -> CivilDate {
        CivilDate(dayNumber: days(year: year, month: month, day: 1))
    }
}

/// ISO weekday numbering: Monday is 1, Sunday is 7.
public enum Weekday: Int, Sendable, CaseIterable, Hashable {
    case monday = 1
    case tuesday, wednesday, thursday, friday, saturday, sunday

    /// The three-letter names plan files use (`2nd-mon`, `last-fri`).
    public var shortName: String {
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][rawValue - 1]
    }

    public init?(shortName: String) {
        guard let i = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].firstIndex(of: shortName) else { return nil }
        self.init(rawValue: i + 1)
    }

    /// 周一 … 周日
    public var chineseName: String { "周" + ["一", "二", "三", "四", "五", "六", "日"][rawValue - 1] }
    public var englishName: String { ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][rawValue - 1] }
}
