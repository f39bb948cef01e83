import Config
import Foundation
import Ledger
import Notices
import Outbox
import PlanFiles
import Scheduling
import WorkCalendar

extension ReportInputs {
    /// When tracking started, as `tick` decides it (`TickRunner.trackingStart`),
    /// without recording anything: `track-from:`, else the ledger's kept
    /// start, else its first handled notice; nil before the first tick.
    static func trackingStart(_ config: DaemonConfig) -> LocalTime? {
        let from = config.notices.trackFrom.flatMap { CivilDate(iso: $0) }
        if let from { return LocalTime(date: from, minute: 0) }
        let file = (config.state as NSString).appendingPathComponent(Ledger.fileName)
        guard FileManager.default.fileExists(atPath: file), let ledger = try? Ledger.open(folder: config.state) else {
            return nil
        }
        let clock = LocalClock(identifier: config.timezone)
        return try? ledger.trackingStart(trackFrom: nil, now: nil, record: false) {
            clock.local(Date(timeIntervalSince1970: TimeInterval($0)))
        }
    }

    /// Which occurrences are history (shown 未跟踪 / not tracked), or nil
    /// without a configuration or before the first tick.
    func historyRule() -> (@Sendable (Occurrence) -> Bool)? {
        guard let config, let start = Self.trackingStart(config) else { return nil }
        let policy = NoticePolicy(config: config, calendar: calendar, trackingStart: start)
        return { policy.isHistory($0) }
    }
}
