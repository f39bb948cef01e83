import Config
import Delivery
import Dispatch
import Foundation
import Journal
import Logging
import ServiceLifecycle
import Spool
import Synchronization
import Vocabulary

/// Delivers the spool inside `plankeeper run`: a pass at start-up (which
/// also recovers what a killed process left), a pass within a moment of
/// `tick` writing to `new/` (inotify on the folder, so no polling), a pass
/// when the earliest deferred message is due, and one every minute as a
/// safety net (a message dropped in by hand on a file system without
/// inotify, a missed event).
///
/// Passes run on a thread of their own: sendmail and SMTP block, and must
/// not hold one of the few threads of the concurrency pool the rest of the
/// daemon runs on. On graceful shutdown the current message is finished
/// and no new one is started.
public final class DeliveryService: Service, Sendable {
    let agent: DeliveryAgent
    let logger: Logger
    let language: Language
    let interval: Duration
    /// The time passes are stamped with and sleeps are measured in (a hand-moved one in tests).
    let clock: any ServiceClock
    /// Whether to watch `new/` with inotify (tests turn it off to drive wake-ups by hand).
    let watchesSpool: Bool
    private let queue = DispatchQueue(label: "plankeeper.delivery")
    private let stopping = Atomic<Bool>(false)
    private let doorbell = Doorbell()
    private let current = Mutex<ResumeOnce?>(nil)

    public init(
        agent: DeliveryAgent,
        logger: Logger,
        interval: Duration = .seconds(60),
        clock: any ServiceClock = SystemClock(),
        watchesSpool: Bool = true
    ) {
        self.agent = agent
        self.logger = logger
        self.language = agent.language
        self.interval = interval
        self.clock = clock
        self.watchesSpool = watchesSpool
    }

    /// Asks for a pass now (after a tick spooled something).
    public func wake() { doorbell.ring() }

    public func run() async throws {
        let newFolder = agent.spool.directory + "/new"
        let watcher =
            watchesSpool
            ? try? FolderWatcher(folder: newFolder, debounce: .milliseconds(100)) { [doorbell] in doorbell.ring() }
            : nil
        if watchesSpool && watcher == nil {
            logger.warning(
                "\(Texts.cannotWatchSpool(newFolder).text(in: language))",
                metadata: [JournalField.priority: "4"]
            )
        }
        if agent.transport is SendmailTransport, DeliverySetup.noNewPrivileges() {
            logger.warning("\(Texts.noNewPrivileges.text(in: language))", metadata: [JournalField.priority: "4"])
        }
        logger.info(
            "\(Texts.deliveryStarted(agent.transport.name).text(in: language))",
            metadata: [JournalField.transport: .string(agent.transport.name)]
        )

        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                // With inotify on new/ an idle spool needs no polling: the
                // hourly pass is only a safety net, so the daemon sleeps
                // between notices. Without it, poll every `interval`.
                let idle = watcher == nil ? interval : .seconds(3600)
                while !stopping.load(ordering: .relaxed) {
                    let report = await pass()
                    guard !stopping.load(ordering: .relaxed) else { break }
                    await doorbell.wait(for: delay(after: report, idle: idle), on: clock)
                }
            } onCancel: {
                stop()
            }
        } onGracefulShutdown: {
            self.stop()
        }
        withExtendedLifetime(watcher) {}
    }

    private func stop() {
        stopping.store(true, ordering: .relaxed)
        doorbell.ring()
        // A pass stuck in a hung sendmail or SMTP exchange must not hold the
        // shutdown past systemd's TimeoutStopSec=: give it a few seconds to
        // finish its message, then stop waiting. What it had claimed stays
        // in queue/ and the next start recovers it (see DeliveryAgent).
        if let inFlight = current.withLock({ $0 }) {
            let text = Texts.stillBusyAtStop.text(in: language)
            DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(5)) { [logger] in
                guard let waiting = inFlight.take() else { return }
                // Logged before resuming: once resumed, the process may exit.
                logger.warning("\(text)", metadata: [JournalField.priority: "4"])
                waiting.resume(returning: nil)
            }
        }
    }

    /// How long to sleep after a pass: until the next retry is due, at most
    /// `idle`; ten seconds when another runner held the queue.
    func delay(after report: DeliveryReport?, idle: Duration? = nil) -> Duration {
        let idle = idle ?? interval
        guard let report else { return min(idle, interval) }
        if report.busy { return min(idle, .seconds(10)) }
        guard let next = report.nextAttempt else { return idle }
        let seconds = max(1, next - Int64(clock.now().timeIntervalSince1970))
        return min(idle, .seconds(seconds))
    }

    private func pass() async -> DeliveryReport? {
        await withCheckedContinuation { continuation in
            let once = ResumeOnce(continuation)
            current.withLock { $0 = once }
            queue.async { [self] in
                do {
                    let report = try agent.run(
                        now: { [clock] in Int64(clock.now().timeIntervalSince1970) },
                        shouldContinue: { !self.stopping.load(ordering: .relaxed) }
                    )
                    once.resume(report)
                } catch {
                    logger.error(
                        "\(Texts.deliveryFailed(error).text(in: language))",
                        metadata: [JournalField.priority: "3"]
                    )
                    once.resume(nil)
                }
                current.withLock { $0 = nil }
            }
        }
    }
}

/// A continuation resumed by whichever comes first: the pass finishing, or
/// the shutdown giving up on it.
final class ResumeOnce: Sendable {
    private let continuation: Mutex<CheckedContinuation<DeliveryReport?, Never>?>

    init(_ continuation: CheckedContinuation<DeliveryReport?, Never>) {
        self.continuation = Mutex(continuation)
    }

    func resume(_ report: DeliveryReport?) {
        take()?.resume(returning: report)
    }

    /// The continuation, if nobody resumed it yet; nil afterwards.
    func take() -> CheckedContinuation<DeliveryReport?, Never>? {
        continuation.withLock { c in
            let taken = c
            c = nil
            return taken
        }
    }
}

/// Wakes a sleeping loop early: `ring()` ends the current or the next
/// `wait(for:)`. A ring while nobody waits is remembered once, so a tick
/// that spools during a pass is not missed.
final class Doorbell: Sendable {
    private let state = Mutex<(rung: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

    func ring() {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            guard let w = s.waiter else {
                s.rung = true
                return nil
            }
            s.waiter = nil
            return w
        }
        waiter?.resume()
    }

    func wait(for duration: Duration, on clock: any ServiceClock = SystemClock()) async {
        let timer = Task { [weak self] in
            await clock.sleep(for: duration)
            if !Task.isCancelled { self?.ring() }
        }
        defer { timer.cancel() }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s -> Bool in
                if s.rung {
                    s.rung = false
                    return true
                }
                s.waiter = continuation
                return false
            }
            if now { continuation.resume() }
        }
    }
}
