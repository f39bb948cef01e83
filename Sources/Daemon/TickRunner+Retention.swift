import Config
import Foundation
import Journal
import Ledger
import Logging
import Vocabulary
import WorkCalendar

extension TickRunner {
    /// The ledger key holding the last day retention was applied.
    static let retentionStateKey = "retention-applied-on"

    /// `retention:` in the configuration: once a day, the sent-notice audit
    /// rows older than the retention are pruned (never records or
    /// evidence; `Ledger.pruneHandledNotices`). A failure is logged and
    /// tried again at the next tick: it never stops notices going out.
    /// Returns how many rows went.
    @discardableResult
    func applyRetention(today: CivilDate) -> Int {
        guard let days = config.retentionDays else { return 0 }
        do {
            if try ledger.value(forKey: Self.retentionStateKey) == today.description { return 0 }
            let cutoff = today.adding(days: -days)
            let pruned = try ledger.pruneHandledNotices(before: cutoff.description, today: today.description)
            try ledger.setValue(today.description, forKey: Self.retentionStateKey)
            if pruned > 0 {
                logger.notice(
                    "\(Texts.retentionPruned(pruned, days: days, before: cutoff.description).text(in: config.language))",
                    metadata: [
                        JournalField.kind: "retention", JournalField.count: .string(String(pruned)),
                        JournalField.priority: "5",
                    ]
                )
            }
            return pruned
        } catch {
            logger.warning(
                "\(Texts.retentionFailed(error.message).text(in: config.language))",
                metadata: [JournalField.kind: "retention", JournalField.priority: "4"]
            )
            return 0
        }
    }
}
