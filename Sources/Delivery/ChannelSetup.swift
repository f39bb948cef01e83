import Channels
import Config
import Foundation
import Logging

/// The configured channels' delivery agents, built the same way for the
/// daemon and for `plankeeper deliver`.
public enum ChannelSetup {
    /// The folder of the channels' lock files, in the state folder.
    public static func lockFolder(_ config: DaemonConfig) -> String { config.state + "/channels" }

    public static func agents(
        config: DaemonConfig,
        ledger: any OutboxStore,
        logger: Logger,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        perform: (@Sendable (HTTPRequest) -> HTTPResult)? = nil
    ) throws -> [ChannelDeliveryAgent] {
        guard !config.channels.isEmpty else { return [] }
        let folder = lockFolder(config)
        if !FileManager.default.fileExists(atPath: folder) {
            try FileManager.default.createDirectory(
                atPath: folder,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o755]
            )
            // Made by root (`sudo plankeeper deliver`): the service's user must still use it.
            if getuid() == 0, let owner = try? FileManager.default.attributesOfItem(atPath: config.state),
                let uid = owner[.ownerAccountID] as? NSNumber, let gid = owner[.groupOwnerAccountID] as? NSNumber
            {
                _ = chown(folder, uid_t(uid.uint32Value), gid_t(gid.uint32Value))
            }
        }
        let client = HTTPClient()
        let perform = perform ?? { client.perform($0) }
        return config.channels.map { c in
            ChannelDeliveryAgent(
                channel: c.channel,
                secrets: ChannelSecretSources(token: c.token.map(source), secret: c.secret.map(source)),
                environment: environment,
                ledger: ledger,
                lockPath: folder + "/" + OutboxEntry.fileName(channel: c.name) + ".lock",
                retry: RetryPolicy(giveUpAfter: Int64(c.giveUpAfterMinutes) * 60),
                logger: logger,
                language: config.language,
                perform: perform
            )
        }
    }

    static func source(_ reference: DaemonConfig.SecretReference) -> SecretSource {
        switch reference {
        case .file(let path): return .file(path)
        case .credential(let name): return .credential(name)
        }
    }
}
