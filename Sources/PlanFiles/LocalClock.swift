import Foundation
import WorkCalendar

/// Converts between instants and the service's local wall-clock time. The
/// core works in `LocalTime`; only this edge knows about time zones.
public struct LocalClock: Sendable {
    public let timeZone: TimeZone

    public init(timeZone: TimeZone) { self.timeZone = timeZone }

    public init(identifier: String) {
        self.timeZone = TimeZone(identifier: identifier) ?? TimeZone(secondsFromGMT: 8 * 3600) ?? .gmt
    }

    public func local(_ instant: Date) -> LocalTime {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: instant)
        let minutes = seconds >= 0 ? seconds / 60 : (seconds - 59) / 60
        return LocalTime(totalMinutes: minutes)
    }

    public func instant(_ local: LocalTime) -> Date {
        let guess = Date(timeIntervalSince1970: TimeInterval(local.totalMinutes * 60))
        let offset = timeZone.secondsFromGMT(for: guess)
        return Date(timeIntervalSince1970: TimeInterval(local.totalMinutes * 60 - offset))
    }

    /// `Tue, 24 Nov 2026 08:30:00 +0800`, for mail `Date:` headers.
    ///
    /// Written from the civil date and the zone's offset rather than with a
    /// `DateFormatter`: one formatter per message was an eighth of a tick's
    /// time, and ICU formatting traps on a machine without tzdata, where the
    /// zone falls back to a fixed offset.
    public func rfc5322(_ instant: Date) -> String {
        let offset = timeZone.secondsFromGMT(for: instant)
        let local = local(instant)
        let second = Int(instant.timeIntervalSince1970.rounded(.down)) + offset
        let (year, month, day) = local.date.components
        let weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][local.date.weekday.rawValue - 1]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let zone = offset.magnitude / 60
        return
            "\(weekday), \(two(day)) \(months[month - 1]) \(year) \(two(local.minute / 60)):\(two(local.minute % 60)):"
            + "\(two(((second % 60) + 60) % 60)) \(offset < 0 ? "-" : "+")\(two(Int(zone / 60)))\(two(Int(zone % 60)))"
    }

    /// Parses `--now`: `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM` (local time), or an
    /// ISO 8601 instant with a zone (`2026-11-18T08:30:00+08:00`, `…Z`).
    public func parseInstant(_ text: String) -> Date? {
        if let local = LocalTime(parsing: text), text.count <= 16 { return instant(local) }
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime]
        if let d = iso.date(from: text) { return d }
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return iso.date(from: text)
    }
}
