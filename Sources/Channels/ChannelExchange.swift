import Diagnostics
import Vocabulary

/// One message's exchange with its service, start to outcome: a token
/// fetched when the channel needs one and has none, the message sent,
/// the token renewed and the message sent again once when the service
/// says the token went bad. HTTP is the caller's `perform`: libcurl in the
/// daemon, a closure in tests; the exchange itself is pure.
public enum ChannelExchange {
    public struct Result: Sendable, Equatable {
        public var outcome: ChannelOutcome
        /// The token to keep for the next message (nil: none, or dropped).
        public var token: AccessToken?
        /// How many requests reached the message endpoint (each counts
        /// against the service's limit whatever the answer).
        public var messageRequests: Int
        /// Every request made, redacted, in order: for logs and tests.
        public var requests: [String]
    }

    public static func run(
        _ message: RenderedMessage,
        through channel: some Channel,
        credentials: ChannelCredentials,
        token: AccessToken?,
        now: Int64,
        perform: (HTTPRequest) -> HTTPResult
    ) -> Result {
        var token = token
        var renewed = false
        var messageRequests = 0
        var log: [String] = []
        // At most: token, message, token, message.
        for _ in 0..<4 {
            let request: ChannelRequest
            switch channel.nextRequest(for: message, credentials: credentials, token: token, now: now) {
            case .cannot(let outcome):
                return Result(outcome: outcome, token: token, messageRequests: messageRequests, requests: log)
            case .request(let r):
                request = r
            }
            log.append("\(request.http.method.rawValue) \(request.http.redactedURL)")
            if request.purpose == .message { messageRequests += 1 }
            let outcome = channel.interpret(perform(request.http), of: request, now: now)
            switch outcome {
            case .token(let t):
                token = t
            case .renewToken(let reason):
                token = nil
                if renewed {
                    // A token just fetched is refused again: the service, not the cache, is wrong.
                    return Result(
                        outcome: .backOff(reason: reason, serviceDown: true),
                        token: nil,
                        messageRequests: messageRequests,
                        requests: log
                    )
                }
                renewed = true
            default:
                return Result(outcome: outcome, token: token, messageRequests: messageRequests, requests: log)
            }
        }
        // Tokens kept coming without the message going: give the service time.
        let ref = channel.reference
        return Result(
            outcome: .backOff(
                reason: Message(zh: "\(ref.zh)：取得令牌后仍无法发送", en: "\(ref.en): no send after fetching a token"),
                serviceDown: true
            ),
            token: token,
            messageRequests: messageRequests,
            requests: log
        )
    }
}
