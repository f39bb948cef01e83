import Config
import Diagnostics
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import Logging
import NIOCore
import Spool
import Synchronization
import Testing
import Tokens
import Vocabulary
@testable import WebDesk

/// A fresh folder per test, removed by `remove()`.
struct TemporaryFolder {
    let path: String

    init() throws {
        path =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("plankeeper-web-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A wall clock the test moves.
final class TestClock: Sendable {
    private let value: Mutex<Date>
    init(_ iso: String) { value = Mutex(ISO8601DateFormatter().date(from: iso) ?? Date(timeIntervalSince1970: 0)) }
    var now: Date { value.withLock { $0 } }
    func advance(seconds: TimeInterval) { value.withLock { $0 += seconds } }
}

/// What the evidence store (mail-in's, under the state folder) holds.
struct StoredEvidence {
    let state: String

    /// The digests of the files kept (`evidence/ab/cdef…` → `abcdef…`).
    var storedFiles: [String] {
        let root = state + "/evidence"
        let fm = FileManager.default
        return ((try? fm.contentsOfDirectory(atPath: root)) ?? []).filter { $0 != "tmp" }.flatMap { prefix in
            ((try? fm.contentsOfDirectory(atPath: root + "/" + prefix)) ?? []).map { prefix + $0 }
        }.sorted()
    }

    /// Anything left half-way: uploads not kept, store writes not finished.
    var temporaryFiles: [String] {
        let fm = FileManager.default
        return ((try? fm.contentsOfDirectory(atPath: state + "/web-uploads")) ?? [])
            + ((try? fm.contentsOfDirectory(atPath: state + "/evidence/tmp")) ?? [])
    }
}

/// A desk over the fixture plans, a ledger file and a spool in a temporary
/// folder, on 2026-11-20 10:00 Beijing time unless told otherwise.
struct TestDesk {
    let folder: TemporaryFolder
    let desk: Desk
    let clock: TestClock
    let spool: Spool
    let evidence: StoredEvidence
    let ledger: Ledger

    static let fixturePlans: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/plans").path
    }()

    init(now: String = "2026-11-20T02:00:00Z", configure: (inout DaemonConfig) -> Void = { _ in }) throws {
        folder = try TemporaryFolder()
        var config = DaemonConfig()
        config.plans = Self.fixturePlans
        config.holidays = nil
        config.state = folder.path + "/state"
        config.spool = folder.path + "/spool"
        config.mail.from = "党建工作计划提醒 <plankeeper@hospital.example>"
        config.web.url = "http://desk.test"
        config.web.admins = ["it@hospital.example"]
        config.web.limits.ledgerWaitMilliseconds = 300
        config.reports = [
            DaemonConfig.ReportSchedule(period: .quarter, to: [.init(name: "纪委", address: "jiwei@hospital.example")])
        ]
        configure(&config)
        clock = TestClock(now)
        ledger = try Ledger.open(
            folder: config.state,
            waitingAtMost: .milliseconds(config.web.limits.ledgerWaitMilliseconds)
        )
        spool = try Spool(directory: config.spool)
        evidence = StoredEvidence(state: config.state)
        let plans = DeskPlans(config: config)
        let diagnostics = plans.reload()
        #expect(!diagnostics.contains { $0.severity == .error }, "fixture plans: \(diagnostics)")
        let clock = self.clock
        desk = try Desk(
            settings: Desk.Settings(config: config),
            ledger: ledger,
            spool: spool,
            plans: plans,
            links: Self.tokens,
            evidence: try DeskEvidence(config: config),
            logger: Logger(label: "web-test", factory: { _ in SwiftLogNoOpLogHandler() }),
            now: { clock.now }
        )
    }

    /// The real signer, with a fixed test key.
    static let tokens: SignedDeskTokens = {
        let key = TokenKey(id: 1, bytes: Array(repeating: 42, count: 32))!
        return SignedDeskTokens(signer: TokenSigner(keyring: TokenKeyring(current: key)!))
    }()

    func app() -> some ApplicationProtocol {
        Application(router: desk.router())
    }

    /// The spooled mails (bodies decoded), oldest name first.
    func mails() throws -> [String] {
        try spool.list(.new).sorted().map { name in
            let data = FileManager.default.contents(atPath: spool.directory + "/new/" + name) ?? Data()
            return Mail.decode([UInt8](data))
        }
    }
}

enum Mail {
    /// Headers as they are, the base64 body decoded.
    static func decode(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { return text }
        let body = text[split.upperBound...].replacingOccurrences(of: "\r\n", with: "")
        let decoded = Data(base64Encoded: body).map { String(decoding: $0, as: UTF8.self) } ?? String(body)
        return String(text[..<split.lowerBound]) + "\n\n" + decoded
    }

    static func link(in mail: String) -> String? {
        guard
            let range = mail.range(
                of: #"http://desk\.test/signin/[A-Za-z0-9]+(\?[^\s]*)?"#,
                options: .regularExpression
            )
        else { return nil }
        return String(mail[range].dropFirst("http://desk.test".count))
    }
}

/// A browser for in-process tests: keeps cookies, reads the form token off
/// pages, follows nothing by itself.
final class Browser: @unchecked Sendable {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]
    var lastPage = ""

    init(_ client: any TestClientProtocol) { self.client = client }

    var cookieHeader: String {
        cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
    }

    @discardableResult
    func get(_ uri: String) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if !cookies.isEmpty { headers[.cookie] = cookieHeader }
        return try await keep(client.execute(uri: uri, method: .get, headers: headers, body: nil))
    }

    @discardableResult
    func post(_ uri: String, _ fields: [(String, String)], token: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if !cookies.isEmpty { headers[.cookie] = cookieHeader }
        var all = fields
        if let token = token ?? formToken { all.insert(("_csrf", token), at: 0) }
        let body = all.map { PercentDecoding.encode($0.0) + "=" + PercentDecoding.encode($0.1) }.joined(separator: "&")
        return try await keep(client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body)))
    }

    /// A multipart form: `_csrf` first (unless `token` is empty), then the fields, then the files.
    @discardableResult
    func postMultipart(
        _ uri: String,
        _ fields: [(String, String)],
        files: [(name: String, bytes: [UInt8])],
        token: String? = nil,
        extraHeaders: HTTPFields = [:]
    ) async throws -> TestResponse {
        let boundary = "----plankeeperTestBoundary7MA4YWxkTrZu0gW"
        var body: [UInt8] = []
        func part(_ headers: String, _ content: [UInt8]) {
            body += Array("--\(boundary)\r\n\(headers)\r\n\r\n".utf8) + content + Array("\r\n".utf8)
        }
        let csrf = token ?? formToken ?? ""
        if !csrf.isEmpty { part("Content-Disposition: form-data; name=\"_csrf\"", Array(csrf.utf8)) }
        for (name, value) in fields { part("Content-Disposition: form-data; name=\"\(name)\"", Array(value.utf8)) }
        for file in files {
            part(
                "Content-Disposition: form-data; name=\"files\"; filename=\"\(file.name)\"\r\nContent-Type: application/octet-stream",
                file.bytes
            )
        }
        body += Array("--\(boundary)--\r\n".utf8)
        var headers: HTTPFields = [.contentType: "multipart/form-data; boundary=\(boundary)"]
        for field in extraHeaders { headers[field.name] = field.value }
        if !cookies.isEmpty { headers[.cookie] = cookieHeader }
        return try await keep(client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: body)))
    }

    private func keep(_ response: TestResponse) -> TestResponse {
        for field in response.headers where field.name == .setCookie {
            let pair = field.value.split(separator: ";").first.map(String.init) ?? ""
            let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count >= 1 else { continue }
            let value = kv.count == 2 ? kv[1] : ""
            if value.isEmpty || field.value.contains("Max-Age=0") {
                cookies[kv[0]] = nil
            } else {
                cookies[kv[0]] = value
            }
        }
        lastPage = String(buffer: response.body)
        return response
    }

    /// The `_csrf` value of the last page's first form.
    var formToken: String? {
        guard let range = lastPage.range(of: #"name="_csrf" value="[0-9a-f]+""#, options: .regularExpression) else {
            return nil
        }
        return String(lastPage[range].dropFirst(#"name="_csrf" value=""#.count).dropLast())
    }

    /// Signs in `address` the way a person does: asks for a link, reads it
    /// from the spool, opens it, presses the button.
    func signIn(_ address: String, desk: TestDesk) async throws {
        let before = Set(try desk.spool.list(.new))
        try await get("/signin")
        let asked = try await post("/signin", [("address", address), ("next", "/todo")])
        #expect(asked.status == .ok)
        await desk.desk.flushMail()
        let new = try desk.spool.list(.new).filter { !before.contains($0) }
        let mail = try #require(
            new.first.map {
                Mail.decode(
                    [UInt8](FileManager.default.contents(atPath: desk.spool.directory + "/new/" + $0) ?? Data())
                )
            }
        )
        let link = try #require(Mail.link(in: mail))
        let confirm = try await get(link)
        #expect(confirm.status == .ok)
        let done = try await post(String(link.split(separator: "?").first ?? ""), [("next", "/todo")])
        #expect(done.status == .seeOther)
    }
}

extension String {
    func count(of needle: String) -> Int { components(separatedBy: needle).count - 1 }
}
