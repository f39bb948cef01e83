import CCurl
import Channels

/// Makes the HTTP requests of the channels (企业微信, 钉钉) with libcurl, the
/// library the SMTP transport already uses.
///
/// libcurl rather than a Swift HTTP client (async-http-client on SwiftNIO):
/// one HTTP/SMTP stack is already linked and audited; it verifies servers
/// against the system's CA store (`ca-certificates`, what `update-ca-certificates`
/// maintains) with no second TLS stack to keep patched; it honours
/// `https_proxy`, `no_proxy` and `all_proxy` as every admin's other tools do
/// (hospital networks reach the internet through a proxy); and it is a
/// blocking call, which is what the delivery agent is (it runs on a thread
/// of its own, as for mail).
///
/// Bounded: a connect timeout and a whole-exchange timeout, an answer of at
/// most `maximumResponse` bytes (larger is a failure, not read whole), no
/// redirects followed, http and https only. Errors never carry the URL's
/// query: the services put keys and tokens there.
public struct HTTPClient: Sendable {
    public var connectTimeout: Int
    public var timeout: Int
    public var maximumResponse: Int
    /// Nil: libcurl's own reading of `https_proxy`/`no_proxy`. `""`: no
    /// proxy at all (tests talking to loopback stand-ins).
    public var proxy: String?

    public init(connectTimeout: Int = 10, timeout: Int = 30, maximumResponse: Int = 1 << 20, proxy: String? = nil) {
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.maximumResponse = maximumResponse
        self.proxy = proxy
    }

    public func perform(_ request: HTTPRequest) -> HTTPResult {
        _ = SMTPTransport.globalInit
        guard let handle = curl_easy_init() else {
            return .failure(HTTPFailure(.other, "cannot initialise libcurl"))
        }
        defer { curl_easy_cleanup(handle) }
        let sink = ResponseSink(limit: maximumResponse)
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        defer { errorBuffer.deallocate() }
        var headers: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headers) }
        // No "Expect: 100-continue" round trip; the services answer at once.
        for line in request.headers + ["Expect:"] { headers = curl_slist_append(headers, line) }

        // An empty body still needs a valid pointer for POSTFIELDS.
        let body = request.body.isEmpty ? [0] : request.body
        let code: CURLcode = body.withUnsafeBufferPointer { bodyBytes in
            withExtendedLifetime(sink) {
                let sinkContext = Unmanaged.passUnretained(sink).toOpaque()
                _ = pk_curl_setopt_string(handle, CURLOPT_URL, request.url)
                _ = pk_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
                _ = pk_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
                _ = pk_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
                _ = pk_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, connectTimeout)
                _ = pk_curl_setopt_long(handle, CURLOPT_TIMEOUT, timeout)
                _ = pk_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
                _ = pk_curl_setopt_string(handle, CURLOPT_USERAGENT, "plankeeper")
                if let proxy { _ = pk_curl_setopt_string(handle, CURLOPT_PROXY, proxy) }
                _ = pk_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headers)
                switch request.method {
                case .get:
                    _ = pk_curl_setopt_long(handle, CURLOPT_HTTPGET, 1)
                case .post:
                    _ = pk_curl_setopt_long(handle, CURLOPT_POST, 1)
                    _ = pk_curl_setopt_pointer(
                        handle,
                        CURLOPT_POSTFIELDS,
                        UnsafeMutableRawPointer(mutating: bodyBytes.baseAddress)
                    )
                    _ = pk_curl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count))
                }
                _ = pk_curl_setopt_writefunction(handle, httpWrite)
                _ = pk_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, sinkContext)
                return curl_easy_perform(handle)
            }
        }
        if code == CURLE_OK {
            var status = 0
            _ = pk_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
            return .response(status: status, body: sink.bytes)
        }
        let detail = String(cString: errorBuffer)
        let message = HTTPClient.redact(
            detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail,
            of: request
        )
        return .failure(
            HTTPFailure(HTTPClient.kind(curlCode: Int(code.rawValue), overflowed: sink.overflowed), message)
        )
    }

    /// What kind of failure a libcurl code is.
    public static func kind(curlCode: Int, overflowed: Bool) -> HTTPFailure.Kind {
        if overflowed { return .tooLarge }
        switch curlCode {
        case Int(CURLE_COULDNT_RESOLVE_HOST.rawValue), Int(CURLE_COULDNT_RESOLVE_PROXY.rawValue),
            Int(CURLE_COULDNT_CONNECT.rawValue), Int(CURLE_SEND_ERROR.rawValue), Int(CURLE_RECV_ERROR.rawValue),
            Int(CURLE_GOT_NOTHING.rawValue), Int(CURLE_PARTIAL_FILE.rawValue):
            return .connect
        case Int(CURLE_OPERATION_TIMEDOUT.rawValue):
            return .timeout
        case Int(CURLE_PEER_FAILED_VERIFICATION.rawValue), Int(CURLE_SSL_CONNECT_ERROR.rawValue),
            Int(CURLE_SSL_CACERT_BADFILE.rawValue), Int(CURLE_SSL_CERTPROBLEM.rawValue):
            return .tls
        default:
            return .other
        }
    }

    /// libcurl's message with the request's URL, or its query, replaced by
    /// the redacted form: a message may quote what it was given.
    public static func redact(_ message: String, of request: HTTPRequest) -> String {
        var out = message.replacing(request.url, with: request.redactedURL)
        if let q = request.url.firstIndex(of: "?"), let r = request.redactedURL.firstIndex(of: "?") {
            out = out.replacing(String(request.url[q...]), with: String(request.redactedURL[r...]))
        }
        return String(out.prefix(500))
    }
}

/// The answer's bytes, up to a cap.
private final class ResponseSink {
    let limit: Int
    var bytes: [UInt8] = []
    var overflowed = false

    init(limit: Int) { self.limit = limit }
}

private let httpWrite: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    buffer,
    size,
    count,
    context in
    let n = size * count
    guard let buffer, let context else { return 0 }
    let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
    guard sink.bytes.count + n <= sink.limit else {
        sink.overflowed = true
        return 0  // libcurl stops with CURLE_WRITE_ERROR
    }
    sink.bytes += UnsafeRawBufferPointer(start: buffer, count: n)
    return n
}
