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
        let zh = config.language == .zh
        do {
            if try ledger.value(forKey: Self.retentionStateKey) == today.description { return 0 }
            let cutoff = today.adding(days: -days)
            let pruned = try ledger.pruneHandledNotices(before: cutoff.description, today: today.description)
            try ledger.setValue(today.description, forKey: Self.retentionStateKey)
            if pruned > 0 {
                logger.notice(
                    "\(zh ? "按保留期限（\(days) 天）清理了 \(cutoff) 之前的 \(pruned) 条发送记录" : "retention (\(days) days): pruned \(pruned) sent-notice rows before \(cutoff)")",
                    metadata: [
                        JournalField.kind: "retention", JournalField.count: .string(String(pruned)),
                        JournalField.priority: "5",
                    ]
                )
            }
            return pruned
        } catch {
            logger.warning(
                "\(zh ? "按保留期限清理发送记录失败，下次再试：\(error.zh)" : "retention: could not prune sent-notice rows, will retry: \(error.en)")",
                metadata: [JournalField.kind: "retention", JournalField.priority: "4"]
            )
            return 0
        }
    }
}
