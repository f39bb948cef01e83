import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import Testing
import ZIPFoundation
@testable import WebDesk

@Suite struct LedgerAndBoardTests {
    /// 王五 records the November meeting with a photo and the October one late.
    func recordTwo(_ browser: Browser) async throws {
        try await browser.get("/record/surgery-2026/committee/2026-11")
        try await browser.postMultipart(
            "/record/surgery-2026/committee/2026-11",
            [("done_on", "2026-11-19"), ("minutes", "十一月纪要")],
            files: [("签到表.jpg", DeskFlowTests.jpeg)]
        )
        try await browser.get("/record/surgery-2026/committee/2026-10")
        try await browser.postMultipart(
            "/record/surgery-2026/committee/2026-10",
            [("done_on", "2026-10-28")],
            files: []
        )
    }

    @Test func theLedgerListsTheYearWithItsEvidence() async throws {
        let t = try TestDesk()
        defer { t.folder.remove() }
        try await t.app().test(.router) { client in
            let browser = Browser(client)
            try await browser.signIn("wangwu@hospital.example", desk: t)
            try await recordTwo(browser)
            let page = try await browser.get("/ledger")
            #expect(page.status == .ok)
            let html = browser.lastPage
            #expect(html.contains("外科第二党支部 · 2026 台账"))
            #expect(html.contains("十一月纪要"))
            #expect(html.contains("签到表.jpg"))
            #expect(html.contains("共 17 项，已完成 2 项"))
            // The download is an attachment, typed from the bytes.
            let href = try #require(
                html.range(of: #"/evidence/[0-9]+/[0-9a-f]{64}"#, options: .regularExpression).map { String(html[$0]) }
            )
            let file = try await browser.get(href)
            #expect(file.status == .ok)
            #expect(file.headers[.contentType] == "image/jpeg")
            #expect(file.headers[.contentDisposition]?.hasPrefix("attachment;") == true)
            #expect(Array(file.body.readableBytesView) == DeskFlowTests.jpeg)
            // Another branch's secretary cannot fetch it, even with the URL.
            let other = Browser(client)
            try await other.signIn("lisi@hospital.example", desk: t)
            #expect(try await other.get(href).status == .notFound)
            #expect(try await other.get("/ledger?plan=surgery-2026").status == .notFound)
        }
    }

    @Test func theEvidenceZipHasEveryFileAndAnIndex() async throws {
        let t = try TestDesk()
        defer { t.folder.remove() }
        try await t.app().test(.router) { client in
            let browser = Browser(client)
            try await browser.signIn("wangwu@hospital.example", desk: t)
            try await recordTwo(browser)
            let zip = try await browser.get("/ledger/surgery-2026/evidence.zip")
            #expect(zip.status == .ok)
            #expect(zip.headers[.contentType] == "application/zip")
            let archive = try Archive(data: Data(zip.body.readableBytesView), accessMode: .read)
            let names = archive.map(\.path).sorted()
            #expect(names.contains("目录.csv"))
            #expect(names.contains { $0.hasPrefix("001_支部委员会会议_2026-11_签到表") })
            var index = Data()
            if let entry = archive["目录.csv"] { _ = try archive.extract(entry) { index.append($0) } }
            let text = String(decoding: index, as: UTF8.self)
            #expect(text.contains("签到表.jpg"))
            #expect(text.contains(",王五,"))
            // The temporary archive is gone once sent.
            #expect(t.evidence.temporaryFiles.isEmpty)
        }
    }

    @Test func theBoardShowsEveryBranchToTheOffice() async throws {
        let t = try TestDesk()
        defer { t.folder.remove() }
        try await t.app().test(.router) { client in
            let secretary = Browser(client)
            try await secretary.signIn("wangwu@hospital.example", desk: t)
            try await recordTwo(secretary)
            #expect(try await secretary.get("/board").status == .forbidden)

            let office = Browser(client)
            try await office.signIn("dangban@hospital.example", desk: t)
            let page = try await office.get("/board?period=2026-10")
            #expect(page.status == .ok)
            let html = office.lastPage
            #expect(html.contains("外科第二党支部") && html.contains("内科第一党支部"))
            #expect(html.contains("<svg"))
            // A bar's label is the branch's name (whole, as it is short), with the name as its tooltip.
            #expect(html.contains("<title>外科第二党支部</title>外科第二党支部</text>"))
            // In October 外科 did its meeting (late), 内科 did not: overdue only shows 内科.
            try await office.get("/board?period=2026-10&overdue=1")
            #expect(office.lastPage.contains("/ledger?plan=medicine-2026"))
            #expect(!office.lastPage.contains("/ledger?plan=surgery-2026"))
        }
    }

    @Test func theReportsArePagesOfTheSameTemplateAsTheMailedReport() async throws {
        let t = try TestDesk()
        defer { t.folder.remove() }
        try await t.app().test(.router) { client in
            let secretary = Browser(client)
            try await secretary.signIn("wangwu@hospital.example", desk: t)
            try await recordTwo(secretary)
            let forbidden = try await secretary.get("/reports/2026-Q4")
            #expect(forbidden.status == .forbidden)

            let office = Browser(client)
            try await office.signIn("dangban@hospital.example", desk: t)
            let page = try await office.get("/reports/2026-Q4")
            #expect(page.status == .ok)
            let html = office.lastPage
            #expect(html.contains("季评比") && html.contains("各单位完成情况与排名"))
            #expect(html.contains("/assets/report.css"))
            #expect(html.contains("<rect class=\"col "))  // the month-by-month chart
            #expect(!html.contains("style=\""))
            let css = try await office.get("/assets/report.css")
            #expect(String(buffer: css.body).contains(".report .masthead"))
            // The period chooser sends to the chosen period's page.
            let chosen = try await office.get("/reports?period=2026-10")
            #expect(chosen.headers[.location] == "/reports/2026-10")
        }
    }
}
