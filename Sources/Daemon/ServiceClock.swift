import Foundation

/// The time the services read and sleep by. `SystemClock` is the wall clock
/// and the quiet executor's timers; tests pass a clock they move by hand, so
/// the loop, the back-off and the shutdown are tested without waiting.
public protocol ServiceClock: Sendable {
    func now() -> Date
    /// Returns once `duration` has passed on this clock, or at once, without
    /// throwing, when the task is cancelled.
    func sleep(for duration: Duration) async
}

/// The wall clock, and `QuietSleep` (which wakes no libdispatch thread).
public struct SystemClock: ServiceClock {
    public init() {}
    public func now() -> Date { Date() }
    public func sleep(for duration: Duration) async { await QuietSleep.sleep(for: duration) }
}
