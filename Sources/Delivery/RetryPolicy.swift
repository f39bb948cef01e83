/// When a message that could not be delivered is tried again, and when it is
/// given up. Pure: it takes the time as an argument and reads no clock, so
/// the whole schedule is unit-tested.
///
/// Exponential backoff, doubling from `firstDelay` (30 s, so the first retry
/// comes within a minute and a short MTA restart costs almost nothing) up to
/// `maximumDelay` (one hour, so a message never waits much longer than an
/// hour once the MTA is back). A message is given up when it is still
/// failing `giveUpAfter` seconds after its first failed attempt (3 days by
/// default): the clock starts at the first attempt, not at spooling, so a
/// message that waited in the spool while delivery was switched off is
/// still tried before it can be given up.
public struct RetryPolicy: Sendable, Equatable {
    public var firstDelay: Int64
    public var maximumDelay: Int64
    public var giveUpAfter: Int64

    public init(firstDelay: Int64 = 30, maximumDelay: Int64 = 3600, giveUpAfter: Int64 = 3 * 86400) {
        self.firstDelay = max(1, firstDelay)
        self.maximumDelay = max(self.firstDelay, maximumDelay)
        self.giveUpAfter = max(0, giveUpAfter)
    }

    /// Seconds to wait after the `attempts`-th failed attempt (1-based):
    /// 30, 60, 120, … capped at the maximum. Never overflows.
    public func delay(afterAttempt attempts: Int) -> Int64 {
        let doublings = max(0, attempts - 1)
        var delay = firstDelay
        for _ in 0..<min(doublings, 63) {
            if delay > maximumDelay / 2 { return maximumDelay }
            delay *= 2
        }
        return min(delay, maximumDelay)
    }

    /// What to do after a temporary failure at `now` (seconds since 1970),
    /// given the message's state before this attempt (nil: first attempt).
    public func afterTemporaryFailure(_ state: RetryState?, reason: String, now: Int64) -> Decision {
        let attempts = (state?.attempts ?? 0) + 1
        let first = state?.firstAttempt ?? now
        if now - first >= giveUpAfter { return .giveUp(attempts: attempts, since: first) }
        let next = now + delay(afterAttempt: attempts)
        return .retry(RetryState(attempts: attempts, firstAttempt: first, nextAttempt: next, reason: reason))
    }

    public enum Decision: Sendable, Equatable {
        case retry(RetryState)
        /// Failing since `since` for longer than `giveUpAfter`.
        case giveUp(attempts: Int, since: Int64)
    }
}

/// A queued message's retry state, in a small text file beside it
/// (`queue/.NAME.retry`) so it survives restarts:
///
///     attempts 3
///     first 1763946600
///     next 1763946840
///     reason sendmail 退出码 75（EX_TEMPFAIL）…
///
/// Text rather than a binary format so an administrator can read it, and
/// forgiving when read: a damaged file means "try now", never a crash.
public struct RetryState: Sendable, Equatable {
    public var attempts: Int
    /// When the first attempt failed (seconds since 1970).
    public var firstAttempt: Int64
    /// Not before this instant.
    public var nextAttempt: Int64
    /// The last failure, one line.
    public var reason: String

    public init(attempts: Int, firstAttempt: Int64, nextAttempt: Int64, reason: String) {
        self.attempts = attempts
        self.firstAttempt = firstAttempt
        self.nextAttempt = nextAttempt
        self.reason = reason
    }

    public var text: String {
        let line = String(
            String.UnicodeScalarView(reason.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 })
        )
        return "attempts \(attempts)\nfirst \(firstAttempt)\nnext \(nextAttempt)\nreason \(line)\n"
    }

    /// Nil when the text is not a state file (missing keys, bad numbers).
    public init?(text: String) {
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let space = line.firstIndex(of: " ") else { continue }
            values[String(line[..<space])] = String(line[line.index(after: space)...])
        }
        guard let a = values["attempts"].flatMap({ Int($0) }), a >= 0,
            let f = values["first"].flatMap({ Int64($0) }),
            let n = values["next"].flatMap({ Int64($0) })
        else { return nil }
        self.init(attempts: a, firstAttempt: f, nextAttempt: n, reason: values["reason"] ?? "")
    }
}
