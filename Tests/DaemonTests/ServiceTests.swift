import Config
import Daemon
import Delivery
import Foundation
import Journal
import Ledger
import Logging
import PlankeeperTestSupport
import ServiceLifecycle
import ServiceLifecycleTestKit
import Spool
import Synchronization
import Testing
import Vocabulary

// The two services of `plankeeper run`, in-process, on a clock moved by hand
// (`ManualClock`) and with wake-ups sent by hand (`ManualWakeups`), as
// swift-service-lifecycle's `testGracefulShutdown` and Hummingbird's
// `MockClock` test theirs: no test sleeps, each waits for the service to
// reach its next wait. Only the root-only e2e stage runs them for real.

extension ManualClock: ServiceClock {}

/// Wake-ups a test sends, and every instant the daemon arms its alarm for.
final class ManualWakeups: WakeupSource, WakeupAlarm, @unchecked Sendable {
    let armed: AsyncStream<Date>
    private let armedContinuation: AsyncStream<Date>.Continuation
    private let handler = Mutex<(@Sendable (WakeEvent) -> Void)?>(nil)
    let stopped = Mutex(false)

    init() { (armed, armedContinuation) = AsyncStream.makeStream(of: Date.self) }

    func start(
        watching folder: String,
        logger: Logger,
        onEvent: @escaping @Sendable (WakeEvent) -> Void
    ) throws -> any WakeupAlarm {
        handler.withLock { $0 = onEvent }
        return self
    }

    func arm(_ instant: Date) { armedContinuation.yield(instant) }
    func stop() { stopped.withLock { $0 = true } }
    func send(_ event: WakeEvent) { handler.withLock { $0 }?(event) }
}

/// What the daemon tells systemd.
final class NotifierLog: Sendable {
    let sent = Mutex<[String]>([])
    var notifier: SystemdNotifier {
        SystemdNotifier(
            isEnabled: true,
            send: { [self] text in
                sent.withLock { $0.append(text) }
                return 1
            },
            watchdogMicroseconds: { nil }
        )
    }
    var messages: [String] { sent.withLock { $0 } }
}

private let silent = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

private func instant(_ iso: String) throws -> Date {
    try #require(ISO8601DateFormatter().date(from: iso))
}

@Suite struct DaemonServiceTests {
    /// A one-off item due Wednesday 2026-03-25 with a reminder three working
    /// days before (Friday 03-20), to one secretary.
    func setUp(language: Language = .en) throws -> (Scratch, DaemonConfig) {
        let dir = try Scratch("plankeeper-service")
        try dir.write(
            "plans/a.yaml",
            """
            id: a-2026
            owner: 外科第二党支部
            year: 2026
            contacts:
              secretary: 王五 <wangwu@hospital.example>
            items:
              - id: review
                title: 述职评议
                date: 2026-03-25
                remind: [3wd]
                notify: [secretary]

            """
        )
        var config = DaemonConfig()
        config.plans = dir.file("plans")
        config.holidays = nil
        config.state = dir.file("state")
        config.spool = dir.file("spool")
        config.language = language
        config.mail.transport = .none
        // No daily overdue digest: the alarm follows the notices alone.
        config.overdueDigest = .off
        return (dir, config)
    }

    func service(
        _ config: DaemonConfig,
        clock: ManualClock,
        wakeups: ManualWakeups,
        notifier: NotifierLog
    ) throws
        -> (DaemonService, Spool)
    {
        let spool = try Spool(directory: config.spool)
        let service = DaemonService(
            config: config,
            ledger: try Ledger.open(folder: config.state),
            spool: spool,
            logger: silent,
            notifier: notifier.notifier,
            clock: clock,
            wakeups: wakeups
        )
        return (service, spool)
    }

    /// Start: tick, READY=1, the alarm armed for the next notice. The alarm:
    /// the notice goes out and the alarm moves on. Graceful shutdown: the
    /// loop ends, STOPPING=1, the wake-ups are stopped.
    @Test(.timeLimit(.minutes(1))) func ticksAtEachAlarmAndStopsGracefully() async throws {
        let (dir, config) = try setUp()
        let clock = ManualClock(now: try instant("2026-03-10T09:00:00+08:00"))
        let wakeups = ManualWakeups()
        let notifier = NotifierLog()
        let (service, spool) = try service(config, clock: clock, wakeups: wakeups, notifier: notifier)

        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await service.run() }
                var armed = wakeups.armed.makeAsyncIterator()

                // Nothing due on 03-10; the reminder is due 03-20 08:30 (+08:00).
                #expect(await armed.next() == (try instant("2026-03-20T08:30:00+08:00")))
                #expect(try spool.list(.new).isEmpty)
                #expect(notifier.messages.contains("READY=1"))
                #expect(notifier.messages.contains("STATUS=1 plans; next notice 2026-03-20 08:30"))

                clock.advance(to: try instant("2026-03-20T08:30:00+08:00"))
                wakeups.send(.alarm)
                // The reminder is spooled; next, the due notice on 03-25.
                #expect(await armed.next() == (try instant("2026-03-25T08:30:00+08:00")))
                #expect(try spool.list(.new).map { $0.hasPrefix("a-2026_review_2026_reminder_3wd_") } == [true])

                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        #expect(notifier.messages.last == "STOPPING=1")
        #expect(wakeups.stopped.withLock { $0 })
        withExtendedLifetime(dir) {}
    }

    /// A tick that fails is retried after 5 s, 10 s, 20 s, 40 s, then every
    /// minute, and once it succeeds the alarm goes back to the next notice.
    @Test(.timeLimit(.minutes(1))) func aFailingTickIsRetriedWithBackOff() async throws {
        let (dir, config) = try setUp()
        let start = try instant("2026-03-20T09:00:00+08:00")
        let clock = ManualClock(now: start)
        let wakeups = ManualWakeups()
        let notifier = NotifierLog()
        let (service, spool) = try service(config, clock: clock, wakeups: wakeups, notifier: notifier)
        // The spool's new/ is a file: writing the due reminder fails.
        let new = spool.directory + "/new"
        try FileManager.default.removeItem(atPath: new)
        try Data().write(to: URL(fileURLWithPath: new))

        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await service.run() }
                var armed = wakeups.armed.makeAsyncIterator()
                var delays: [TimeInterval] = []
                for _ in 0..<6 {
                    let at = try #require(await armed.next())
                    delays.append(at.timeIntervalSince(clock.now()))
                    clock.advance(to: at)
                    wakeups.send(.alarm)
                }
                #expect(delays == [5, 10, 20, 40, 60, 60])
                #expect(notifier.messages.contains("STATUS=1 plans; next notice the last run failed, retrying in 60 s"))

                // The disk is fixed: the reminder goes out, the alarm returns to the notices.
                try FileManager.default.removeItem(atPath: new)
                try FileManager.default.createDirectory(atPath: new, withIntermediateDirectories: false)
                let recovered = try #require(await armed.next())
                #expect(recovered == (try instant("2026-03-25T08:30:00+08:00")))
                #expect(try spool.list(.new).count == 1)

                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        withExtendedLifetime(dir) {}
    }

    /// SIGHUP or a plan edit: RELOADING=1, the plans read again, READY=1, and
    /// the alarm follows the edited deadline.
    @Test(.timeLimit(.minutes(1))) func aReloadFollowsAnEditedDeadline() async throws {
        let (dir, config) = try setUp()
        let clock = ManualClock(now: try instant("2026-03-10T09:00:00+08:00"))
        let wakeups = ManualWakeups()
        let notifier = NotifierLog()
        let (service, _) = try service(config, clock: clock, wakeups: wakeups, notifier: notifier)

        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await service.run() }
                var armed = wakeups.armed.makeAsyncIterator()
                #expect(await armed.next() == (try instant("2026-03-20T08:30:00+08:00")))

                let plan = try #require(dir.read("plans/a.yaml"))
                try dir.write("plans/a.yaml", plan.replacingOccurrences(of: "2026-03-25", with: "2026-03-31"))
                wakeups.send(.reload)
                // 2026-03-31 is a Tuesday: three working days before it is Thursday 03-26.
                #expect(await armed.next() == (try instant("2026-03-26T08:30:00+08:00")))
                let messages = notifier.messages
                let reloading = try #require(messages.firstIndex { $0.hasPrefix("RELOADING=1") })
                #expect(messages[reloading...].contains("READY=1"))

                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
    }
}

/// A transport that answers from a script, records what it was given, and
/// can hold a message until the test lets it go.
final class ScriptedTransport: MailTransport, @unchecked Sendable {
    let name = "scripted"
    private let state = Mutex<(answers: [TransportResult], sent: [OutgoingMail])>(([], []))
    let fallback: TransportResult
    /// Each send as it starts.
    let started: AsyncStream<Int>
    private let startedContinuation: AsyncStream<Int>.Continuation
    private let gate: DispatchSemaphore?

    init(
        _ answers: [TransportResult] = [],
        otherwise fallback: TransportResult = .accepted(answer: "250 ok"),
        holding: Bool = false
    ) {
        self.fallback = fallback
        gate = holding ? DispatchSemaphore(value: 0) : nil
        (started, startedContinuation) = AsyncStream.makeStream(of: Int.self)
        state.withLock { $0.answers = answers }
    }

    func send(_ mail: OutgoingMail) -> TransportResult {
        let count = state.withLock { s in
            s.sent.append(mail)
            return s.sent.count
        }
        startedContinuation.yield(count)
        gate?.wait()
        return state.withLock { s in s.answers.isEmpty ? fallback : s.answers.removeFirst() }
    }

    /// Lets a held message go.
    func release() { gate?.signal() }

    var sent: [OutgoingMail] { state.withLock { $0.sent } }
}

@Suite struct DeliveryServiceTests {
    func message(_ n: Int) -> [UInt8] {
        Array(
            """
            From: plankeeper <plankeeper@hospital.example>\r
            To: wangwu@hospital.example\r
            Subject: test \(n)\r
            Message-ID: <\(n)@test>\r
            \r
            body\r

            """.utf8
        )
    }

    func setUp(
        _ transport: ScriptedTransport,
        clock: ManualClock,
        interval: Duration = .seconds(60)
    )
        throws -> (Scratch, Spool, DeliveryService)
    {
        let dir = try Scratch("plankeeper-delivery-service")
        let spool = try Spool(directory: dir.file("spool"))
        let agent = DeliveryAgent(
            spool: spool,
            transport: transport,
            retry: RetryPolicy(),
            logger: silent,
            language: .en
        )
        let service = DeliveryService(
            agent: agent,
            logger: silent,
            interval: interval,
            clock: clock,
            watchesSpool: false
        )
        return (dir, spool, service)
    }

    /// A pass at start; then it waits `interval` (no inotify here), and
    /// `wake()` (what a tick's spooling rings) starts a pass at once.
    @Test(.timeLimit(.minutes(1))) func deliversAtStartAndWhenWoken() async throws {
        let transport = ScriptedTransport()
        let clock = ManualClock(now: try instant("2026-03-20T09:00:00+08:00"))
        let (dir, spool, service) = try setUp(transport, clock: clock)
        #expect(try spool.spool(name: "one", bytes: message(1)) == .written)

        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await service.run() }
                var sleeps = clock.sleeps.makeAsyncIterator()
                #expect(await sleeps.next() == .seconds(60))
                #expect(transport.sent.map(\.recipients) == [["wangwu@hospital.example"]])
                #expect(try spool.list(.cur) == ["one"])

                #expect(try spool.spool(name: "two", bytes: message(2)) == .written)
                service.wake()
                #expect(await sleeps.next() == .seconds(60))
                #expect(transport.sent.count == 2)
                #expect(try spool.list(.cur) == ["one", "two"])

                // The safety net: a message dropped in without a wake-up goes out when the interval passes.
                #expect(try spool.spool(name: "three", bytes: message(3)) == .written)
                clock.advance(by: .seconds(60))
                #expect(await sleeps.next() == .seconds(60))
                #expect(transport.sent.count == 3)

                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        withExtendedLifetime(dir) {}
    }

    /// A temporary failure: the service sleeps until the message's next
    /// attempt (30 s, then 60 s, …, as `RetryPolicy` says), not a fixed interval.
    @Test(.timeLimit(.minutes(1))) func sleepsUntilTheNextRetry() async throws {
        let refused = TransportResult.temporary(Message(zh: "暂时拒收", en: "try later"), systemDown: false)
        let transport = ScriptedTransport([refused, refused], otherwise: .accepted(answer: "250 ok"))
        let clock = ManualClock(now: try instant("2026-03-20T09:00:00+08:00"))
        let (dir, spool, service) = try setUp(transport, clock: clock, interval: .seconds(3600))
        #expect(try spool.spool(name: "one", bytes: message(1)) == .written)
        let policy = RetryPolicy()

        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await service.run() }
                var sleeps = clock.sleeps.makeAsyncIterator()
                #expect(await sleeps.next() == .seconds(policy.delay(afterAttempt: 1)))
                #expect(transport.sent.count == 1)
                clock.advance(by: .seconds(policy.delay(afterAttempt: 1)))
                #expect(await sleeps.next() == .seconds(policy.delay(afterAttempt: 2)))
                #expect(transport.sent.count == 2)
                clock.advance(by: .seconds(policy.delay(afterAttempt: 2)))
                // Delivered at the third attempt: back to the idle interval.
                #expect(await sleeps.next() == .seconds(3600))
                #expect(transport.sent.count == 3)
                #expect(try spool.list(.cur) == ["one"])

                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        withExtendedLifetime(dir) {}
    }

    /// Graceful shutdown during a pass: the message being handed over is
    /// finished, the next one is not started, and `run` returns.
    @Test(.timeLimit(.minutes(1))) func shutdownFinishesTheCurrentMessageOnly() async throws {
        let transport = ScriptedTransport(holding: true)
        let clock = ManualClock(now: try instant("2026-03-20T09:00:00+08:00"))
        let (dir, spool, service) = try setUp(transport, clock: clock)
        #expect(try spool.spool(name: "one", bytes: message(1)) == .written)
        #expect(try spool.spool(name: "two", bytes: message(2)) == .written)

        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await service.run() }
                var started = transport.started.makeAsyncIterator()
                #expect(await started.next() == 1)
                trigger.triggerGracefulShutdown()
                transport.release()
                try await group.waitForAll()
            }
        }
        #expect(transport.sent.count == 1)
        #expect(try spool.list(.cur).count == 1)
        #expect(try spool.list(.new).count == 1)
        withExtendedLifetime(dir) {}
    }
}
