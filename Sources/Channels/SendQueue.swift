/// The messages of one channel waiting to go, in the order they were
/// written, each destination's in turn, released as the rate limiter
/// allows. A message is only ever taken out by `sent` or `remove`: a limit,
/// a hold or a back-off only gives it a later time, never drops it.
///
/// Per destination, strictly first in, first out: a robot's group reads the
/// day's notices in the order they were composed, and a message held back
/// by a back-off holds back the ones behind it (the service was down for
/// all of them). Destinations are independent: one robot at its limit
/// never delays another.
public struct SendQueue<ID: Hashable & Sendable>: Sendable {
    public enum Next: Sendable, Equatable where ID: Equatable {
        /// Send this one now.
        case send(ID, destination: String)
        /// Nothing may go before this instant.
        case wait(until: Int64)
        case empty
    }

    private struct Entry: Sendable {
        var id: ID
        var notBefore: Int64
    }

    public private(set) var limiter: RateLimiter
    /// Per destination, its entries in order.
    private var lanes: [String: [Entry]] = [:]
    /// Destinations in the order their first waiting message arrived.
    private var order: [String] = []
    private var destinationOf: [ID: String] = [:]

    public init(limiter: RateLimiter) { self.limiter = limiter }

    public var count: Int { destinationOf.count }
    public var isEmpty: Bool { destinationOf.isEmpty }

    /// Adds a message at the end of its destination's lane; `notBefore`
    /// carries a back-off from an earlier attempt.
    public mutating func enqueue(_ id: ID, destination: String, notBefore: Int64 = .min) {
        guard destinationOf[id] == nil else { return }
        destinationOf[id] = destination
        if lanes[destination] == nil { order.append(destination) }
        lanes[destination, default: []].append(Entry(id: id, notBefore: notBefore))
    }

    /// The first message, in arrival order of the destinations, that may go
    /// at `now`; or the earliest instant one may; or nothing left.
    public func next(now: Int64) -> Next {
        var soonest: Int64?
        for destination in order {
            guard let head = lanes[destination]?.first else { continue }
            let t = max(head.notBefore, limiter.earliest(destination, now: now))
            if t <= now { return .send(head.id, destination: destination) }
            soonest = min(soonest ?? t, t)
        }
        return soonest.map { .wait(until: $0) } ?? .empty
    }

    /// When the message could go at the earliest, for `status` and logs.
    public func earliest(_ id: ID, now: Int64) -> Int64? {
        guard let destination = destinationOf[id], let lane = lanes[destination] else { return nil }
        var t = limiter.earliest(destination, now: now)
        for entry in lane {
            t = max(t, entry.notBefore)
            if entry.id == id { return t }
        }
        return nil
    }

    /// It went out (the service answered, whatever it said about it: an
    /// accepted message counts against the limit, and so may a refused one).
    public mutating func sent(_ id: ID, at time: Int64) {
        guard let destination = destinationOf[id] else { return }
        limiter.record(destination, at: time)
        remove(id)
    }

    /// A send was made but the message stays (to retry): it counts.
    public mutating func attempted(_ id: ID, at time: Int64, retryAt: Int64) {
        guard let destination = destinationOf[id] else { return }
        limiter.record(destination, at: time)
        postpone(id, until: retryAt)
    }

    /// Try it again not before `until` (a back-off).
    public mutating func postpone(_ id: ID, until: Int64) {
        guard let destination = destinationOf[id], var lane = lanes[destination],
            let i = lane.firstIndex(where: { $0.id == id })
        else { return }
        lane[i].notBefore = max(lane[i].notBefore, until)
        lanes[destination] = lane
    }

    /// The service asked to slow down: nothing to `destination` before `until`.
    public mutating func hold(_ destination: String, until: Int64) {
        limiter.hold(destination, until: until)
    }

    /// Taken out without a send (given up, or gone from the outbox).
    public mutating func remove(_ id: ID) {
        guard let destination = destinationOf.removeValue(forKey: id) else { return }
        lanes[destination]?.removeAll { $0.id == id }
        if lanes[destination]?.isEmpty ?? false {
            lanes[destination] = nil
            order.removeAll { $0 == destination }
        }
    }
}
