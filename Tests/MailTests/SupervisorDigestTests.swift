import Foundation
import MailFormat
import Testing
import Vocabulary
import WorkCalendar

private func d(_ s: String) -> CivilDate { CivilDate(iso: s)! }

/// The mails of issue 15: the supervisor's digest (new first, then by branch,
/// one line an item, no command; HTML alternative; the full list as CSV) and a
/// person's notices of one moment in one mail.
@Suite struct SupervisorDigestTests {
    static func entry(
        _ owner: String,
        _ title: String,
        _ period: String,
        due: String,
        late: Int,
        escalated: Bool
    ) -> OverdueDigestEntry {
        OverdueDigestEntry(
            owner: owner,
            itemTitle: title,
            period: period,
            planID: "p-\(owner.count)",
            itemID: title.count.description,
            due: d(due),
            workdaysOverdue: late,
            escalated: escalated
        )
    }

    static let new = [entry("第2党支部", "支部委员会会议", "2026-11", due: "2026-11-25", late: 3, escalated: true)]
    static let listed = [
        entry("第1党支部", "党小组会", "2026-10", due: "2026-10-29", late: 22, escalated: true),
        entry("第1党支部", "支部委员会会议", "2026-11", due: "2026-11-25", late: 3, escalated: true),
        entry("第2党支部", "支部委员会会议", "2026-11", due: "2026-11-25", late: 3, escalated: true),
    ]
    static let totals = DigestTotals(
        items: 3,
        escalated: 3,
        branches: [
            .init(owner: "第1党支部", items: 2, escalated: 2, oldestDue: d("2026-10-29")),
            .init(owner: "第2党支部", items: 1, escalated: 1, oldestDue: d("2026-11-25")),
        ]
    )
    static let digest = SupervisorDigest(
        recipientName: "党委办公室",
        date: d("2026-11-30"),
        previous: d("2026-11-27"),
        new: new,
        newTotal: 1,
        newlyEscalated: 1,
        listed: listed,
        totals: totals,
        all: listed,
        historyTotal: 46
    )

    @Test func theTextLeadsWithWhatIsNewThenListsByBranchOneLineAnItem() {
        let body = NoticeMail.supervisorDigestBody(Self.digest, language: .zh)
        let lines = body.components(separatedBy: "\n")
        let new = try? #require(lines.firstIndex { $0.hasPrefix("一、上次日报（2026-11-27）以来新增 1 项") })
        let byBranch = lines.firstIndex { $0.hasPrefix("二、按支部") }
        #expect(new != nil && byBranch != nil && new! < byBranch!)
        #expect(lines.contains("  1. 第2党支部 · 支部委员会会议（2026 年 11 月）截止 2026-11-25（周三），已逾期 3 个工作日 【督办】"))
        #expect(lines.contains("第1党支部（2 项）"))
        #expect(lines.contains("  1. 党小组会（2026 年 10 月）截止 2026-10-29（周四），已逾期 22 个工作日 【督办】"))
        #expect(!body.contains("plankeeper done"))
        #expect(body.contains("另有 46 项在开始跟踪前就已逾期（未跟踪）"))
        let subject = NoticeMail.supervisorDigestSubject(Self.digest, language: .zh)
        #expect(subject == "【党建督办日报】2026-11-30 新增 1 项（其中督办 1 项） · 共 3 项逾期（2 个支部）")
        let en = NoticeMail.supervisorDigestBody(Self.digest, language: .en)
        #expect(en.contains("1. New since the previous digest (2026-11-27): 1 (1 escalated now):"))
    }

    @Test func theHTMLHasBothTablesEscaped() {
        var digest = Self.digest
        digest.listed[0].itemTitle = "<script>x</script> & 会"
        let html = NoticeMail.supervisorDigestHTML(digest, language: .zh)
        #expect(html.components(separatedBy: "<table").count == 3)
        #expect(html.contains("&lt;script&gt;x&lt;/script&gt; &amp; 会") && !html.contains("<script>"))
    }

    @Test func theCSVRowsHaveEveryItemWithItsFlags() {
        let rows = NoticeMail.supervisorDigestRows(Self.digest, language: .zh)
        #expect(rows.first == ["支部", "工作事项", "周期", "截止日期", "逾期工作日", "督办", "新增", "计划", "事项"])
        #expect(rows.count == 4)
        #expect(rows[3] == ["第2党支部", "支部委员会会议", "2026-11", "2026-11-25", "3", "是", "是", "p-5", "7"])
    }

    @Test func theMailIsMixedWithAnAlternativeAndTheCSV() throws {
        let envelope = MailEnvelope(
            from: Address(name: "提醒", address: "pk@h.example"),
            to: [Address(name: "党办", address: "db@h.example")],
            date: "Mon, 30 Nov 2026 08:30:00 +0800",
            messageID: "x@h.example"
        )
        let csv = Array("\u{FEFF}a,b\r\n".utf8)
        let bytes = AlternativeMail.message(
            envelope: envelope,
            subject: "督办日报",
            text: "正文",
            html: "<p>正文</p>",
            attachment: ReportMail.Attachment(fileName: "督办日报.csv", mediaType: "text/csv", bytes: csv),
            key: "digest/2026-11-30/db@h.example",
            extraHeaders: [("X-Plankeeper-Kind", "digest")]
        )
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("Content-Type: multipart/mixed;\r\n boundary=\"=_plankeeper_m_"))
        #expect(text.contains("Content-Type: multipart/alternative;\r\n boundary=\"=_plankeeper_a_"))
        let plain = try #require(text.range(of: "Content-Type: text/plain"))
        let html = try #require(text.range(of: "Content-Type: text/html"))
        let file = try #require(text.range(of: "Content-Type: text/csv"))
        #expect(plain.lowerBound < html.lowerBound && html.lowerBound < file.lowerBound)
        #expect(text.contains("X-Plankeeper-Kind: digest\r\n"))
        #expect(bytes.split(separator: 10).allSatisfy { $0.count <= 79 })
        // Rebuilt, byte for byte the same.
        #expect(
            bytes
                == AlternativeMail.message(
                    envelope: envelope,
                    subject: "督办日报",
                    text: "正文",
                    html: "<p>正文</p>",
                    attachment: ReportMail.Attachment(fileName: "督办日报.csv", mediaType: "text/csv", bytes: csv),
                    key: "digest/2026-11-30/db@h.example",
                    extraHeaders: [("X-Plankeeper-Kind", "digest")]
                )
        )
    }

    @Test func aPersonsNoticesOfOneMomentInOneMail() {
        func content(_ kind: NoticeKind, _ title: String, due: String, left: Int) -> NoticeContent {
            NoticeContent(
                kind: kind,
                planID: "s",
                itemID: title,
                period: "2026-11",
                owner: "外科第二党支部",
                planTitle: "计划",
                itemTitle: title,
                due: d(due),
                workdaysLeft: left
            )
        }
        let contents = [
            content(.reminder, "支部委员会会议", due: "2026-11-25", left: 5),
            content(.overdue, "党小组会", due: "2026-11-13", left: -3),
            content(.due, "主题党日活动", due: "2026-11-18", left: 0),
        ]
        let subject = NoticeMail.combinedSubject(contents, language: .zh)
        #expect(subject == "【党建逾期】3 项党建工作：已逾期 1 项、今天到期 1 项、即将到期 1 项")
        let body = NoticeMail.combinedBody(
            contents,
            recipient: Address(name: "王五", address: "w@h.example"),
            language: .zh
        )
        let lines = body.components(separatedBy: "\n")
        #expect(lines.first == "王五，您好！")
        let order = ["已逾期（1 项）", "今天到期（1 项）", "即将到期（1 项）"].map { title in lines.firstIndex(of: title) ?? -1 }
        #expect(order == order.sorted() && !order.contains(-1))
        #expect(lines.contains("  1. 外科第二党支部 · 党小组会（2026 年 11 月）截止 2026-11-13（周五），已逾期 3 个工作日"))
        #expect(!body.contains("plankeeper done"))
        #expect(
            NoticeMail.combinedSubject(contents, language: .en)
                == "[Party work overdue] 3 items: 1 overdue, 1 due today, 1 coming up"
        )
    }
}
