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
        if let from = config.notices.trackFrom, let day = CivilDate(iso: from) { return LocalTime(date: day, minute: 0) }
        let file = (config.state as NSString).appendingPathComponent(Ledger.fileName)
        guard FileManager.default.fileExists(atPath: file), let ledger = try? Ledger.open(folder: config.state) else { return nil }
        if let kept = try? ledger.value(forKey: Ledger.trackingStartKey), let start = LocalTime(parsing: kept) { return start }
        guard let first = try? ledger.firstHandledAt() else { return nil }
        return LocalClock(identifier: config.timezone).local(Date(timeIntervalSince1970: TimeInterval(first)))
    }

    /// Which occurrences are history (shown 未跟踪 / not tracked), or nil
    /// without a configuration or before the first tick.
    func historyRule() -> (@Sendable (Occurrence) -> Bool)? {
        guard let config, let start = Self.trackingStart(config) else { return nil }
        let policy = NoticePolicy(config: config, calendar: calendar, trackingStart: start)
        return { policy.isHistory($0) }
    }
}
