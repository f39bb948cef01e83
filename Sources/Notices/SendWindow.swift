import WorkCalendar

/// When mail may go out: on working days, between `start` and `end` (the
/// configuration's `send-window`, 08:00–18:00 by default). A notice found due
/// outside them — a daemon started or caught up at 00:13 on a Sunday, a due
/// date kept on a weekend by `shift: none` — is held until the next working
/// day's `send-at` (`catch-up-at: next-send`, the default), and the journal
/// says so; `catch-up-at: immediately` sends whatever is due at once, any day
/// and hour, as before.
///
/// Ordinary notices are due at `send-at` on working days, inside the window:
/// only catch-up and off-day notices are ever held.
public struct SendWindow: Sendable, Hashable {
    /// `catch-up-at`: what happens to mail found due outside the window.
    public enum CatchUp: String, Sendable, CaseIterable, Hashable {
        /// Wait for the next working day's `send-at`.
        case nextSend = "next-send"
        /// Send at once, whatever the day and the hour.
        case immediately
    }

    /// Minutes after midnight: from `start` (included) to `end` (excluded).
    public var start: Int
    public var end: Int
    public var catchUp: CatchUp

    public init(start: Int = 8 * 60, end: Int = 18 * 60, catchUp: CatchUp = .nextSend) {
        self.start = start
        self.end = end
        self.catchUp = catchUp
    }

    /// 08:00–18:00 on working days, catch-up at the next `send-at`.
    public static let standard = SendWindow()
    /// No quiet hours: every notice goes out when it is found due.
    public static let always = SendWindow(start: 0, end: 1440, catchUp: .immediately)

    /// Whether mail may go out at `t`.
    public func isOpen(_ t: LocalTime, calendar: WorkdayCalendar) -> Bool {
        if catchUp == .immediately { return true }
        return calendar.isWorkday(t.date) && t.minute >= start && t.minute < end
    }

    /// When mail held at `t` goes out: `send-at` on the first working day
    /// whose `send-at` lies after `t` (today's, before it on a working day).
    public func release(after t: LocalTime, sendAt: Int, calendar: WorkdayCalendar) -> LocalTime {
        var day = t.date
        if !(calendar.isWorkday(day) && t.minute < sendAt) { day = calendar.workday(1, after: day) }
        return LocalTime(date: day, minute: sendAt)
    }
}
