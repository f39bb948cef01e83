import Foundation
import Synchronization

/// Rendered pages kept while what they show is unchanged: 我的待办 is a pure
/// function of the person, the language, the day, the plans (their load's
/// generation) and the records of those plans (`Ledger.recordVersion`), all
/// part of the key, so an entry is never stale; the session's form token,
/// the one thing per browser, is put in when the page is served.
///
/// A secretary who records and comes back, or reloads, gets the page in a
/// query instead of a render. At most `capacity` pages (about 15 KB each);
/// when full, the oldest half goes.
final class PageCache: Sendable {
    /// What stands in the cached page where each browser's form token goes.
    static let tokenPlaceholder = "\u{1}form-token\u{1}"

    private let capacity: Int
    private let pages = Mutex<(entries: [String: String], order: [String])>(([:], []))

    init(capacity: Int = 1000) {
        self.capacity = max(2, capacity)
    }

    func page(_ key: String, formToken: String) -> String? {
        pages.withLock { $0.entries[key] }?.replacingOccurrences(of: Self.tokenPlaceholder, with: formToken)
    }

    func keep(_ html: String, for key: String) {
        pages.withLock { state in
            if state.entries[key] == nil { state.order.append(key) }
            state.entries[key] = html
            if state.order.count > capacity {
                for old in state.order.prefix(capacity / 2) { state.entries[old] = nil }
                state.order.removeFirst(capacity / 2)
            }
        }
    }

    var count: Int { pages.withLock { $0.entries.count } }
}
