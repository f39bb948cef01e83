import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import Records
import Testing
@testable import WebDesk

/// A branch secretary's morning, in-process: sign in from the mailed link,
/// see 我的待办, record the committee meeting with a photo, see it, undo it.
@Suite struct DeskFlowTests {
    static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF photo of the sign-in sheet".utf8)

    @Test func signInSeeTodoRecordAndUndo() async throws {
        let t = try TestDesk()
        defer { t.folder.remove() }
        try await t.app().test(.router) { client in
            let browser = Browser(client)
            try await browser.signIn("wangwu@hospital.example", desk: t)

            let todo = try await browser.get("/todo")
            #expect(todo.status == .ok)
            let page = browser.lastPage
            #expect(page.contains("我的待办"))
            #expect(page.contains("王五"))
            // On 2026-11-20 the November committee meeting (due 11-25) is due within 14 days,
            // the October one is overdue and listed first.
            let overdue = try #require(page.range(of: "已逾期"))
            let soon = try #require(page.range(of: "14 天内到期"))
            #expect(overdue.lowerBound < soon.lowerBound)
            #expect(page.contains("/record/surgery-2026/committee/2026-11"))
            // Another branch's work is not on it.
            #expect(!page.contains("medicine-2026"))

            try await browser.get("/record/surgery-2026/committee/2026-11")
            #expect(browser.lastPage.contains("支部委员会会议"))
            let posted = try await browser.postMultipart(
                "/record/surgery-2026/committee/2026-11",
                [("done_on", "2026-11-19"), ("attendees", "王五、陈刚等 9 人"), ("minutes", "学习二十届四中全会精神。")],
                files: [("签到表.jpg", Self.jpeg)]
            )
            #expect(posted.status == .seeOther)
            let location = try #require(posted.headers[.location])
            #expect(location.hasPrefix("/recorded/"))
            try await browser.get(location)
            #expect(browser.lastPage.contains("按时完成"))
            #expect(browser.lastPage.contains("签到表.jpg"))

            // The ledger has it, by the person, with the attendees and the evidence file kept by its hash.
            let records = try t.ledger.records(plan: "surgery-2026")
            #expect(records.count == 1)
            #expect(records.first?.doneOn == "2026-11-19")
            #expect(
                records.first?.by == "王五" && records.first?.byAddress == "wangwu@hospital.example"
                    && records.first?.source == .web
            )
            #expect(try t.ledger.attendees(recordIDs: records.map(\.id)).values.first == "王五、陈刚等 9 人")
            #expect(t.evidence.storedFiles.count == 1)
            #expect(t.evidence.temporaryFiles.isEmpty)

            // Recorded: no second form, and no word about not being a contact.
            try await browser.get("/record/surgery-2026/committee/2026-11")
            #expect(!browser.lastPage.contains("enctype=\"multipart/form-data\""))
            #expect(!browser.lastPage.contains("您不是这个计划的联系人"))
            // The to-do no longer lists it.
            try await browser.get("/todo")
            #expect(!browser.lastPage.contains("/record/surgery-2026/committee/2026-11\""))

            // Undo while the period is open.
            try await browser.get("/record/surgery-2026/committee/2026-11")
            let id = try #require(records.first?.id)
            let undone = try await browser.post("/record/surgery-2026/committee/2026-11/undo", [("record", String(id))])
            #expect(undone.status == .seeOther)
            #expect(try t.ledger.records(plan: "surgery-2026").isEmpty)
        }
    }

    @Test func aLateRecordSaysHowLate() async throws {
        let t = try TestDesk()
        defer { t.folder.remove() }
        try await t.app().test(.router) { client in
            let browser = Browser(client)
            try await browser.signIn("wangwu@hospital.example", desk: t)
            try await browser.get("/record/surgery-2026/committee/2026-10")
            // Due 2026-10-23 (the 25th is a Sunday; shifted earlier), done 10-28: 3 working days late.
            let posted = try await browser.postMultipart(
                "/record/surgery-2026/committee/2026-10",
                [("done_on", "2026-10-28")],
                files: []
            )
            let location = try #require(posted.headers[.location])
            try await browser.get(location)
            #expect(browser.lastPage.contains("逾期完成"))
            #expect(browser.lastPage.contains("晚 3 个工作日"))
        }
    }

    @Test func theRecordRulesRefuseWithTheFormKept() async throws {
        let t = try TestDesk()
        defer { t.folder.remove() }
        try await t.app().test(.router) { client in
            let browser = Browser(client)
            try await browser.signIn("wangwu@hospital.example", desk: t)
            try await browser.get("/record/surgery-2026/committee/2026-11")
            let future = try await browser.postMultipart(
                "/record/surgery-2026/committee/2026-11",
                [("done_on", "2026-11-21"), ("minutes", "我的纪要")],
                files: []
            )
            #expect(future.status == .unprocessableContent)
            #expect(browser.lastPage.contains("晚于今天（2026-11-20）"))
            #expect(browser.lastPage.contains("我的纪要"))
            let early = try await browser.postMultipart(
                "/record/surgery-2026/committee/2026-11",
                [("done_on", "2026-10-31")],
                files: []
            )
            #expect(early.status == .unprocessableContent)
            #expect(browser.lastPage.contains("早于周期 2026-11 的开始"))
            _ = try await browser.postMultipart(
                "/record/surgery-2026/committee/2026-11",
                [("done_on", "2026-11-02")],
                files: []
            )
            try await browser.get("/record/surgery-2026/committee/2026-11")
            // A second record: the form is no longer offered, and a forged post is refused by the rules.
            #expect(!browser.lastPage.contains("enctype=\"multipart/form-data\""))
            try await browser.get("/todo")
            let twice = try await browser.postMultipart(
                "/record/surgery-2026/committee/2026-11",
                [("done_on", "2026-11-03")],
                files: []
            )
            #expect(twice.status == .unprocessableContent)
            #expect(browser.lastPage.contains("已于 11-02 由王五登记完成"))
            #expect(try t.ledger.records(plan: "surgery-2026").count == 1)
        }
    }

    @Test func englishPerPerson() async throws {
        let t = try TestDesk()
        defer { t.folder.remove() }
        try await t.app().test(.router) { client in
            let browser = Browser(client)
            try await browser.signIn("wangwu@hospital.example", desk: t)
            try await browser.get("/todo")
            let switched = try await browser.post("/language", [("lang", "en"), ("back", "/todo")])
            #expect(switched.status == .seeOther)
            try await browser.get("/todo")
            #expect(browser.lastPage.contains("My to-do"))
            #expect(browser.lastPage.contains("lang=\"en\""))
            #expect(try t.ledger.webLanguage(address: "wangwu@hospital.example") == "en")
        }
    }

    @Test func theSupervisorLandsOnTheBoardAndRecordsNothing() async throws {
        let t = try TestDesk()
        defer { t.folder.remove() }
        try await t.app().test(.router) { client in
            let browser = Browser(client)
            try await browser.signIn("dangban@hospital.example", desk: t)
            let home = try await browser.get("/")
            #expect(home.headers[.location] == "/board")
            try await browser.get("/record/medicine-2026/committee/2026-11")
            #expect(browser.lastPage.contains("您不是这个计划的联系人"))
            let posted = try await browser.postMultipart(
                "/record/medicine-2026/committee/2026-11",
                [("done_on", "2026-11-19")],
                files: []
            )
            #expect(posted.status == .forbidden)
            #expect(try t.ledger.records().isEmpty)
        }
    }

    @Test func signOutEverywhereEndsOtherDevices() async throws {
        let t = try TestDesk()
        defer { t.folder.remove() }
        try await t.app().test(.router) { client in
            let phone = Browser(client)
            let pc = Browser(client)
            try await phone.signIn("wangwu@hospital.example", desk: t)
            try await pc.signIn("wangwu@hospital.example", desk: t)
            try await pc.get("/me")
            #expect(pc.lastPage.contains("2 个设备"))
            try await phone.get("/me")
            try await phone.post("/signout-everywhere", [])
            let after = try await pc.get("/todo")
            #expect(after.status == .seeOther)
            #expect(after.headers[.location]?.hasPrefix("/signin") == true)
        }
    }

    @Test func aKeptToDoPageCarriesEachBrowsersOwnFormToken() async throws {
        let t = try TestDesk()
        defer { t.folder.remove() }
        try await t.app().test(.router) { client in
            let phone = Browser(client)
            let pc = Browser(client)
            try await phone.signIn("wangwu@hospital.example", desk: t)
            try await pc.signIn("wangwu@hospital.example", desk: t)
            try await pc.get("/todo")
            let pcToken = try #require(pc.formToken)
            try await phone.get("/todo")
            #expect(t.desk.todoPages.count == 1)  // the second view was the kept page
            let phoneToken = try #require(phone.formToken)
            #expect(phoneToken != pcToken)
            // And it works: the phone's token is its session's.
            let switched = try await phone.post("/language", [("lang", "en"), ("back", "/todo")])
            #expect(switched.status == .seeOther)
            // A record changes the page: it is built again, without the item.
            try await phone.get("/record/surgery-2026/committee/2026-11")
            try await phone.postMultipart(
                "/record/surgery-2026/committee/2026-11",
                [("done_on", "2026-11-19")],
                files: []
            )
            try await pc.get("/todo")
            #expect(!pc.lastPage.contains("/record/surgery-2026/committee/2026-11\""))
        }
    }
}
