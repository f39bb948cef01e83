import Crypto

/// One message for one channel (企业微信, 钉钉) and one person or group, as
/// the outbox keeps it. Written once by `tick`, then moved by the delivery:
///
///     queued ──claim──▶ sending ──▶ sent
///        ▲                 │  └───▶ failed      (given up: refused, or failing past give-up-after)
///        └── retry/wait ───┘
///     sending, found by a delivery after a crash:
///        ──▶ queued     when the service drops duplicates itself (企业微信 app)
///        ──▶ uncertain  otherwise: it may have arrived; not sent again unless asked
///                       (`plankeeper deliver --resend-uncertain`), so nothing arrives twice
public struct OutboxEntry: Sendable, Equatable {
    public enum State: String, Sendable, CaseIterable {
        case queued, sending, sent, failed, uncertain
    }

    /// 16 hex digits of the stable hash of notice key, recipient and channel.
    public var id: String
    /// The channel's `name:` in the configuration.
    public var channel: String
    /// Its `kind:` (`dingtalk-robot`).
    public var channelKind: String
    /// What the service's limits count against: the robot or the person.
    public var destination: String
    /// The group's name or `王五 (@wangwu)`.
    public var recipient: String
    public var noticeKey: String
    /// `reminder`, `due`, `overdue`, `escalation`, `digest`, …
    public var noticeKind: String
    public var plan: String
    public var item: String
    public var period: String
    /// The message's title, for logs and `status --delivery`.
    public var summary: String
    /// The request body, exactly as rendered.
    public var body: [UInt8]
    public var state: State
    /// Seconds since 1970.
    public var createdAt: Int64
    /// Requests that reached the service or failed on the way.
    public var attempts: Int
    /// When the last attempt started (its claim).
    public var claimedAt: Int64?
    /// When the first temporary failure happened; give-up-after counts from it.
    public var firstFailure: Int64?
    /// Not before this instant.
    public var nextAttempt: Int64?
    public var lastReason: String?
    public var sentAt: Int64?
    /// The service's answer (`errcode 0 (ok)`).
    public var answer: String?

    public init(
        id: String,
        channel: String,
        channelKind: String,
        destination: String,
        recipient: String,
        noticeKey: String,
        noticeKind: String,
        plan: String = "",
        item: String = "",
        period: String = "",
        summary: String,
        body: [UInt8],
        state: State = .queued,
        createdAt: Int64,
        attempts: Int = 0,
        claimedAt: Int64? = nil,
        firstFailure: Int64? = nil,
        nextAttempt: Int64? = nil,
        lastReason: String? = nil,
        sentAt: Int64? = nil,
        answer: String? = nil
    ) {
        self.id = id
        self.channel = channel
        self.channelKind = channelKind
        self.destination = destination
        self.recipient = recipient
        self.noticeKey = noticeKey
        self.noticeKind = noticeKind
        self.plan = plan
        self.item = item
        self.period = period
        self.summary = summary
        self.body = body
        self.state = state
        self.createdAt = createdAt
        self.attempts = attempts
        self.claimedAt = claimedAt
        self.firstFailure = firstFailure
        self.nextAttempt = nextAttempt
        self.lastReason = lastReason
        self.sentAt = sentAt
        self.answer = answer
    }
}

extension OutboxEntry {
    /// The entry's id: 16 hex digits of SHA-256 over the notice key, the
    /// recipient and the channel's name. The same notice for the same
    /// recipient through the same channel is the same entry, whichever
    /// process writes it and however often: what makes it written once.
    public static func id(noticeKey: String, recipient: String, channel: String) -> String {
        hex(SHA256.hash(data: Array("\(noticeKey)\u{1F}\(recipient)\u{1F}\(channel)".utf8)))
    }

    /// A name for files about a channel (its lock): 16 hex digits of SHA-256 of its name.
    public static func fileName(channel: String) -> String {
        hex(SHA256.hash(data: Array("channel\u{1F}\(channel)".utf8)))
    }

    private static func hex(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef")
        return String(digest.prefix(8).flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] })
    }
}

/// How many entries of a channel are in each state, for `status --delivery`.
public struct OutboxCounts: Sendable, Equatable {
    public var channel: String
    public var counts: [OutboxEntry.State: Int]
    /// The earliest `next_attempt` of a queued entry, if any waits.
    public var nextAttempt: Int64?
    /// The latest `sent_at`.
    public var lastSent: Int64?

    public init(
        channel: String,
        counts: [OutboxEntry.State: Int] = [:],
        nextAttempt: Int64? = nil,
        lastSent: Int64? = nil
    ) {
        self.channel = channel
        self.counts = counts
        self.nextAttempt = nextAttempt
        self.lastSent = lastSent
    }

    public subscript(state: OutboxEntry.State) -> Int { counts[state] ?? 0 }
}
