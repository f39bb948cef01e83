import Testing

@testable import InboundMail

@Suite struct ReplyTextTests {
    func own(_ text: String) -> [String] { ReplyText(text).lines }

    @Test func stopsAtEveryKindOfQuote() {
        let cases: [(String, ReplyText.Cut)] = [
            ("完成\n> 原文", .quote),
            ("完成\n-----原始邮件-----\n发件人: x", .separator),
            ("完成\n------------------ 原始邮件 ------------------", .separator),
            ("完成\n----- Original Message -----\nFrom: x", .separator),
            ("完成\n________________________________\nFrom: x", .separator),
            ("完成\n在 2026年11月18日 08:30，党建工作提醒 <a@b> 写道：", .attribution),
            ("完成\n党建工作提醒 <a@b> 于2026年11月18日周三 08:30写道：", .attribution),
            ("完成\nOn Wed, Nov 18, 2026 at 8:30 AM 党建工作提醒 <a@b> wrote:", .attribution),
            ("完成\n发件人: 党建工作提醒\n发送时间: 2026年11月18日 8:30", .headerBlock),
            ("完成\n\n发件人：党建工作提醒\n\n收件人：王五", .headerBlock),
            ("完成\nFrom: Reminders <a@b>\nSent: Wednesday, November 18, 2026 8:30 AM", .headerBlock),
            ("完成\n*From:* Reminders\n*Date:* Wed", .headerBlock),
            ("完成\n寄件者: 提醒\n寄件日期: 2026年11月18日", .headerBlock),
            ("完成\n-- \n王五 外科", .signature),
            ("完成\n发自我的iPhone", .signature),
            ("完成\nSent from my Huawei phone", .signature),
        ]
        for (text, cut) in cases {
            let reply = ReplyText(text)
            #expect(reply.lines == ["完成"], "\(text)")
            #expect(reply.cut == cut, "\(text)")
        }
    }

    @Test func attributionsWrappedOntoTwoLines() {
        #expect(own("完成\n在 2026年11月18日 08:30，党建工作提醒 <plankeeper+abc@\nhospital.example> 写道：\n> x") == ["完成"])
        #expect(own("完成\nOn Wed, Nov 18, 2026 at 8:30 AM 党建工作提醒 <\nplankeeper@hospital.example> wrote:") == ["完成"])
        #expect(own("完成\n党建工作提醒 <plankeeper@hospital.example> 于2026年11月18日周三\n08:30写道：") == ["完成"])
    }

    @Test func ordinaryLinesAreNotCut() {
        // A sentence with 于 or a colon, a "From" word in a note, a short dash line.
        let text = "完成，已于11月19日召开\n地点：三楼会议室\nFrom now on we meet monthly\n---\n参加人：7"
        #expect(own(text) == text.split(separator: "\n").map(String.init))
        // 在… at the start of an own line is not an attribution unless it ends in 写道.
        #expect(own("完成\n在三楼会议室召开") == ["完成", "在三楼会议室召开"])
        // A From: line with no header block after it.
        #expect(own("完成\nFrom: 王五") == ["完成", "From: 王五"])
    }

    @Test func anAnswerBelowTheQuoteIsRead() {
        #expect(own("> 请回复完成\n> 谢谢\n\n完成 11-19\n会议已开") == ["完成 11-19", "会议已开"])
        #expect(own("> 原文\n\n完成\n-- \n王五") == ["完成"])
        // Only quotes: nothing of its own.
        #expect(own("> 完成\n> x") == [])
    }

    @Test func blanksAndCarriageReturnsAreNormalised() {
        #expect(own("\r\n\u{3000}完成\u{A0}11-20\r\n\r\n备注\r\n\r\n") == ["完成 11-20", "", "备注"])
    }
}
