import Foundation
import Synchronization

/// A clock a test moves by hand, as Hummingbird's `MockClock` does: `sleep`
/// returns when `advance` passes its deadline (or at once when its task is
/// cancelled), never because real time went by. Each sleep as it starts is
/// also published on `sleeps`, so a test can wait until a service has
/// reached its wait and see for how long it means to wait, without sleeping
/// itself.
public final class ManualClock: Sendable {
    private struct Sleeper {
        var id: Int
        var deadline: Date
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var now: Date
        var sleepers: [Sleeper] = []
        var nextID = 0
        var cancelled: Set<Int> = []
    }

    private let state: Mutex<State>
    /// The duration of each sleep that starts waiting, in order (a sleep
    /// cancelled before it began, or already due, is not listed).
    public let sleeps: AsyncStream<Duration>
    private let sleepStarted: AsyncStream<Duration>.Continuation

    public init(now: Date) {
        state = Mutex(State(now: now))
        (sleeps, sleepStarted) = AsyncStream.makeStream(of: Duration.self)
    }

    public func now() -> Date { state.withLock { $0.now } }

    public func sleep(for duration: Duration) async {
        let (seconds, attoseconds) = duration.components
        let id = state.withLock { s in
            s.nextID += 1
            return s.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    let deadline = s.now.addingTimeInterval(Double(seconds) + Double(attoseconds) / 1e18)
                    if s.cancelled.remove(id) != nil || deadline <= s.now { return true }
                    s.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return false
                }
                if resumeNow {
                    continuation.resume()
                } else {
                    sleepStarted.yield(duration)
                }
            }
        } onCancel: {
            let sleeper = state.withLock { s -> Sleeper? in
                guard let index = s.sleepers.firstIndex(where: { $0.id == id }) else {
                    s.cancelled.insert(id)
                    return nil
                }
                return s.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume()
        }
    }

    /// Moves the clock forward, waking every sleep whose deadline is passed.
    public func advance(by duration: Duration) {
        let (seconds, attoseconds) = duration.components
        advance(to: now().addingTimeInterval(Double(seconds) + Double(attoseconds) / 1e18))
    }

    /// Sets the clock (never backwards), waking every sleep whose deadline is passed.
    public func advance(to instant: Date) {
        let due = state.withLock { s -> [Sleeper] in
            s.now = max(s.now, instant)
            let now = s.now
            let due = s.sleepers.filter { $0.deadline <= now }
            s.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }
}
