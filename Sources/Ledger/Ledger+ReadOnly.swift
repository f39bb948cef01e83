import Foundation
import GRDB

extension Ledger {
    /// The ledger opened only to read, or nil when there is none or this
    /// user may not read it: for shell completion, which runs at every Tab
    /// as whoever types, and must neither create a file, nor migrate a
    /// schema, nor fail loudly. A ledger migrated by a newer plankeeper is
    /// refused (nil) as `open` refuses it.
    public static func openReadOnly(folder: String) -> Ledger? {
        let path = folder.hasSuffix("/") ? folder + fileName : folder + "/" + fileName
        guard FileManager.default.isReadableFile(atPath: path) else { return nil }
        var config = Configuration()
        config.readonly = true
        config.label = "plankeeper.ledger.readonly"
        config.busyMode = .timeout(1)
        guard let queue = try? DatabaseQueue(path: path, configuration: config) else { return nil }
        let ledger = Ledger(readOnly: queue, path: path)
        let usable =
            (try? queue.read { db in
                try migrator.hasCompletedMigrations(db) && !migrator.hasBeenSuperseded(db)
            }) ?? false
        return usable ? ledger : nil
    }
}
