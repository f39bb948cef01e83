import Config
import Journal
import Logging
import Spool

extension Spool {
    /// The spool a command writes to, opened (and created) at start-up, with
    /// what a killed writer left in `tmp/` more than a day ago removed: such
    /// files used to stay for ever.
    static func openForCLI(_ config: DaemonConfig, logger: Logger) throws -> Spool {
        let spool: Spool
        do { spool = try Spool(directory: config.spool) } catch {
            Terminal.error("plankeeper: error: \(error)")
            throw ExitCode(1)
        }
        do {
            let removed = try spool.recover()
            if removed > 0 {
                logger.notice(
                    "\(Texts.removedSpoolLeftovers(removed).text(in: config.language))",
                    metadata: [JournalField.priority: "5"]
                )
            }
        } catch {
            logger.warning("\(error)", metadata: [JournalField.priority: "4"])
        }
        return spool
    }
}

import ArgumentParser
import Vocabulary
