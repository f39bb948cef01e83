import Foundation
import Hummingbird
import Ledger
import Logging
import NIOCore
import ServiceLifecycle
import Testing
@testable import WebDesk

#if canImport(Glibc)
import Glibc
#endif

/// The real server on a real socket, as systemd hands it over: a listening
/// descriptor bound by someone else (here, the test), requests over TCP.
@Suite struct DeskServerTests {
    /// A listening TCP socket on 127.0.0.1 and a free port, as systemd's
    /// `ListenStream=` makes one.
    static func listeningSocket() throws -> (Int32, Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EBADF) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// Sends `request` and reads until the server closes or `limit` bytes,
    /// on a thread of its own (blocking sockets stay off the test's threads).
    static func exchange(port: Int, _ request: [UInt8], readLimit: Int = 1 << 20) async throws -> String {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<String, any Error>) in
            Thread {
                let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_addr.s_addr = inet_addr("127.0.0.1")
                address.sin_port = UInt16(port).bigEndian
                let connected = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
                guard connected == 0 else {
                    close(fd)
                    return continuation.resume(throwing: POSIXError(.ECONNREFUSED))
                }
                var timeout = timeval(tv_sec: 10, tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                var received: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 65536)
                while received.count < readLimit {
                    let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                    if n <= 0 { break }
                    received += buffer[0..<n]
                    if Self.isComplete(received) { break }
                }
                close(fd)
                continuation.resume(returning: String(decoding: received, as: UTF8.self))
            }.start()
        }
    }

    /// Whether a whole response (headers and Content-Length bytes of body) is in.
    static func isComplete(_ bytes: [UInt8]) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return false }
        let head = text[..<end.lowerBound].lowercased()
        guard let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
            let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
        else { return false }
        return text[end.upperBound...].utf8.count >= length
    }

    /// Runs the server on `listen` around `body`, then shuts it down gracefully.
    static func serving(_ t: TestDesk, listen: DeskListen, _ body: @Sendable (Int) async throws -> Void) async throws {
        let (ready, readyContinuation) = AsyncStream.makeStream(of: Int.self)
        let server = DeskServer(
            responder: t.desk.router().buildResponder(),
            listen: listen,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        ) { address in
            readyContinuation.yield(address?.port ?? 0)
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [server],
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
            )
        )
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ready.makeAsyncIterator()
            let port = await iterator.next() ?? 0
            do {
                try await body(port)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test func servesOnAnInheritedSocket() async throws {
        let t = try TestDesk()
        defer { t.folder.remove() }
        let (fd, port) = try Self.listeningSocket()
        try await Self.serving(t, listen: .inherited(fd)) { reported in
            #expect(reported == port)
            let answer = try await Self.exchange(
                port: port,
                Array("GET /healthz HTTP/1.1\r\nHost: desk\r\nConnection: close\r\n\r\n".utf8)
            )
            #expect(answer.hasPrefix("HTTP/1.1 200 OK"))
            #expect(answer.hasSuffix("ok\n"))
            let page = try await Self.exchange(
                port: port,
                Array("GET /signin HTTP/1.1\r\nHost: desk\r\nConnection: close\r\n\r\n".utf8)
            )
            #expect(page.contains("Content-Security-Policy: default-src 'none'"))
            #expect(page.contains("<title>登录"))
        }
    }

    @Test func aHundredMegabyteUploadIsRefusedBeforeItsBodyIsRead() async throws {
        let t = try TestDesk()
        defer { t.folder.remove() }
        // A signed-in secretary (the session made directly in the ledger).
        let id = String(repeating: "ab", count: 32)
        try t.ledger.createSession(
            WebSession(
                idHash: Desk.sha256Hex(id),
                address: "wangwu@hospital.example",
                csrf: String(repeating: "c", count: 64),
                createdAt: t.desk.unixNow,
                lastSeen: t.desk.unixNow,
                client: "test"
            )
        )
        try await Self.serving(t, listen: .address(host: "127.0.0.1", port: 0)) { port in
            // Headers announce 100 MB; only the first kilobyte is sent.
            let head =
                "POST /record/surgery-2026/committee/2026-11 HTTP/1.1\r\nHost: desk\r\nCookie: pk_session=\(id)\r\n"
                + "Content-Type: multipart/form-data; boundary=xyz\r\nContent-Length: \(100 << 20)\r\n\r\n"
            let answer = try await Self.exchange(
                port: port,
                Array(head.utf8) + [UInt8](repeating: 0x41, count: 1024),
                readLimit: 64 * 1024
            )
            #expect(answer.hasPrefix("HTTP/1.1 413"))
            #expect(answer.contains("提交的内容太大"))
        }
        #expect(try t.ledger.records().isEmpty)
        #expect(t.evidence.temporaryFiles.isEmpty)
    }
}
