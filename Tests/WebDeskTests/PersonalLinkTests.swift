import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import Outbox
import Records
import Testing
import Vocabulary
import WorkCalendar
@testable import WebDesk

/// The personal link a notice mail carries: `/o/TOKEN` opens that one
/// occurrence's record page without signing in.
@Suite struct PersonalLinkTests {
    func link(
        _ t: TestDesk,
        period: String = "2026-11",
        to recipient: String = "wangwu@hospital.example",
        expiresAt: Int64? = nil
    ) throws -> String {
        "/o/"
            + (try #require(
                TestDesk.tokens.occurrenceLink(
                    plan: "surgery-2026",
                    item: "committee",
                    period: period,
                    recipient: recipient,
                    expiresAt: expiresAt ?? t.desk.unixNow + 400 * 86_400
                )
            ))
    }

    @Test func aGetShowsTheFormAndRecordsNothing() async throws {
        let t = try TestDesk()
        defer { t.folder.remove() }
        let url = try link(t)
        try await t.app().test(.router) { client in
            let scanner = Browser(client)
            let page = try await scanner.get(url)
            #expect(page.status == .ok)
            #expect(scanner.lastPage.contains("支部委员会会议") && scanner.lastPage.contains("登记完成情况"))
            #expect(scanner.cookies.keys.allSatisfy { !$0.contains("session") })
            #expect(try t.ledger.records().isEmpty)
        }
    }

    @Test func theFormRecordsAsTheRecipientAndConfirms() async throws {
        let t = try TestDesk()
        defer { t.folder.remove() }
        let url = try link(t)
        try await t.app().test(.router) { client in
            let browser = Browser(client)
            try await browser.get(url)
            let posted = try await browser.postMultipart(
                url,
                [("done_on", "2026-11-19")],
                files: [("签到表.jpg", DeskFlowTests.jpeg)]
            )
            #expect(posted.status == .seeOther)
            let location = try #require(posted.headers[.location])
            #expect(location.hasPrefix(url + "?recorded="))
            try await browser.get(location)
            #expect(browser.lastPage.contains("按时完成"))
            let records = try t.ledger.records()
            #expect(
                records.count == 1 && records.first?.by == "王五" && records.first?.byAddress == "wangwu@hospital.example"
                    && records.first?.source == .web
            )
            // And it can be taken back through the same link.
            try await browser.post(url + "/undo", [("record", String(records[0].id))])
            #expect(try t.ledger.records().isEmpty)
        }
    }

    /// The link the notice mail carries, as the Outbox composes it with the
    /// same key, opens that occurrence's page for that person.
    @Test func theLinkANoticeMailCarriesOpensItsPage() async throws {
        let t = try TestDesk()
        defer { t.folder.remove() }
        let links = WebLinks(signer: TestDesk.tokens.signer, base: "https://dangjian.hospital.example", expiryDays: 400)
        let day = try #require(CivilDate(iso: "2026-11-18"))
        let mailed = try #require(
            links.link(
                for: OccurrenceKey(plan: "surgery-2026", item: "committee", period: "2026-11"),
                to: Address(name: "王五", address: "wangwu@hospital.example"),
                date: day
            )
        )
        let path = String(mailed.dropFirst("https://dangjian.hospital.example".count))
        #expect(path.hasPrefix("/o/"))
        try await t.app().test(.router) { client in
            let browser = Browser(client)
            let page = try await browser.get(path)
            #expect(page.status == .ok)
            #expect(browser.lastPage.contains("支部委员会会议") && browser.lastPage.contains("登记完成情况"))
            #expect(browser.lastPage.contains("王五"))
        }
    }

    @Test func aChangedExpiredOrForeignLinkOpensNothing() async throws {
        let t = try TestDesk()
        defer { t.folder.remove() }
        let good = try link(t)
        var chars = Array(good)
        chars[chars.count - 3] = chars[chars.count - 3] == "a" ? "b" : "a"
        let changed = String(chars)
        let expired = try link(t, expiresAt: t.desk.unixNow - 60)
        // A link sent to someone the plans do not name.
        let stranger = try link(t, to: "mallory@evil.example")
        try await t.app().test(.router) { client in
            let browser = Browser(client)
            let first = try await browser.get(changed)
            #expect(first.status == .notFound)
            #expect(try await browser.get(expired).status == .gone)
            #expect(try await browser.get(stranger).status == .notFound)
            try await browser.get("/signin")
            let posted = try await browser.postMultipart(changed, [("done_on", "2026-11-19")], files: [])
            #expect(posted.status == .notFound)
            #expect(try t.ledger.records().isEmpty)
        }
    }

    @Test func theOfficesLinkShowsButDoesNotRecord() async throws {
        let t = try TestDesk()
        defer { t.folder.remove() }
        let url = try link(t, to: "dangban@hospital.example")
        try await t.app().test(.router) { client in
            let browser = Browser(client)
            let page = try await browser.get(url)
            #expect(page.status == .ok)
            #expect(browser.lastPage.contains("您不是这个计划的联系人"))
            let posted = try await browser.postMultipart(url, [("done_on", "2026-11-19")], files: [])
            #expect(posted.status == .forbidden)
            #expect(try t.ledger.records().isEmpty)
        }
    }
}
