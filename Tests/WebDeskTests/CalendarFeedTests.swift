import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebDesk

@Suite struct CalendarFeedTests {
    @Test func aPersonSubscribesToTheirItemsWithoutSigningInAgain() async throws {
        let t = try TestDesk()
        defer { t.folder.remove() }
        try await t.app().test(.router) { client in
            let browser = Browser(client)
            try await browser.signIn("wangwu@hospital.example", desk: t)
            try await browser.get("/me")
            let urls = browser.lastPage.matches(of: #/value="http://desk\.test(/calendar/[^"]+\.ics)"/#).map {
                String($0.1)
            }
            #expect(urls.count == 2)  // their own, and their branch's
            // A calendar app sends no cookie.
            let feed = try await client.execute(uri: try #require(urls.first), method: .get, headers: [:], body: nil)
            #expect(feed.status == .ok)
            #expect(feed.headers[.contentType] == "text/calendar; charset=utf-8")
            let ics = String(buffer: feed.body)
            #expect(ics.hasPrefix("BEGIN:VCALENDAR"))
            #expect(ics.contains("UID:surgery-2026/committee/2026-11@"))
            #expect(!ics.contains("medicine-2026"))
            // A changed token is no feed.
            var altered = try #require(urls.first)
            altered = String(altered.dropLast(5)) + "x.ics"
            #expect(try await client.execute(uri: altered, method: .get, headers: [:], body: nil).status == .notFound)
            #expect(
                try await client.execute(uri: "/calendar/nothing.ics", method: .get, headers: [:], body: nil).status
                    == .notFound
            )
        }
    }
}
