import Foundation
import Notices
import WorkCalendar

/// Converts between instants and the service's local wall-clock time. The
/// core works in `LocalTime`; only this edge knows about time zones.
public struct LocalClock: Sendable {
    public let timeZone: TimeZone

    public init(timeZone: TimeZone) { self.timeZone = timeZone }

    public init(identifier: String) {
        self.timeZone = TimeZone(identifier: identifier) ?? TimeZone(secondsFromGMT: 8 * 3600)!
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
    public func rfc5322(_ instant: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: instant)
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
