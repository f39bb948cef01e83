import Config
import Notices
import Vocabulary
import WorkCalendar

extension NoticePolicy {
    /// The notice policy a configuration asks for: `send-at`, `catch-up`,
    /// `overdue-horizon`, `send-window`/`catch-up-at`, and escalations in the
    /// digest when `escalation-mail: digest` and the digest is on. One place,
    /// for `tick`, the daemon, and the commands that show history as not
    /// tracked (`status`, `report`, `done --history`).
    public init(config: DaemonConfig, calendar: WorkdayCalendar, trackingStart: LocalTime?) {
        let n = config.notices
        self.init(
            calendar: calendar,
            sendAt: config.sendAt,
            catchUpMinutes: config.catchUpMinutes,
            overdueHorizonDays: config.overdueHorizonDays,
            trackingStart: trackingStart,
            window: SendWindow(
                start: n.windowStart,
                end: n.windowEnd,
                catchUp: n.catchUpAt == .immediately ? .immediately : .nextSend
            ),
            escalationsInDigest: n.escalationMail == .digest && config.overdueDigest != .off
        )
    }
}
