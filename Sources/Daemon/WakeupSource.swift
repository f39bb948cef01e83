import Foundation
import Journal
import Logging
import UnixSignals

/// Where the daemon's wake-ups come from: the wall-clock alarm it arms for
/// the next notice, and the events that wake it early (a plan edit, SIGHUP,
/// the clock being set). `SystemWakeups` is the real one (timerfd, inotify,
/// signals); tests pass their own, to run `DaemonService` against a clock
/// they move by hand.
public protocol WakeupSource: Sendable {
    /// Starts watching `folder` (the plans) and the system; every event goes
    /// to `onEvent` until the returned alarm is stopped.
    func start(
        watching folder: String,
        logger: Logger,
        onEvent: @escaping @Sendable (WakeEvent) -> Void
    ) throws -> any WakeupAlarm
}

/// The armed side of a `WakeupSource`.
public protocol WakeupAlarm: Sendable {
    /// Arms the alarm for an absolute wall-clock instant, replacing the last.
    func arm(_ instant: Date)
    /// Stops every event source.
    func stop()
}

/// The system's wake-ups: a `CLOCK_REALTIME` timerfd that also fires when the
/// clock is set, inotify on the plans folder, and SIGHUP.
public struct SystemWakeups: WakeupSource {
    public init() {}

    public func start(
        watching folder: String,
        logger: Logger,
        onEvent: @escaping @Sendable (WakeEvent) -> Void
    ) throws -> any WakeupAlarm {
        let alarm = try WallClockAlarm(onEvent: onEvent)
        let watcher = try? FolderWatcher(folder: folder) { onEvent(.plansChanged) }
        if watcher == nil {
            logger.warning(
                "cannot watch \(folder) for changes; reload with SIGHUP",
                metadata: [JournalField.priority: "4"]
            )
        }
        let signals = Task {
            for await _ in await UnixSignalsSequence(trapping: .sighup) { onEvent(.reload) }
        }
        return Armed(alarm: alarm, watcher: watcher, signals: signals)
    }

    final class Armed: WakeupAlarm, @unchecked Sendable {
        let alarm: WallClockAlarm
        /// Kept alive while armed: inotify stops with it.
        let watcher: FolderWatcher?
        let signals: Task<Void, Never>

        init(alarm: WallClockAlarm, watcher: FolderWatcher?, signals: Task<Void, Never>) {
            self.alarm = alarm
            self.watcher = watcher
            self.signals = signals
        }

        func arm(_ instant: Date) { alarm.set(instant) }

        func stop() { signals.cancel() }
    }
}
