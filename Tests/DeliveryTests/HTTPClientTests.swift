import Channels
import Foundation
import Testing
@testable import Delivery

/// A one-shot HTTP server on 127.0.0.1 (port 0): takes one request, keeps its
/// bytes, answers with `answer`, closes. Enough to see what the client sends.
final class LoopbackServer: @unchecked Sendable {
    let port: UInt16
    private let fd: Int32
    /// Written by the server's thread before it signals `done`, read after waiting for it.
    private final class Exchange: @unchecked Sendable {
        var bytes: [UInt8] = []
        let done = DispatchSemaphore(value: 0)
    }
    private let exchange = Exchange()

    init(answer: [UInt8]) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        fd = listener
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) }
        }
        guard bound == 0, listen(listener, 4) == 0 else { throw POSIXError(.EADDRINUSE) }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        let exchange = self.exchange
        Thread.detachNewThread {
            defer { exchange.done.signal() }
            // The thread, not deinit, closes the listener: closed in deinit, its
            // number could be reused by another test's socket before this
            // thread reaches accept(2), which would then take that test's connection.
            defer { close(listener) }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            defer { close(client) }
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = read(client, &chunk, chunk.count)
                if n <= 0 { break }
                bytes += chunk[0..<n]
                if let end = LoopbackServer.requestEnd(bytes), bytes.count >= end { break }
            }
            exchange.bytes = bytes
            _ = answer.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
        }
    }

    /// shutdown(2) wakes an accept(2) still waiting in the thread (close alone does not on
    /// Linux), or makes a later one fail at once; the thread then closes the socket.
    deinit {
        shutdown(fd, Int32(SHUT_RDWR))
    }

    /// The request as received (waits for the exchange to end; empty when no
    /// request came within ten seconds, so a broken client fails the test instead of hanging it).
    func request() -> String {
        guard exchange.done.wait(timeout: .now() + 10) == .success else { return "" }
        return String(decoding: exchange.bytes, as: UTF8.self)
    }

    static func requestEnd(_ bytes: [UInt8]) -> Int? {
        let marker: [UInt8] = [13, 10, 13, 10]
        guard bytes.count >= 4, let i = (0...(bytes.count - 4)).first(where: { Array(bytes[$0..<$0 + 4]) == marker })
        else { return nil }
        let head = String(decoding: bytes[0..<i], as: UTF8.self).lowercased()
        let length =
            head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
            .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
        return i + 4 + length
    }

    static func answer(status: String = "200 OK", _ body: String) -> [UInt8] {
        let b = Array(body.utf8)
        return Array(
            "HTTP/1.1 \(status)\r\nContent-Type: application/json\r\nContent-Length: \(b.count)\r\nConnection: close\r\n\r\n"
                .utf8
        ) + b
    }
}

@Suite struct HTTPClientTests {
    let client = HTTPClient(connectTimeout: 5, timeout: 10, maximumResponse: 4096, proxy: "")

    @Test func postsTheBodyAsIsAndReadsTheAnswer() throws {
        let server = try LoopbackServer(answer: LoopbackServer.answer(#"{"errcode":0,"errmsg":"ok"}"#))
        let body = Array(#"{"msgtype":"text","text":{"content":"党建提醒"}}"#.utf8)
        let url = URLWithQuery("http://127.0.0.1:\(server.port)/robot/send").appending(
            "access_token",
            "t0k+n",
            secret: true
        )
        let result = client.perform(
            HTTPRequest(method: .post, url: url, headers: ["Content-Type: application/json; charset=utf-8"], body: body)
        )
        #expect(result == .response(status: 200, body: Array(#"{"errcode":0,"errmsg":"ok"}"#.utf8)))
        let request = server.request()
        #expect(request.hasPrefix("POST /robot/send?access_token=t0k%2Bn HTTP/1.1\r\n"))
        #expect(request.contains("\r\nContent-Type: application/json; charset=utf-8\r\n"))
        #expect(request.contains("\r\nContent-Length: \(body.count)\r\n"))
        #expect(!request.lowercased().contains("expect:"))
        #expect(request.hasSuffix("\r\n\r\n" + #"{"msgtype":"text","text":{"content":"党建提醒"}}"#))
    }

    @Test func getsWithoutABody() throws {
        let server = try LoopbackServer(
            answer: LoopbackServer.answer(#"{"errcode":0,"access_token":"T","expires_in":7200}"#)
        )
        let url = URLWithQuery("http://127.0.0.1:\(server.port)/cgi-bin/gettoken").appending("corpid", "ww01")
        guard case .response(200, let body) = client.perform(HTTPRequest(method: .get, url: url)) else {
            Issue.record("no answer")
            return
        }
        #expect(JSONReader.parse(body)?["access_token"]?.string == "T")
        #expect(server.request().hasPrefix("GET /cgi-bin/gettoken?corpid=ww01 HTTP/1.1\r\n"))
    }

    @Test func keepsTheStatusOfAnError() throws {
        let server = try LoopbackServer(answer: LoopbackServer.answer(status: "502 Bad Gateway", "<html>"))
        let result = client.perform(
            HTTPRequest(method: .post, url: URLWithQuery("http://127.0.0.1:\(server.port)/x"), body: [1])
        )
        #expect(result == .response(status: 502, body: Array("<html>".utf8)))
        _ = server.request()
    }

    @Test func anAnswerOverTheCapIsAFailure() throws {
        let server = try LoopbackServer(answer: LoopbackServer.answer(String(repeating: "x", count: 5000)))
        guard
            case .failure(let f) = client.perform(
                HTTPRequest(method: .get, url: URLWithQuery("http://127.0.0.1:\(server.port)/x"))
            )
        else {
            Issue.record("accepted an answer over the cap")
            return
        }
        #expect(f.kind == .tooLarge)
        _ = server.request()
    }

    @Test func aRefusedConnectionIsAConnectFailureWithoutTheSecret() throws {
        // A port that was just free: bind, read its number, close.
        let port = try LoopbackServer(answer: []).port
        let url = URLWithQuery("http://127.0.0.1:\(port)/cgi-bin/webhook/send").appending(
            "key",
            "SECRET-KEY",
            secret: true
        )
        guard case .failure(let f) = client.perform(HTTPRequest(method: .post, url: url, body: [1])) else {
            Issue.record("connected to a closed port")
            return
        }
        #expect(f.kind == .connect)
        #expect(!f.detail.contains("SECRET-KEY"))
    }

    @Test func redactsTheQueryFromLibcurlMessages() {
        let url = URLWithQuery("https://h/send").appending("key", "K1", secret: true)
        let request = HTTPRequest(method: .post, url: url)
        #expect(
            HTTPClient.redact("URL rejected: https://h/send?key=K1 bad", of: request)
                == "URL rejected: https://h/send?key=*** bad"
        )
        #expect(HTTPClient.redact("path /send?key=K1 refused", of: request) == "path /send?key=*** refused")
    }

    @Test func refusesOtherProtocols() {
        guard case .failure(let f) = client.perform(HTTPRequest(method: .get, url: URLWithQuery("file:///etc/passwd")))
        else {
            Issue.record("read a file URL")
            return
        }
        #expect(f.kind == .other)
    }
}
