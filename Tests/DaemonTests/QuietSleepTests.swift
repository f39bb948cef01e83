import CQuietExecutor
@testable import Daemon
import Testing

/// The daemon's sleep without libdispatch (Sources/CQuietExecutor): it must
/// wake at its deadline, not before, and end at once when cancelled.
@Suite struct QuietSleepTests {
    @Test func sleepsAtLeastTheDuration() async {
        let start = pk_quiet_now_ns()
        await QuietSleep.sleep(for: .milliseconds(30))
        #expect(pk_quiet_now_ns() - start >= 30_000_000)
    }

    @Test(.timeLimit(.minutes(1))) func cancellingEndsAnHourLongSleepAtOnce() async {
        let sleeper = Task { await QuietSleep.sleep(for: .seconds(3600)) }
        sleeper.cancel()
        await sleeper.value  // would hang for an hour if cancellation were lost
        // A sleep cancelled before it was armed ends too.
        let early = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            await QuietSleep.sleep(for: .seconds(3600))
        }
        await early.value
    }

    @Test func concurrentSleepsEachWaitTheirOwnDuration() async {
        let start = pk_quiet_now_ns()
        let woke = await withTaskGroup(of: (Int, UInt64).self) { group in
            for ms in [60, 20, 40, 20] {
                group.addTask {
                    await QuietSleep.sleep(for: .milliseconds(ms))
                    return (ms, pk_quiet_now_ns() - start)
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(woke.count == 4)
        for (ms, elapsed) in woke { #expect(elapsed >= UInt64(ms) * 1_000_000, "\(ms) ms woke after \(elapsed) ns") }
    }
}
