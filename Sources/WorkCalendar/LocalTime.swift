/// A wall-clock moment in the service's time zone, to the minute. The policy
/// reasons in local days and times ("08:30 on the due date"); converting to
/// and from instants is the daemon's job, so the core reads no clock.
public struct LocalTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var date: CivilDate
    /// Minutes since local midnight, 0..<1440.
    public var minute: Int

    public init(date: CivilDate, minute: Int) {
        self.date = date.adding(days: minute >= 0 ? minute / 1440 : (minute - 1439) / 1440)
        self.minute = ((minute % 1440) + 1440) % 1440
    }

    public init(date: CivilDate, hour: Int, minute: Int) { self.init(date: date, minute: hour * 60 + minute) }

    /// Minutes since 1970-01-01 00:00 local time.
    public var totalMinutes: Int { date.dayNumber * 1440 + minute }

    public init(totalMinutes: Int) { self.init(date: CivilDate(dayNumber: 0), minute: totalMinutes) }

    public static func < (a: LocalTime, b: LocalTime) -> Bool { a.totalMinutes < b.totalMinutes }

    public var description: String {
        let h = minute / 60
        let m = minute % 60
        return "\(date) " + (h < 10 ? "0\(h)" : "\(h)") + ":" + (m < 10 ? "0\(m)" : "\(m)")
    }

    /// Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM` or `YYYY-MM-DD HH:MM`.
    public init?(parsing text: String) {
        let date = CivilDate(iso: text.prefix(10))
        guard let date else { return nil }
        if text.count == 10 {
            self.init(date: date, minute: 0)
            return
        }
        let rest = text.dropFirst(10)
        guard rest.first == "T" || rest.first == " " else { return nil }
        let hm = rest.dropFirst().prefix(5).split(separator: ":")
        guard hm.count == 2, let h = Int(hm[0]), let m = Int(hm[1]), (0..<24).contains(h), (0..<60).contains(m) else {
            return nil
        }
        self.init(date: date, hour: h, minute: m)
    }
}
