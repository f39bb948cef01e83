import Foundation

/// Dates of the lunar festivals and of 清明, computed rather than tabled so
/// that a year with no published holiday list still gets its festivals.
/// Lunar dates come from Foundation's Chinese calendar (correct on Linux for
/// the years tested); 清明 is the day the Sun's apparent longitude reaches
/// 15°, in Beijing time.
public enum ChineseFestivals {
    private static let beijing = TimeZone(secondsFromGMT: 8 * 3600)!

    private static let chinese: Calendar = {
        var c = Calendar(identifier: .chinese)
        c.timeZone = beijing
        return c
    }()

    private static let gregorian: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = beijing
        return c
    }()

    /// The Gregorian date of lunar MONTH/DAY (not a leap month) falling in the
    /// Gregorian year: lunar months 1–8 always start inside that year.
    public static func lunarDate(month: Int, day: Int, gregorianYear year: Int) -> CivilDate {
        // Lunar M/D falls 20–55 days after Gregorian M/D; start ten days after
        // Gregorian M/D and walk forward.
        let start = CivilDate(year: year, month: month, day: 1)!.adding(days: day - 1 + 10)
        for offset in 0..<60 {
            let date = start.adding(days: offset)
            let c = lunarComponents(of: date)
            if c.month == month, c.day == day, !c.leap { return date }
        }
        return start  // unreachable for lunar months 1–8; never traps
    }

    static func lunarComponents(of date: CivilDate) -> (month: Int, day: Int, leap: Bool) {
        let (y, m, d) = date.components
        let instant = gregorian.date(from: DateComponents(year: y, month: m, day: d, hour: 12))!
        let c = chinese.dateComponents([.month, .day, .isLeapMonth], from: instant)
        return (c.month ?? 0, c.day ?? 0, c.isLeapMonth ?? false)
    }

    /// 除夕, the eve of the Spring Festival.
    public static func springFestivalEve(_ year: Int) -> CivilDate {
        lunarDate(month: 1, day: 1, gregorianYear: year).adding(days: -1)
    }

    /// 清明: the first day, in Beijing time, on which the Sun's apparent
    /// ecliptic longitude is at least 15°.
    public static func qingming(_ year: Int) -> CivilDate {
        let jde = SolarLongitude.instant(reaching: 15, near: CivilDate(year: year, month: 4, day: 5)!)
        let deltaT = SolarLongitude.deltaT(year: year) / 86400
        let ut = jde - deltaT
        // JD 2440587.5 is 1970-01-01T00:00Z; shift by 8 h for Beijing.
        let beijingDays = ut - 2_440_587.5 + 8.0 / 24
        return CivilDate(dayNumber: Int(beijingDays.rounded(.down)))
    }
}

/// Meeus, *Astronomical Algorithms*, ch. 25, low accuracy (~0.01°, a quarter
/// of an hour in time): ample for a festival day whose instant is never that
/// close to midnight in the years that matter, and checked against a
/// published table in the tests.
enum SolarLongitude {
    static func apparentLongitude(jde: Double) -> Double {
        let t = (jde - 2_451_545.0) / 36525
        let l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t * t
        let m = (357.52911 + 35999.05029 * t - 0.0001537 * t * t) * .pi / 180
        let c =
            (1.914602 - 0.004817 * t - 0.000014 * t * t) * sin(m)
            + (0.019993 - 0.000101 * t) * sin(2 * m) + 0.000289 * sin(3 * m)
        let omega = (125.04 - 1934.136 * t) * .pi / 180
        let lambda = l0 + c - 0.00569 - 0.00478 * sin(omega)
        return lambda.truncatingRemainder(dividingBy: 360) + (lambda < 0 ? 360 : 0)
    }

    /// Julian Ephemeris Day at which the longitude equals `degrees`.
    static func instant(reaching degrees: Double, near date: CivilDate) -> Double {
        var jde = Double(date.dayNumber) + 2_440_587.5
        for _ in 0..<20 {
            var diff = degrees - apparentLongitude(jde: jde)
            if diff > 180 { diff -= 360 }
            if diff < -180 { diff += 360 }
            // The Sun moves about 0.9856° a day.
            let step = diff / 0.98564736
            jde += step
            if abs(step) < 1e-7 { break }
        }
        return jde
    }

    /// ΔT = TT − UT in seconds (Espenak & Meeus polynomial for 2005–2050,
    /// extended: the error beyond is minutes, far below a day).
    static func deltaT(year: Int) -> Double {
        let t = Double(year) - 2000
        return 62.92 + 0.32217 * t + 0.005589 * t * t
    }
}
