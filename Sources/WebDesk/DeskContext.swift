import Diagnostics
import Hummingbird
import Ledger
import NIOCore
import Vocabulary

/// What one request carries between the middleware and the page: who is
/// signed in, in which language they read, the token their forms must send
/// back, and the cookies to set on the way out.
public struct DeskContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The TCP peer (nginx, when it is in front); nil in in-process tests.
    public let peer: String?
    /// The session, when the session cookie named a live one.
    public var session: WebSession?
    /// What the signed-in person may see and do; nil when signed out, or
    /// when the plans no longer name their address.
    public var viewer: Viewer?
    public var language: Language = .zh
    /// The value every form of this page puts in `_csrf`: the session's
    /// token when signed in, else the anonymous form cookie's.
    public var formToken = ""
    /// `Set-Cookie` values to add to the response.
    public var cookies: [String] = []
    /// The client as the journal and the rate limiter see it: the peer, or
    /// the address a trusted proxy forwarded.
    public var client = "unknown"

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peer = Self.ipAddress(source.channel.remoteAddress)
    }

    /// The bare IP address of a socket address (no port).
    static func ipAddress(_ address: SocketAddress?) -> String? {
        guard let address else { return nil }
        switch address {
        case .v4, .v6: return address.ipAddress
        case .unixDomainSocket: return "unix"
        }
    }
}
