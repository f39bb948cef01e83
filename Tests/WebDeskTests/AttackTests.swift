import Config
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import NIOCore
import Testing
@testable import WebDesk

/// What an attacker (or an unlucky new user) tries; each test is named in
/// docs/threat-model.md next to the defence it proves.
@Suite struct AttackTests {
    @Test func anotherBranchsRecordPageByURLIsNotFound() async throws {
        let t = try TestDesk()
        defer { t.folder.remove() }
        try await t.app().test(.router) { client in
            let browser = Browser(client)
            try await browser.signIn("wangwu@hospital.example", desk: t)
            let page = try await browser.get("/record/medicine-2026/committee/2026-11")
            #expect(page.status == .notFound)
            #expect(!browser.lastPage.contains("内科第一党支部"))
            // The same answer as for a plan that does not exist: ids cannot be probed.
            let missing = try await browser.get("/record/no-such-plan/committee/2026-11")
            #expect(missing.status == .notFound)
            try await browser.get("/todo")
            let post = try await browser.postMultipart(
                "/record/medicine-2026/committee/2026-11",
                [("done_on", "2026-11-19")],
                files: []
            )
            #expect(post.status == .notFound)
            #expect(try t.ledger.records().isEmpty)
        }
    }

    @Test func signedOutPagesSendToSignIn() async throws {
        let t = try TestDesk()
        defer { t.folder.remove() }
        try await t.app().test(.router) { client in
            let browser = Browser(client)
            let page = try await browser.get("/record/surgery-2026/committee/2026-11")
            #expect(page.status == .seeOther)
            #expect(page.headers[.location] == "/signin?next=%2Frecord%2Fsurgery-2026%2Fcommittee%2F2026-11")
        }
    }

    @Test func aPostWithoutOrWithAStaleFormTokenChangesNothing() async throws {
        let t = try TestDesk()
        defer { t.folder.remove() }
        try await t.app().test(.router) { client in
            let browser = Browser(client)
            try await browser.signIn("wangwu@hospital.example", desk: t)
            try await browser.get("/record/surgery-2026/committee/2026-11")
            let stale = try #require(browser.formToken)
            // No token at all (a cross-site form cannot read it).
            let none = try await browser.postMultipart(
                "/record/surgery-2026/committee/2026-11",
                [("done_on", "2026-11-19")],
                files: [("a.jpg", DeskFlowTests.jpeg)],
                token: ""
            )
            #expect(none.status == .forbidden)
            #expect(browser.lastPage.contains("表单已过期"))
            // A token of the right shape that is not this session's.
            let forged = try await browser.postMultipart(
                "/record/surgery-2026/committee/2026-11",
                [("done_on", "2026-11-19")],
                files: [],
                token: String(repeating: "a", count: 64)
            )
            #expect(forged.status == .forbidden)
            // Signed out and in again: the old page's token is stale.
            try await browser.get("/me")
            try await browser.post("/signout", [])
            try await browser.signIn("wangwu@hospital.example", desk: t)
            let old = try await browser.postMultipart(
                "/record/surgery-2026/committee/2026-11",
                [("done_on", "2026-11-19")],
                files: [("a.jpg", DeskFlowTests.jpeg)],
                token: stale
            )
            #expect(old.status == .forbidden)
            #expect(try t.ledger.records().isEmpty)
            // Nothing of the refused uploads was kept.
            #expect(t.evidence.storedFiles.isEmpty && t.evidence.temporaryFiles.isEmpty)
            // Plain forms too.
            let undo = try await browser.post("/signout-everywhere", [], token: "")
            #expect(undo.status == .forbidden)
        }
    }

    @Test func aSignInLinkWorksOnce() async throws {
        let t = try TestDesk()
        defer { t.folder.remove() }
        try await t.app().test(.router) { client in
            let browser = Browser(client)
            try await browser.get("/signin")
            try await browser.post("/signin", [("address", "wangwu@hospital.example")])
            await t.desk.flushMail()
            let link = try #require(try t.mails().compactMap(Mail.link).first)
            // A mail scanner opening the link signs nobody in.
            let scanned = try await Browser(client).get(link)
            #expect(scanned.status == .ok)
            #expect(scanned.headers[.setCookie]?.contains("pk_session") != true)
            try await browser.get(link)
            let first = try await browser.post(link, [])
            #expect(first.status == .seeOther)
            // Used: a second browser (or the same link again) gets nothing.
            let other = Browser(client)
            try await other.get(link)
            #expect(other.lastPage.contains("无效或已用过"))
            let second = try await other.post(link, [])
            #expect(second.status == .gone)
            #expect(other.cookies["pk_session"] == nil)
        }
    }

    @Test func aSignInLinkExpiresAfterFifteenMinutes() async throws {
        let t = try TestDesk()
        defer { t.folder.remove() }
        try await t.app().test(.router) { client in
            let browser = Browser(client)
            try await browser.get("/signin")
            try await browser.post("/signin", [("address", "wangwu@hospital.example")])
            await t.desk.flushMail()
            let link = try #require(try t.mails().compactMap(Mail.link).first)
            t.clock.advance(seconds: 15 * 60)
            let page = try await browser.get(link)
            #expect(page.status == .gone)
            #expect(browser.lastPage.contains("已过期"))
            let post = try await browser.post(link, [])
            #expect(post.status == .gone)
            #expect(browser.cookies["pk_session"] == nil)
        }
    }

    @Test func unknownAddressesGetTheSameAnswerAndNoMail() async throws {
        let t = try TestDesk()
        defer { t.folder.remove() }
        try await t.app().test(.router) { client in
            let browser = Browser(client)
            try await browser.get("/signin")
            let known = try await browser.post("/signin", [("address", "wangwu@hospital.example")])
            let knownPage = browser.lastPage
            try await browser.get("/signin")
            let unknown = try await browser.post("/signin", [("address", "mallory@evil.example")])
            #expect(known.status == unknown.status)
            #expect(knownPage == browser.lastPage)
            await t.desk.flushMail()
            let mails = try t.mails()
            #expect(mails.count == 1)
            #expect(!mails.joined().contains("mallory"))
        }
    }

    @Test func aFloodOfSignInRequestsIsLimitedAndSendsLittleMail() async throws {
        let t = try TestDesk()
        defer { t.folder.remove() }
        try await t.app().test(.router) { client in
            let browser = Browser(client)
            try await browser.get("/signin")
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<100 {
                statuses.append(try await browser.post("/signin", [("address", "wangwu@hospital.example")]).status)
            }
            await t.desk.flushMail()
            // At most sign-in-per-address (5) mails, whatever was asked.
            #expect(try t.mails().count == 5)
            // The client itself is cut off after sign-in-per-client (30) requests.
            #expect(statuses.prefix(30).allSatisfy { $0 == .ok })
            #expect(statuses.dropFirst(30).allSatisfy { $0 == .tooManyRequests }, "\(statuses.map(\.code))")
        }
    }

    @Test func htmlAndScriptInANoteAndAFileNameStayText() async throws {
        let t = try TestDesk()
        defer { t.folder.remove() }
        try await t.app().test(.router) { client in
            let browser = Browser(client)
            try await browser.signIn("wangwu@hospital.example", desk: t)
            try await browser.get("/record/surgery-2026/committee/2026-11")
            let evil = "<script>alert('x')</script><img src=x onerror=alert(1)>"
            let posted = try await browser.postMultipart(
                "/record/surgery-2026/committee/2026-11",
                [("done_on", "2026-11-19"), ("minutes", evil), ("attendees", "\"><svg onload=alert(2)>")],
                files: [("<img src=x onerror=alert(3)>.jpg", DeskFlowTests.jpeg)]
            )
            #expect(posted.status == .seeOther)
            let page = try await browser.get("/record/surgery-2026/committee/2026-11")
            let html = browser.lastPage
            #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
            #expect(!html.contains("<script>alert"))
            #expect(!html.contains("<img src=x"))
            #expect(!html.contains("<svg"))
            #expect(html.count(of: "<script") == 1)  // the page's own script tag, from /assets
            let csp = try #require(page.headers[.contentSecurityPolicy])
            #expect(
                csp.contains("default-src 'none'") && csp.contains("script-src 'self'")
                    && csp.contains("frame-ancestors 'none'")
            )
        }
    }

    @Test func pathsInAttachmentNamesAreIgnoredAndDownloadsAreAttachments() async throws {
        let t = try TestDesk()
        defer { t.folder.remove() }
        try await t.app().test(.router) { client in
            let browser = Browser(client)
            try await browser.signIn("wangwu@hospital.example", desk: t)
            try await browser.get("/record/surgery-2026/committee/2026-11")
            try await browser.postMultipart(
                "/record/surgery-2026/committee/2026-11",
                [("done_on", "2026-11-19")],
                files: [("../../../../etc/cron.d/evil.jpg", DeskFlowTests.jpeg)]
            )
            // Stored by hash inside the store, nowhere else.
            #expect(t.evidence.storedFiles.count == 1)
            #expect(t.evidence.storedFiles.first?.count == 64)
            #expect(!FileManager.default.fileExists(atPath: t.folder.path + "/etc"))
            try await browser.get("/record/surgery-2026/committee/2026-11")
            #expect(browser.lastPage.contains(">evil.jpg<"))
            #expect(!browser.lastPage.contains("../"))
        }
    }

    @Test func oversizedUploadsAreRefusedBeforeTheyAreRead() async throws {
        let t = try TestDesk {
            $0.web.limits.uploadBytes = 64 * 1024
            $0.web.limits.requestBytes = 256 * 1024
        }
        defer { t.folder.remove() }
        try await t.app().test(.router) { client in
            let browser = Browser(client)
            try await browser.signIn("wangwu@hospital.example", desk: t)
            try await browser.get("/record/surgery-2026/committee/2026-11")
            let token = browser.formToken
            // More than request-size in all (a 100 MB upload over a real socket: DeskServerTests).
            let all = try await browser.postMultipart(
                "/record/surgery-2026/committee/2026-11",
                [("done_on", "2026-11-19")],
                files: (0..<5).map { ("p\($0).jpg", DeskFlowTests.jpeg + [UInt8](repeating: 0x41, count: 60 * 1024)) },
                token: token
            )
            #expect(all.status == .contentTooLarge)
            // One file over the per-file limit.
            let big = DeskFlowTests.jpeg + [UInt8](repeating: 0x41, count: 100 * 1024)
            let file = try await browser.postMultipart(
                "/record/surgery-2026/committee/2026-11",
                [("done_on", "2026-11-19")],
                files: [("big.jpg", big)],
                token: token
            )
            #expect(file.status == .contentTooLarge)
            // Too many files.
            let many = try await browser.postMultipart(
                "/record/surgery-2026/committee/2026-11",
                [("done_on", "2026-11-19")],
                files: (0..<11).map { ("p\($0).jpg", DeskFlowTests.jpeg) },
                token: token
            )
            #expect(many.status == .badRequest)
            // A file that is not evidence.
            let elf = try await browser.postMultipart(
                "/record/surgery-2026/committee/2026-11",
                [("done_on", "2026-11-19")],
                files: [("photo.jpg", Array("\u{7F}ELF\u{2}\u{1}".utf8) + [0, 0, 0])],
                token: token
            )
            #expect(elf.status == .badRequest)
            #expect(browser.lastPage.contains("不是可接受的文件类型"))
            #expect(try t.ledger.records().isEmpty)
            #expect(t.evidence.storedFiles.isEmpty && t.evidence.temporaryFiles.isEmpty)
        }
    }

    @Test func aLedgerLockedForAMomentMakesThePageWaitAndNothingIsLost() async throws {
        let t = try TestDesk { $0.web.limits.ledgerWaitMilliseconds = 3000 }
        defer { t.folder.remove() }
        try await t.app().test(.router) { client in
            let browser = Browser(client)
            try await browser.signIn("wangwu@hospital.example", desk: t)
            try await browser.get("/record/surgery-2026/committee/2026-11")
            // Another process (here: another connection) holds the write lock for one second.
            let holder = try LockHolder(path: t.folder.path + "/state/plankeeper.sqlite")
            try await holder.hold()
            // Let go after a second, while the page is waiting (ledger-wait is 3 s).
            let releasing = Task {
                try? await Task.sleep(for: .seconds(1))
                await holder.release()
            }
            let posted = try await browser.postMultipart(
                "/record/surgery-2026/committee/2026-11",
                [("done_on", "2026-11-19")],
                files: []
            )
            await releasing.value
            #expect(posted.status == .seeOther)
            #expect(try t.ledger.records().count == 1)
        }
    }

    @Test func aLedgerLockedTooLongSaysSoAndKeepsTheForm() async throws {
        let t = try TestDesk { $0.web.limits.ledgerWaitMilliseconds = 200 }
        defer { t.folder.remove() }
        try await t.app().test(.router) { client in
            let browser = Browser(client)
            try await browser.signIn("wangwu@hospital.example", desk: t)
            try await browser.get("/record/surgery-2026/committee/2026-11")
            let holder = try LockHolder(path: t.folder.path + "/state/plankeeper.sqlite")
            try await holder.hold()
            let posted = try await browser.postMultipart(
                "/record/surgery-2026/committee/2026-11",
                [("done_on", "2026-11-19"), ("minutes", "不要丢失的纪要")],
                files: []
            )
            await holder.release()
            #expect(posted.status == .serviceUnavailable)
            #expect(browser.lastPage.contains("台账正忙"))
            #expect(browser.lastPage.contains("不要丢失的纪要"))
            #expect(posted.headers[.retryAfter] == "5")
            // Once the lock is gone the same form goes through.
            let again = try await browser.postMultipart(
                "/record/surgery-2026/committee/2026-11",
                [("done_on", "2026-11-19"), ("minutes", "不要丢失的纪要")],
                files: []
            )
            #expect(again.status == .seeOther)
            #expect(try t.ledger.records().first?.note == "不要丢失的纪要")
        }
    }

    @Test func everyAnswerCarriesTheSecurityHeaders() async throws {
        let t = try TestDesk()
        defer { t.folder.remove() }
        try await t.app().test(.router) { client in
            for uri in ["/signin", "/no/such/page", "/assets/desk.css", "/todo"] {
                let response = try await client.execute(uri: uri, method: .get, headers: [:], body: nil)
                #expect(response.headers[.contentSecurityPolicy] == SecurityHeaders.contentSecurityPolicy, "\(uri)")
                #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff", "\(uri)")
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer", "\(uri)")
            }
            let signin = try await client.execute(uri: "/signin", method: .get, headers: [:], body: nil)
            let cookie = try #require(signin.headers[.setCookie])
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"))
        }
    }

    @Test func cookiesAreSecureBehindHTTPS() async throws {
        let t = try TestDesk { $0.web.url = "https://dangjian.hospital.example" }
        defer { t.folder.remove() }
        try await t.app().test(.router) { client in
            let signin = try await client.execute(uri: "/signin", method: .get, headers: [:], body: nil)
            let cookie = try #require(signin.headers[.setCookie])
            #expect(cookie.hasPrefix("__Host-pk_form="))
            #expect(cookie.contains("; Secure"))
        }
    }
}

/// Holds SQLite's write lock on a ledger file from a connection of its own,
/// as the daemon's tick or `mail-in` would, on a thread of its own (not a
/// task: the test's tasks must not wait for a thread the pool lacks), until
/// `release()`.
final class LockHolder: @unchecked Sendable {
    let queue: DatabaseQueue
    private let releaseSignal = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)

    init(path: String) throws {
        queue = try DatabaseQueue(path: path)
    }

    /// Takes the lock and returns once it is held.
    func hold() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread { [queue, releaseSignal, done] in
                do {
                    try queue.inDatabase { db in
                        try db.execute(sql: "BEGIN IMMEDIATE")
                        continuation.resume()
                        releaseSignal.wait()
                        try db.execute(sql: "COMMIT")
                    }
                } catch {
                    continuation.resume(throwing: error)
                }
                done.signal()
            }.start()
        }
    }

    /// Lets the lock go and returns once it is gone.
    func release() async {
        releaseSignal.signal()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread { [done] in
                done.wait()
                continuation.resume()
            }.start()
        }
    }
}
