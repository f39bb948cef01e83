import Testing

@testable import InboundMail

@Suite struct AutomaticMailTests {
    func detect(_ headers: String..., body: String = "完成") -> AutomaticMail? {
        let raw = (["From: 王五 <wangwu@hospital.example>", "Subject: 回复：【提醒】支部委员会会议"] + headers + ["", body])
        return AutomaticMail.detect(InboundMessage.parse(Array(raw.joined(separator: "\r\n").utf8)))
    }

    @Test func aPersonsReplyIsNotAutomatic() {
        #expect(detect() == nil)
        #expect(detect("Auto-Submitted: no") == nil)
        #expect(detect("Auto-Submitted: No (comment)") == nil)
        #expect(detect("Precedence: first-class") == nil)
        #expect(detect("X-Auto-Response-Suppress: All") == nil)
        #expect(detect("Return-Path: <wangwu@hospital.example>") == nil)
    }

    @Test func headersThatMarkMachineMail() {
        #expect(detect("Auto-Submitted: auto-replied") == .autoSubmitted("auto-replied"))
        #expect(detect("Auto-Submitted: auto-generated; owner-email=x") == .autoSubmitted("auto-generated"))
        #expect(detect("X-Autoreply: yes") == .autoReplyHeader("X-Autoreply"))
        #expect(detect("X-Autorespond: 1") == .autoReplyHeader("X-Autorespond"))
        for value in ["bulk", "junk", "list", "auto_reply", "BULK"] {
            #expect(detect("Precedence: \(value)") == .precedence(value.lowercased()))
        }
        #expect(detect("List-Id: <party.hospital.example>") == .mailingList)
        #expect(detect("Return-Path: <>") == .nullSender)
        #expect(detect("Return-Path: <MAILER-DAEMON@mx.example>") == .mailerDaemon)
        #expect(detect("Content-Type: multipart/report; report-type=disposition-notification; boundary=x") == .report)
        #expect(detect("X-Failed-Recipients: a@b.example") == .report)
    }

    @Test func subjectsOfAutoResponders() {
        for subject in [
            "自动回复: 回复：【提醒】", "自动答复: 【提醒】", "Automatic reply: 【提醒】", "Out of Office: x",
            "休假中", "Undeliverable: 【提醒】", "自動回覆：x", "Auto-Reply: x",
        ] {
            let raw = "From: a@x.example\r\nSubject: \(subject)\r\n\r\n完成"
            #expect(AutomaticMail.detect(InboundMessage.parse(Array(raw.utf8))) != nil, "\(subject)")
        }
        let encoded = "From: a@x.example\r\nSubject: =?gb2312?B?19S2r7vYuLQ6IM3qs8k=?=\r\n\r\n完成"
        #expect(AutomaticMail.detect(InboundMessage.parse(Array(encoded.utf8))) == .subject("自动回复"))
    }
}
