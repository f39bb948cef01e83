import Diagnostics
import Vocabulary

/// What an answer means for the message, decided by the channel from the
/// service's own codes; the delivery agent acts on it.
public enum ChannelOutcome: Sendable, Equatable {
    /// The service took the message. `answer` is kept in the delivery
    /// record; `warning`, when set, goes to the journal (a recipient the
    /// service did not know, for instance) although the message went out.
    case delivered(answer: String, warning: Message?)
    /// A token request succeeded: cache it and make the message request.
    case token(AccessToken)
    /// The cached token is no longer valid: fetch a new one and send again.
    case renewToken(reason: Message)
    /// The service's limit: not before `seconds` from now. No attempt is
    /// counted against the message, and the destination is held as long.
    case wait(seconds: Int64, reason: Message)
    /// Never as it is (bad key, bad signature, too long, unknown code): the
    /// message is given up and the journal names the channel's config line.
    case giveUp(reason: Message)
    /// The network or the service failed (no answer, 5xx, "system busy"):
    /// retried with the mail's back-off. `serviceDown` keeps the rest of
    /// this channel's pass from trying, while other channels go on.
    case backOff(reason: Message, serviceDown: Bool)
}

/// A token a service handed out, with the instant it stops being used
/// (seconds since 1970, already shortened by a safety margin).
public struct AccessToken: Sendable, Equatable {
    public var value: String
    public var expiresAt: Int64

    public init(value: String, expiresAt: Int64) {
        self.value = value
        self.expiresAt = expiresAt
    }

    public func isValid(at now: Int64) -> Bool { now < expiresAt }
}

/// The secrets of one channel, read by the edge from files or systemd
/// credentials; never from the configuration file, never logged.
public struct ChannelCredentials: Sendable, Equatable {
    /// The robot's `key` (企业微信) or `access_token` (钉钉).
    public var token: String?
    /// 钉钉's signing secret (加签), or the 企业微信 app's `corpsecret`.
    public var secret: String?

    public init(token: String? = nil, secret: String? = nil) {
        self.token = token
        self.secret = secret
    }
}
