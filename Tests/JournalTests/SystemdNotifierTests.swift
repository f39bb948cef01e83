import Testing

@testable import Journal

/// What the notifier says to systemd, and that it says nothing outside it.
@Suite struct SystemdNotifierTests {
    func notifier(enabled: Bool, watchdog: UInt64? = nil) -> (SystemdNotifier, Recorder<String>) {
        let sent = Recorder<String>()
        let notifier = SystemdNotifier(
            isEnabled: enabled,
            send: { state in
                sent.append(state)
                return 1
            },
            watchdogMicroseconds: { watchdog }
        )
        return (notifier, sent)
    }

    @Test func sendsTheDocumentedStates() throws {
        let (notifier, sent) = notifier(enabled: true)
        #expect(notifier.isEnabled)
        #expect(notifier.ready())
        #expect(notifier.status("已加载 12 个计划"))
        #expect(notifier.reloading())
        #expect(notifier.stopping())
        #expect(notifier.watchdog())
        let states = sent.all
        #expect(states.count == 5)
        #expect(states[0] == "READY=1")
        #expect(states[1] == "STATUS=已加载 12 个计划")
        #expect(states[3] == "STOPPING=1")
        #expect(states[4] == "WATCHDOG=1")
        let reload = states[2].split(separator: "\n")
        #expect(reload.count == 2)
        #expect(reload.first == "RELOADING=1")
        let monotonic = try #require(reload.last?.split(separator: "=", maxSplits: 1))
        #expect(monotonic.first == "MONOTONIC_USEC")
        #expect(try #require(UInt64(monotonic.last ?? "")) > 0)
    }

    /// A newline would start a new assignment: a status must not be able to
    /// say READY=1.
    @Test func statusCannotInjectAssignments() {
        let (notifier, sent) = notifier(enabled: true)
        notifier.status("loaded\nREADY=1\r\nWATCHDOG=1")
        #expect(sent.all == ["STATUS=loaded READY=1 WATCHDOG=1"])
    }

    @Test func everythingIsANoOpOutsideSystemd() {
        let (notifier, sent) = notifier(enabled: false, watchdog: 10_000_000)
        #expect(!notifier.isEnabled)
        #expect(!notifier.ready())
        #expect(!notifier.status("x"))
        #expect(!notifier.reloading())
        #expect(!notifier.stopping())
        #expect(!notifier.watchdog())
        #expect(notifier.watchdogInterval() == nil)
        #expect(sent.all.isEmpty)
    }

    @Test func watchdogIntervalIsHalfOfWatchdogSec() {
        #expect(notifier(enabled: true, watchdog: 4_000_000).0.watchdogInterval() == .seconds(2))
        #expect(notifier(enabled: true, watchdog: 3).0.watchdogInterval() == .microseconds(1))
        #expect(notifier(enabled: true, watchdog: nil).0.watchdogInterval() == nil)
        #expect(notifier(enabled: true, watchdog: 0).0.watchdogInterval() == nil)
    }

    @Test func aFailedSendIsReported() {
        let notifier = SystemdNotifier(isEnabled: true, send: { _ in -13 }, watchdogMicroseconds: { nil })
        #expect(!notifier.ready())
    }
}
