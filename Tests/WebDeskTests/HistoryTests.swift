import Config
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import Records
import Testing
@testable import WebDesk

/// History (issue 15): what was overdue before tracking started is not
/// listed item by item on 我的待办; it can be acknowledged in one go.
@Suite struct HistoryTests {
    @Test func historyIsOneLineAndOneButton() async throws {
        let t = try TestDesk { $0.notices.trackFrom = "2026-11-18" }
        defer { t.folder.remove() }
        try await t.app().test(.router) { client in
            let browser = Browser(client)
            try await browser.signIn("wangwu@hospital.example", desk: t)
            try await browser.get("/todo")
            let page = browser.lastPage
            // Ten committee meetings (January to October) and three lectures were history.
            #expect(page.contains("尚未登记的事项 13 项"))
            #expect(!page.contains("/record/surgery-2026/committee/2026-01\""))
            // The November meeting is tracked, listed as usual.
            #expect(page.contains("/record/surgery-2026/committee/2026-11\""))
            // On the ledger, history reads 未跟踪.
            try await browser.get("/ledger")
            #expect(browser.lastPage.contains("未跟踪"))

            try await browser.get("/todo")
            let acknowledged = try await browser.post("/history/acknowledge", [])
            #expect(acknowledged.headers[.location] == "/todo?acknowledged=13")
            let records = try t.ledger.records(plan: "surgery-2026")
            #expect(records.count == 13)
            #expect(records.allSatisfy { $0.source == .web && $0.byAddress == "wangwu@hospital.example" })
            #expect(records.first { $0.period == "2026-01" }?.doneOn == "2026-01-23")
            try await browser.get("/todo?acknowledged=13")
            #expect(browser.lastPage.contains("已确认 13 项历史事项"))
            #expect(!browser.lastPage.contains("全部确认已完成"))
        }
    }

    @Test func withoutATrackingStartNothingIsHistory() async throws {
        let t = try TestDesk()
        defer { t.folder.remove() }
        try await t.app().test(.router) { client in
            let browser = Browser(client)
            try await browser.signIn("wangwu@hospital.example", desk: t)
            try await browser.get("/todo")
            #expect(!browser.lastPage.contains("全部确认已完成"))
            #expect(browser.lastPage.contains("/record/surgery-2026/committee/2026-01\""))
        }
    }
}
