/// One HTTP request a channel wants made: everything the edge needs, nothing
/// it has to decide. Channels build these; `Delivery.HTTPClient` performs
/// them with libcurl; tests perform them with a closure.
public struct HTTPRequest: Sendable, Equatable {
    public enum Method: String, Sendable {
        case get = "GET"
        case post = "POST"
    }

    public var method: Method
    /// The full URL with its query, secrets included: for the edge only.
    public var url: String
    /// The same URL with every secret query value replaced by `***`: what
    /// logs, journal entries and error messages may show.
    public var redactedURL: String
    /// Header lines, `Name: value`.
    public var headers: [String]
    public var body: [UInt8]

    public init(method: Method, url: URLWithQuery, headers: [String] = [], body: [UInt8] = []) {
        self.method = method
        self.url = url.text
        self.redactedURL = url.redacted
        self.headers = headers
        self.body = body
    }
}

/// What became of a request: an answer from the server, or none.
public enum HTTPResult: Sendable, Equatable {
    /// The server answered: status code and the body (capped by the edge).
    case response(status: Int, body: [UInt8])
    /// No answer: no connection, a timeout, a TLS failure, a body over the
    /// cap. `detail` never holds the URL's secrets (the edge redacts it).
    case failure(HTTPFailure)
}

public struct HTTPFailure: Error, Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// DNS, connection refused or reset, proxy unreachable.
        case connect
        case timeout
        /// The certificate did not verify, or the TLS handshake failed.
        case tls
        /// The answer was larger than the edge accepts.
        case tooLarge
        case other
    }

    public var kind: Kind
    public var detail: String

    public init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }
}

/// A URL being built with its query, keeping apart the values that are
/// secrets (a robot's key, an access token, a signature) so the redacted
/// form can be given to logs.
public struct URLWithQuery: Sendable, Equatable {
    public private(set) var text: String
    public private(set) var redacted: String

    public init(_ base: String) {
        text = base
        redacted = base
    }

    /// Appends `name=value`, the value percent-encoded (RFC 3986 unreserved
    /// characters kept): `+`, `/` and `=` of a base64 signature become
    /// `%2B`, `%2F`, `%3D`, as the services require.
    public mutating func append(_ name: String, _ value: String, secret: Bool = false) {
        let separator = text.contains("?") ? "&" : "?"
        text += separator + name + "=" + URLWithQuery.encode(value)
        redacted += separator + name + "=" + (secret ? "***" : URLWithQuery.encode(value))
    }

    public func appending(_ name: String, _ value: String, secret: Bool = false) -> URLWithQuery {
        var copy = self
        copy.append(name, value, secret: secret)
        return copy
    }

    public static func encode(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(hex[Int(byte >> 4)])
                out.unicodeScalars.append(hex[Int(byte & 0x0F)])
            }
        }
        return out
    }
}
