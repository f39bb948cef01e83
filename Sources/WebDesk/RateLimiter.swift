/// At most `count` events per key in any window of `window`: sign-in
/// requests per client and sign-in mails per address.
///
/// Pure: the caller passes the instant (a `MockClock`'s in tests, the
/// continuous clock's in the server), so tests step time instead of sleeping.
/// Memory is bounded whatever a flood sends: each key keeps at most `count`
/// instants, and beyond `maxKeys` keys the least recently seen are forgotten
/// (a forgotten key starts afresh, which only ever lets a little more through).
public struct RateLimiter<Instant: InstantProtocol>: Sendable where Instant.Duration == Swift.Duration {
    public let count: Int
    public let window: Duration
    public let maxKeys: Int
    private var hits: [String: Entry] = [:]
    private var tick: UInt64 = 0

    private struct Entry: Sendable {
        /// Oldest first, at most `count`.
        var instants: [Instant]
        /// When the key was last seen, in `tick`s, for eviction.
        var seen: UInt64
    }

    public init(count: Int, window: Duration, maxKeys: Int = 10_000) {
        self.count = max(1, count)
        self.window = window
        self.maxKeys = max(1, maxKeys)
    }

    /// Counts one event for `key` at `now` and says whether it is allowed.
    /// A refused event is not counted, so a client that keeps trying is let
    /// through again once its window has moved on.
    public mutating func allow(_ key: String, at now: Instant) -> Bool {
        tick &+= 1
        var entry = hits[key] ?? Entry(instants: [], seen: tick)
        entry.seen = tick
        entry.instants.removeAll { $0.advanced(by: window) <= now }
        let allowed = entry.instants.count < count
        if allowed { entry.instants.append(now) }
        if entry.instants.isEmpty {
            hits[key] = nil
        } else {
            hits[key] = entry
        }
        if hits.count > maxKeys { evict(now: now) }
        return allowed
    }

    /// How many keys are remembered (for tests of the memory bound).
    public var keyCount: Int { hits.count }

    /// Drops keys whose events have all left the window, then, if still too
    /// many, the least recently seen half.
    private mutating func evict(now: Instant) {
        hits = hits.filter { _, entry in entry.instants.contains { $0.advanced(by: window) > now } }
        guard hits.count > maxKeys else { return }
        let keep = hits.sorted { $0.value.seen > $1.value.seen }.prefix(maxKeys / 2)
        hits = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
    }
}
