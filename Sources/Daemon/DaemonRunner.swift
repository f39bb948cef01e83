import Config
import Ledger
import Logging
import ServiceLifecycle
import Spool
import UnixSignals

/// Runs the daemon in a service group that shuts it down gracefully on
/// SIGTERM and SIGINT (SIGHUP is the service's own: reload).
public enum DaemonRunner {
    public static func run(config: DaemonConfig, ledger: Ledger, spool: Spool, logger: Logger) async throws {
        let service = DaemonService(config: config, ledger: ledger, spool: spool, logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: service)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
    }
}
