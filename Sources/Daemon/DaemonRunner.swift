import Config
import Delivery
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
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: service)]
        // Mail delivery (none for `transport: none`); see DeliveryService.
        if let transport = DeliverySetup.transport(config.mail) {
            let agent = DeliverySetup.agent(config: config, spool: spool, transport: transport, logger: logger)
            services.append(.init(service: DeliveryService(agent: agent, logger: logger)))
        }
        let group = ServiceGroup(
            configuration: .init(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }
}
