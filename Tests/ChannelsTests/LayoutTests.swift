import Channels
import FoundationEssentials
import Testing
import Vocabulary

@Suite struct LayoutTests {
    let group = ChannelRecipient.group(name: "外科第二党支部群", mentions: [])
    let person = ChannelRecipient.person(id: "wangwu", name: "王五", handle: "WangWu")

    @Test func wecomMarkdownOfAReminder() {
        let t = MessageLayout(style: .wecomMarkdown).text(reminder(), to: group) { _ in true }
        #expect(
            t == """
                **【党建提醒】外科第二党支部 · 支部委员会会议（2026）· 还有 5 个工作日**
                您好！
                《外科第二党支部 2026 年党建工作计划》中的以下事项还有 5 个工作日到期，请提前安排。
                > 事项：支部委员会会议
                > 截止日期：2026-11-25（周三）
                > 责任单位：外科第二党支部
                [登记完成情况](https://desk.example/r/abc123)
                """
        )
    }

    @Test func warningsAreColouredInWeCom() {
        var m = reminder()
        m.kind = .overdue
        let t = MessageLayout(style: .wecomMarkdown).text(m, to: group) { _ in true }
        #expect(t.hasPrefix("**<font color=\"warning\">【党建提醒】"))
    }

    @Test func dingtalkMarkdownSeparatesBlocksWithABlankLineAndEndsWithMentions() {
        let t = MessageLayout(style: .dingtalkMarkdown).text(reminder(link: nil), to: group, mentions: ["13800001111"])
        { _ in true }
        #expect(
            t == "### 【党建提醒】外科第二党支部 · 支部委员会会议（2026）· 还有 5 个工作日\n\n您好！\n\n"
                + "《外科第二党支部 2026 年党建工作计划》中的以下事项还有 5 个工作日到期，请提前安排。\n\n"
                + "> 事项：支部委员会会议\n> 截止日期：2026-11-25（周三）\n> 责任单位：外科第二党支部\n\n@13800001111"
        )
    }

    @Test func plainTextForAPerson() {
        let t = MessageLayout(style: .plain).text(reminder(), to: person) { _ in true }
        #expect(t.hasSuffix("责任单位：外科第二党支部\n登记完成情况：https://desk.example/r/abc123"))
        #expect(!t.contains("**"))
    }

    @Test func aDigestReachesAGroupAsCountsAFewItemsAndTheLink() {
        let t = MessageLayout(style: .wecomMarkdown, groupItemLimit: 10).text(digest(items: 200), to: group) { _ in true
        }
        #expect(t.contains("逾期事项：**200**"))
        #expect(t.components(separatedBy: "\n- ").count - 1 == 10)
        #expect(t.contains("……另有 190 项（共 200 项）"))
        #expect(t.hasSuffix("[查看全部](https://desk.example/overdue)"))
        // A person sees every item that fits.
        let p = MessageLayout(style: .plain, groupItemLimit: 10).text(digest(items: 12), to: person) { _ in true }
        #expect(p.components(separatedBy: "\n- ").count - 1 == 12)
        #expect(!p.contains("另有"))
    }

    @Test func englishSaysHowManyMore() {
        var m = digest(items: 30)
        m.language = .en
        let t = MessageLayout(style: .plain, groupItemLimit: 5).text(m, to: group) { _ in true }
        #expect(t.contains("… and 25 more (30 in all)"))
    }

    @Test func itemsGiveWayFirstThenTheBodyButNeverTheLink() {
        let layout = MessageLayout(style: .wecomMarkdown, groupItemLimit: 1000)
        for limit in [300, 700, 1000, 2048, 4096] {
            let t = layout.text(digest(items: 400), to: group) { $0.utf8.count <= limit }
            #expect(t.utf8.count <= limit)
            #expect(t.hasSuffix("[查看全部](https://desk.example/overdue)"), "limit \(limit)")
        }
        // 4,096 bytes hold some items, then the count of the rest.
        let t = layout.text(digest(items: 400), to: group) { $0.utf8.count <= 4096 }
        #expect(t.contains("- 外科第1党支部"))
        #expect(t.contains("项（共 400 项）"))
        #expect(t.utf8.count > 3800)  // filled, not emptied
    }

    @Test func aHugeTitleIsCutAtACharacterWithAnEllipsis() {
        let m = reminder(title: String(repeating: "党", count: 3000))
        let t = MessageLayout(style: .plain).text(m, to: person) { $0.utf8.count <= 2048 }
        #expect(t.utf8.count <= 2048)
        #expect(t.utf8.count >= 2040)
        #expect(t.contains("…\n登记完成情况：https://desk.example/r/abc123"))
        #expect(t.unicodeScalars.allSatisfy { $0 != "\u{FFFD}" })
    }

    @Test func userTextCannotOpenHTMLInMarkdown() {
        let m = reminder(title: "<font color=\"red\">假</font>\n第二行")
        let t = MessageLayout(style: .wecomMarkdown).text(m, to: group) { _ in true }
        #expect(t.hasPrefix("**＜font color=\"red\"＞假＜/font＞ 第二行**"))
        let p = MessageLayout(style: .plain).text(m, to: person) { _ in true }
        #expect(p.hasPrefix("<font color=\"red\">假</font> 第二行"))
    }
}
