import Diagnostics
import Vocabulary

/// A way to reach people other than mail: one file per kind of service.
///
/// A channel is pure. It turns a composed `ChannelMessage` into the bytes
/// its service takes (`render`, at tick time: the outbox stores them), turns
/// those bytes into the HTTP request to make now (`nextRequest`, at delivery
/// time: secrets, timestamps and signatures go in here), and says what the
/// service's answer means (`interpret`). It reads no clock, no file and no
/// network: `now`, the credentials and the HTTP answer are passed in, so
/// every byte and every decision is unit-tested.
///
/// Adding a channel is one new file with a type conforming to this
/// protocol, one line in `ChannelKinds.all`, and its tests. The
/// configuration reader, the outbox, the rate limiter, the delivery agent
/// and `plankeeper status --delivery` need no change: they work from what
/// the type declares (`kind`, `optionKeys`, `secrets`, `audience`,
/// `defaultLimits`).
public protocol Channel: Sendable {
    /// `kind:` in the configuration: `dingtalk-robot`.
    static var kind: String { get }
    /// What it is, for people: `钉钉群机器人` / `DingTalk group robot`.
    static var title: Message { get }
    /// Whom one message reaches: the robot's group, or one person.
    static var audience: ChannelAudience { get }
    /// The configuration keys of this kind beyond the common ones
    /// (`name`, `kind`, `url`, `plans`, `owners`, `kinds`, `limits`,
    /// `item-limit`, the secret files).
    static var optionKeys: [ChannelOptionKey] { get }
    /// The secrets this kind reads, and whether each is required.
    static var secrets: [ChannelSecret] { get }
    /// The service's public endpoint, used when `url:` is not given.
    static var defaultURL: String { get }
    /// The service's published limits, per destination (a robot, a person).
    static var defaultLimits: [RateWindow] { get }

    /// Checks the kind's options; errors point at the offending value.
    init(settings: ChannelSettings) throws(ChannelSetupError)

    var settings: ChannelSettings { get }

    /// The message as the service's request body, within its size limit.
    /// Deterministic: the same message renders to the same bytes.
    func render(_ message: ChannelMessage, to recipient: ChannelRecipient) -> RenderedMessage

    /// The next request for a rendered message: a token request when the
    /// kind needs one and `token` is nil or expired, else the message itself.
    func nextRequest(
        for message: RenderedMessage,
        credentials: ChannelCredentials,
        token: AccessToken?,
        now: Int64
    ) -> ChannelStep

    /// What the answer to `request` means.
    func interpret(_ result: HTTPResult, of request: ChannelRequest, now: Int64) -> ChannelOutcome
}

extension Channel {
    /// The URL in use: the configured one or the public endpoint.
    public var url: String { settings.url ?? Self.defaultURL }
    /// The limits in use: the configured ones or the service's.
    public var limits: [RateWindow] { settings.limits ?? Self.defaultLimits }
    /// `钉钉群机器人“外科第二党支部群”（/etc/plankeeper/plankeeper.yaml:23:5）`: how
    /// errors name the channel, so an admin finds the line to fix.
    public var reference: Message {
        let t = Self.title
        return Message(
            zh: "\(t.zh)“\(settings.name)”（\(settings.location)）",
            en: "\(t.en) '\(settings.name)' (\(settings.location))"
        )
    }
}

/// Whom one message of a kind reaches.
public enum ChannelAudience: Sendable, Equatable {
    /// The group the robot belongs to: one message per notice for the group.
    case group
    /// One person per message, addressed by a field of the people
    /// directory (`wecom`, `dingtalk`): people without it are not reached
    /// through this channel.
    case person(directoryField: String)
}

/// A configuration key a kind accepts.
public struct ChannelOptionKey: Sendable, Equatable {
    public var name: String
    public var required: Bool
    /// One line for the error when it is missing: what to write.
    public var help: Message

    public init(_ name: String, required: Bool, help: Message) {
        self.name = name
        self.required = required
        self.help = help
    }
}

/// A secret a kind reads: `token` (from `token-file:` or `token-credential:`)
/// or `secret` (`secret-file:` / `secret-credential:`).
public struct ChannelSecret: Sendable, Equatable {
    public enum Slot: String, Sendable { case token, secret }

    public var slot: Slot
    public var required: Bool
    /// What it is on the service's side: `the robot's key`.
    public var help: Message

    public init(_ slot: Slot, required: Bool, help: Message) {
        self.slot = slot
        self.required = required
        self.help = help
    }
}

/// One `channels:` entry as the configuration reader hands it over:
/// common keys parsed, the kind's own options as positioned text.
public struct ChannelSettings: Sendable, Equatable {
    public struct Value: Sendable, Equatable {
        public var text: String
        public var location: SourceLocation

        public init(_ text: String, at location: SourceLocation) {
            self.text = text
            self.location = location
        }
    }

    public var name: String
    public var kind: String
    /// Where the entry is written: errors about the channel point here.
    public var location: SourceLocation
    /// Nil: the kind's public endpoint.
    public var url: String?
    /// Nil: the kind's published limits.
    public var limits: [RateWindow]?
    /// At most this many items of a summary are listed to a group; the
    /// rest are counted and linked. Configurable as `item-limit:`.
    public var itemLimit: Int
    /// The kind's own keys (`corp-id`, `agent-id`…).
    public var options: [String: Value]

    public init(
        name: String,
        kind: String,
        location: SourceLocation,
        url: String? = nil,
        limits: [RateWindow]? = nil,
        itemLimit: Int = 10,
        options: [String: Value] = [:]
    ) {
        self.name = name
        self.kind = kind
        self.location = location
        self.url = url
        self.limits = limits
        self.itemLimit = itemLimit
        self.options = options
    }
}

/// A channel's options do not make sense; carries positioned diagnostics.
public struct ChannelSetupError: Error, Sendable, Equatable {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
}

/// A message rendered for one channel and one recipient: what the outbox
/// stores, byte for byte.
public struct RenderedMessage: Sendable, Equatable {
    /// Whom the service's per-destination limits count it against: the
    /// robot (the channel itself) or the person's id in the service.
    public var destination: String
    /// The request body.
    public var body: [UInt8]
    /// One line for logs and `status --delivery`: the message's title.
    public var summary: String

    public init(destination: String, body: [UInt8], summary: String) {
        self.destination = destination
        self.body = body
        self.summary = summary
    }
}

/// A request and what it is for.
public struct ChannelRequest: Sendable, Equatable {
    public enum Purpose: Sendable, Equatable { case token, message }

    public var purpose: Purpose
    public var http: HTTPRequest

    public init(_ purpose: Purpose, _ http: HTTPRequest) {
        self.purpose = purpose
        self.http = http
    }
}

/// What to do next for a message.
public enum ChannelStep: Sendable, Equatable {
    case request(ChannelRequest)
    /// Nothing can be sent (a required secret is missing): the outcome says why.
    case cannot(ChannelOutcome)
}
