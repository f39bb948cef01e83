import CSystemd

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Tells systemd about the daemon's life cycle with `sd_notify`, for a unit
/// with `Type=notify` (and `WatchdogSec=`): systemd then knows when plankeeper
/// is really ready (plans parsed, ledger open), shows `status(_:)` in
/// `systemctl status`, and restarts it when watchdog pings stop.
///
/// Every call is a no-op when `$NOTIFY_SOCKET` is unset, that is, when not
/// started by systemd (a shell, a test), so callers never need to check.
/// The environment is kept (`unset_environment` = 0) so later calls still
/// reach systemd.
public struct SystemdNotifier: Sendable {
    /// Whether systemd asked for notifications (`$NOTIFY_SOCKET` is set).
    public let isEnabled: Bool

    private let send: @Sendable (String) -> Int32
    private let watchdogMicroseconds: @Sendable () -> UInt64?

    /// A notifier for this process, enabled when `$NOTIFY_SOCKET` is set.
    public init() {
        let socket = getenv("NOTIFY_SOCKET").map { String(cString: $0) } ?? ""
        self.init(isEnabled: !socket.isEmpty, send: Self.notify, watchdogMicroseconds: Self.watchdogEnabled)
    }

    /// A notifier with its effects replaced: tests record what it would send.
    public init(
        isEnabled: Bool,
        send: @escaping @Sendable (String) -> Int32,
        watchdogMicroseconds: @escaping @Sendable () -> UInt64?
    ) {
        self.isEnabled = isEnabled
        self.send = send
        self.watchdogMicroseconds = watchdogMicroseconds
    }

    /// Start-up is complete: systemd marks the unit active and `systemctl
    /// start` returns. Send it after plans and the ledger are loaded, and
    /// again after a reload has finished.
    @discardableResult public func ready() -> Bool {
        notify("READY=1")
    }

    /// A one-line status shown by `systemctl status`. Newlines would start new
    /// `NAME=value` assignments (a status could then claim `READY=1`), so they
    /// are replaced by spaces.
    @discardableResult public func status(_ text: String) -> Bool {
        let oneLine = String(text.map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 })
        return notify("STATUS=" + oneLine)
    }

    /// A reload (SIGHUP) has begun; send ``ready()`` when it is done.
    /// `MONOTONIC_USEC` is required by `Type=notify-reload` (systemd 253+)
    /// and ignored by older ones, so the same call works on Debian 12's 252.
    @discardableResult public func reloading() -> Bool {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let microseconds = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
        return notify("RELOADING=1\nMONOTONIC_USEC=\(microseconds)")
    }

    /// Shutdown has begun, so systemd does not take a slow exit for a hang.
    @discardableResult public func stopping() -> Bool {
        notify("STOPPING=1")
    }

    /// One watchdog ping; send one every ``watchdogInterval()``.
    @discardableResult public func watchdog() -> Bool {
        notify("WATCHDOG=1")
    }

    /// How often to ping the watchdog: half of `WatchdogSec=`, as sd_notify(3)
    /// recommends, so a late ping still arrives in time. Nil when systemd
    /// runs no watchdog for this process (or we are not under systemd).
    public func watchdogInterval() -> Duration? {
        guard isEnabled, let microseconds = watchdogMicroseconds(), microseconds > 0 else { return nil }
        return .microseconds(Int64(clamping: microseconds / 2))
    }

    /// Sends when enabled; true when systemd was told.
    private func notify(_ state: String) -> Bool {
        guard isEnabled else { return false }
        return send(state) > 0
    }

    @Sendable private static func notify(_ state: String) -> Int32 {
        sd_notify(0, state)
    }

    /// `sd_watchdog_enabled`, which also checks `$WATCHDOG_PID` is us.
    @Sendable private static func watchdogEnabled() -> UInt64? {
        var microseconds: UInt64 = 0
        return sd_watchdog_enabled(0, &microseconds) > 0 ? microseconds : nil
    }
}
