import Config
import Daemon
import Diagnostics
import Foundation
import Hummingbird
import Journal
import Ledger
import Logging
import NIOCore
import Secrets
import ServiceLifecycle
import Spool
import Tokens
import UnixSignals
import Vocabulary

/// `plankeeper serve`: opens what the desk needs, listens (on systemd's
/// socket when started by `plankeeper-web.socket`, else on `web.listen`),
/// reloads the plans when a file changes or on SIGHUP, and stops gracefully
/// on SIGTERM/SIGINT.
public enum DeskRunner {
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    public static func run(
        config: DaemonConfig,
        logger: Logger,
        clockOffset: TimeInterval = 0,
        evidence makeEvidence: (DaemonConfig) throws -> any EvidenceFiles
    ) async throws {
        let ledger: Ledger
        do {
            ledger = try Ledger.open(
                folder: config.state,
                waitingAtMost: .milliseconds(config.web.limits.ledgerWaitMilliseconds)
            )
        } catch {
            throw StartError(description: "\(error)")
        }
        let spool: Spool
        do { spool = try Spool(directory: config.spool) } catch { throw StartError(description: "\(error)") }
        let signer: TokenSigner
        do {
            signer = TokenSigner(keyring: try TokenKeyFile(stateDirectory: config.state).loadOrCreate())
        } catch {
            throw StartError(description: "\(error)")
        }
        let evidence = try makeEvidence(config)
        let plans = DeskPlans(config: config)
        log(plans.reload(), logger: logger, language: config.language)
        let offset = clockOffset
        let desk = try Desk(
            settings: Desk.Settings(config: config),
            ledger: ledger,
            spool: spool,
            plans: plans,
            links: SignedDeskTokens(signer: signer),
            evidence: evidence,
            logger: logger,
            now: { Date(timeIntervalSinceNow: offset) }
        )
        if config.web.url == nil {
            logger.warning(
                "web desk: web.url is not set: pages work, but no sign-in link can be mailed",
                metadata: [JournalField.priority: "4"]
            )
        }

        let listen: DeskListen
        let inherited = SystemdSockets.descriptors(environment: ProcessInfo.processInfo.environment, pid: getpid())
        if let first = inherited.first {
            listen = .inherited(first)
            // Ours now: a child process must not think it was passed them.
            unsetenv("LISTEN_PID")
            unsetenv("LISTEN_FDS")
            unsetenv("LISTEN_FDNAMES")
            _ = fcntl(first, F_SETFD, FD_CLOEXEC)
        } else {
            listen = .address(host: config.web.host, port: config.web.port)
        }
        let notifier = SystemdNotifier()
        let server = DeskServer(responder: desk.router().buildResponder(), listen: listen, logger: logger) { address in
            logger.notice(
                "web desk listening on \(address.map { "\($0)" } ?? "the socket from systemd") with \(plans.snapshot.plans.count) plans",
                metadata: [JournalField.priority: "5"]
            )
            notifier.ready()
            notifier.status("\(plans.snapshot.plans.count) plans")
        }
        let reloader = DeskReloader(
            desk: desk,
            folder: config.plans,
            logger: logger,
            language: config.language,
            notifier: notifier
        )
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: server), .init(service: reloader)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
        await desk.flushMail()
    }

    static func log(_ diagnostics: [Diagnostic], logger: Logger, language: Language) {
        for d in diagnostics.prefix(200) {
            let text = d.rendered(in: language)
            if d.severity == .error {
                logger.error(
                    "\(text)",
                    metadata: [JournalField.messageID: .string(MessageID.planError), JournalField.priority: "3"]
                )
            } else {
                logger.warning(
                    "\(text)",
                    metadata: [JournalField.messageID: .string(MessageID.planError), JournalField.priority: "4"]
                )
            }
        }
    }
}

/// Reloads the plans when their folder changes (inotify, the daemon's own
/// watcher) or on SIGHUP, and forgets sessions idle too long once an hour.
struct DeskReloader: Service {
    let desk: Desk
    let folder: String
    let logger: Logger
    let language: Language
    let notifier: SystemdNotifier

    func run() async throws {
        let (events, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let watcher = try? FolderWatcher(folder: folder) { continuation.yield() }
        if watcher == nil {
            logger.warning(
                "web desk: cannot watch \(folder) for changes; reload with SIGHUP",
                metadata: [JournalField.priority: "4"]
            )
        }
        let desk = self.desk
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in await UnixSignalsSequence(trapping: .sighup) { continuation.yield() }
            }
            group.addTask {
                while !Task.isCancelled {
                    let now = desk.unixNow
                    let idle = Int64(desk.settings.web.sessionIdleSeconds)
                    _ = try? await desk.db({ try $0.pruneSessions(now: now, idleSeconds: idle) })
                    try? await Task.sleep(for: .seconds(3600))
                }
            }
            group.addTask { [logger, language, notifier] in
                for await _ in events.cancelOnGracefulShutdown() {
                    notifier.reloading()
                    let diagnostics = desk.plans.reload()
                    DeskRunner.log(diagnostics, logger: logger, language: language)
                    logger.notice(
                        "web desk: plans reloaded (\(desk.plans.snapshot.plans.count))",
                        metadata: [
                            JournalField.messageID: .string(MessageID.planReloaded), JournalField.priority: "5",
                        ]
                    )
                    notifier.ready()
                }
            }
            _ = try await group.next()
            group.cancelAll()
        }
        continuation.finish()
        withExtendedLifetime(watcher) {}
    }
}
