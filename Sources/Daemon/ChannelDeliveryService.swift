import Channels
import Delivery
import Dispatch
import Foundation
import Journal
import Logging
import ServiceLifecycle
import Synchronization
import Vocabulary

/// Delivers the channels' outbox (企业微信, 钉钉) inside `plankeeper run`, next
/// to the mail's `DeliveryService`: a pass at start-up (which also recovers
/// what a killed process left in flight), a pass right after a tick wrote
/// to the outbox (`wake()`), a pass when the earliest held or deferred
/// message may go, and one an hour as a safety net.
///
/// A pass runs every channel's agent on a few threads of its own: each
/// channel keeps its own limits and back-off, and a channel whose service
/// hangs (each request is bounded by HTTPClient's timeouts) holds one
/// thread, never the others or the mail. On graceful shutdown no new
/// message is started; the pass is waited for at most five seconds, and a
/// request cut off then is found `sending` by the next start (see
/// ChannelDeliveryAgent: re-sent within the service's duplicate window,
/// else uncertain, never twice).
public final class ChannelDeliveryService: Service, Sendable {
    let agents: [ChannelDeliveryAgent]
    let logger: Logger
    let language: Language
    let workers: Int
    let idle: Duration
    private let stopping = Atomic<Bool>(false)
    private let doorbell = Doorbell()
    private let current = Mutex<PassWaiter?>(nil)

    public init(
        agents: [ChannelDeliveryAgent],
        logger: Logger,
        language: Language,
        workers: Int = 4,
        idle: Duration = .seconds(3600)
    ) {
        self.agents = agents
        self.logger = logger
        self.language = language
        self.workers = max(1, min(workers, agents.count))
        self.idle = idle
    }

    /// Asks for a pass now (a tick wrote to the outbox).
    public func wake() { doorbell.ring() }

    public func run() async throws {
        guard !agents.isEmpty else { return }
        let names =
            agents.prefix(5).map(\.name).joined(separator: Texts.listSeparator.text(in: language))
            + (agents.count > 5 ? "…" : "")
        logger.info(
            "\(Texts.channelDeliveryStarted(agents.count, names: names).text(in: language))",
            metadata: [JournalField.channels: .string(String(agents.count))]
        )
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                while !stopping.load(ordering: .relaxed) {
                    let next = await pass()
                    guard !stopping.load(ordering: .relaxed) else { break }
                    await doorbell.wait(for: delay(until: next))
                }
            } onCancel: {
                stop()
            }
        } onGracefulShutdown: {
            self.stop()
        }
    }

    private func stop() {
        stopping.store(true, ordering: .relaxed)
        doorbell.ring()
        if let waiter = current.withLock({ $0 }) {
            DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(5)) { waiter.resume(nil) }
        }
    }

    /// Until the earliest message may go, at most `idle`, at least a second.
    func delay(until next: Int64?) -> Duration {
        guard let next else { return idle }
        let seconds = max(1, next - Int64(Date().timeIntervalSince1970))
        return min(idle, .seconds(seconds))
    }

    /// One pass over every channel; the earliest time one has something to send.
    private func pass() async -> Int64? {
        await withCheckedContinuation { continuation in
            let waiter = PassWaiter(continuation)
            current.withLock { $0 = waiter }
            let next = Mutex<Int64?>(nil)
            let index = Atomic<Int>(0)
            // Only the channels with something queued or in flight (all of them when that cannot be read).
            let busy = try? agents.first?.ledger.outboxChannelsWithWork()
            let agents = busy.map { names in self.agents.filter { names.contains($0.name) } } ?? self.agents
            DispatchQueue.global().async { [self] in
                DispatchQueue.concurrentPerform(iterations: max(1, min(workers, agents.count))) { _ in
                    while !stopping.load(ordering: .relaxed) {
                        let i = index.wrappingAdd(1, ordering: .relaxed).oldValue
                        guard i < agents.count else { break }
                        let agent = agents[i]
                        do {
                            let report = try agent.run(
                                now: { Int64(Date().timeIntervalSince1970) },
                                shouldContinue: { !self.stopping.load(ordering: .relaxed) }
                            )
                            let soonest = report.busy ? Int64(Date().timeIntervalSince1970) + 10 : report.nextAttempt
                            if let soonest { next.withLock { $0 = min($0 ?? soonest, soonest) } }
                        } catch {
                            logger.error(
                                "\(Texts.channelDeliveryFailed(error).text(in: language))",
                                metadata: [JournalField.channel: .string(agent.name), JournalField.priority: "3"]
                            )
                            let retry = Int64(Date().timeIntervalSince1970) + 60
                            next.withLock { $0 = min($0 ?? retry, retry) }
                        }
                    }
                }
                current.withLock { $0 = nil }
                waiter.resume(next.withLock { $0 })
            }
        }
    }
}

/// The pass's continuation, resumed once: by the pass, or by a shutdown
/// that stops waiting for it.
final class PassWaiter: Sendable {
    private let continuation: Mutex<CheckedContinuation<Int64?, Never>?>

    init(_ continuation: CheckedContinuation<Int64?, Never>) {
        self.continuation = Mutex(continuation)
    }

    func resume(_ value: Int64?) {
        let c = continuation.withLock { c -> CheckedContinuation<Int64?, Never>? in
            let taken = c
            c = nil
            return taken
        }
        c?.resume(returning: value)
    }
}
