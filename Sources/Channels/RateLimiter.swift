/// When the next message to a destination may go, so that every window of
/// the service's limits holds (20 a minute per robot; 30 a minute and 1,000
/// an hour per person for the 企业微信 app). Pure: the caller passes the
/// time; nothing is ever dropped, only given a time.
///
/// A window counts sends in any `seconds`-long stretch, which is stricter
/// than a service that counts per calendar minute, so it holds for either.
/// Times are whole seconds and a send is recorded at the second it started
/// (rounded down), so a one-second margin keeps the service, which sees the
/// exact arrival, from counting one message too many at the window's edge.
public struct RateLimiter: Sendable {
    public let windows: [RateWindow]
    public static let margin: Int64 = 1

    /// Per destination, the start times of recent sends, oldest first.
    private var sent: [String: [Int64]] = [:]
    /// Per destination, a hold the service asked for (45009, 130101).
    private var held: [String: Int64] = [:]
    private let longest: Int64
    private let largest: Int

    public init(windows: [RateWindow]) {
        self.windows = windows
        longest = windows.map(\.seconds).max() ?? 0
        largest = windows.map(\.count).max() ?? 0
    }

    /// The earliest instant, not before `now`, at which one more send to
    /// `destination` keeps every window and any hold.
    public func earliest(_ destination: String, now: Int64) -> Int64 {
        var t = max(now, held[destination] ?? now)
        guard let times = sent[destination] else { return t }
        for window in windows where times.count >= window.count {
            // The window-th most recent send must have left the window.
            let oldestCounted = times[times.count - window.count]
            t = max(t, oldestCounted + window.seconds + RateLimiter.margin)
        }
        return t
    }

    public func allows(_ destination: String, now: Int64) -> Bool { earliest(destination, now: now) <= now }

    /// A send started at `time`.
    public mutating func record(_ destination: String, at time: Int64) {
        var times = sent[destination] ?? []
        if let i = times.lastIndex(where: { $0 <= time }) {
            times.insert(time, at: i + 1)
        } else {
            times.insert(time, at: 0)
        }
        // What no window can count any more is forgotten.
        let horizon = (times.last ?? time) - longest - RateLimiter.margin
        if let keep = times.firstIndex(where: { $0 > horizon }), keep > 0 { times.removeFirst(keep) }
        if times.count > largest { times.removeFirst(times.count - largest) }
        sent[destination] = times
    }

    /// The service said "too fast": nothing to `destination` before `until`.
    public mutating func hold(_ destination: String, until: Int64) {
        held[destination] = max(held[destination] ?? until, until)
    }

    /// Recent send times of a destination (for tests and status).
    public func history(_ destination: String) -> [Int64] { sent[destination] ?? [] }
}
