import Testing
import Vocabulary
import WorkCalendar

@testable import InboundMail

/// Real clients' replies, end to end: who, what text, which command, which files.
@Suite struct ClientFixtureTests {
    func read(_ name: String) throws -> (InboundMessage, ReplyText, ReplyCommand) {
        let message = try Fixture.message(name)
        let reply = ReplyText(message.text)
        return (message, reply, ReplyCommand.parse(reply, today: Fixture.today, numbered: false))
    }

    @Test func outlookChinese() throws {
        let (message, reply, command) = try read("outlook-zh.eml")
        #expect(message.from == Address(name: "王五", address: "wangwu@hospital.example"))
        #expect(message.subject == "答复: 【提醒】支部委员会会议（2026-11）还有 3 个工作日到期")
        #expect(message.messageID == "000801db5a3c$4e2f1a90$ea8d4fb0$@hospital.example")
        #expect(!message.textIsFromHTML)
        #expect(reply.lines == ["完成 11-20", "会议在门诊楼三楼会议室召开，应到 7 人，实到 7 人。"])
        #expect(reply.cut == .headerBlock)
        #expect(
            command
                == .done(
                    date: Fixture.date("2026-11-20"),
                    lines: [],
                    note: "会议在门诊楼三楼会议室召开，应到 7 人，实到 7 人。"
                )
        )
        #expect(message.attachments.isEmpty)
        #expect(AutomaticMail.detect(message) == nil)
        #expect(message.recipientAddresses.first?.hasPrefix("plankeeper+") == true)
    }

    @Test func foxmailWithASignInSheetPhoto() throws {
        let (message, reply, command) = try read("foxmail.eml")
        #expect(message.from?.address == "wangwu@hospital.example")
        #expect(message.from?.name == "王五")
        #expect(reply.lines.first == "已完成，附签到表照片。")
        #expect(reply.cut == .headerBlock)
        #expect(command == .done(date: Fixture.today, lines: [], note: "附签到表照片。\n\n王五\n外科第二党支部"))
        #expect(message.attachments.map(\.name) == ["签到表.jpg"])
        #expect(message.attachments.first?.type == "image/jpeg")
        #expect(message.attachments.first?.bytes.prefix(3) == [0xFF, 0xD8, 0xFF])
        #expect(message.attachments.first?.size == 332)
        #expect(message.returnPath == "wangwu@hospital.example")
    }

    @Test func qqMail() throws {
        let (message, reply, command) = try read("qqmail.eml")
        #expect(message.from == Address(name: "王五", address: "12345678@qq.com"))
        #expect(reply.lines == ["完成"])
        #expect(reply.cut == .separator)
        #expect(command == .done(date: Fixture.today, lines: [], note: nil))
    }

    @Test func coremailWithAPDFOfTheMinutes() throws {
        let (message, reply, command) = try read("coremail.eml")
        #expect(message.from?.address == "wangwu@163.com")
        #expect(message.headers["X-Mailer"]?.hasSuffix("www.mailtech.cn 163com") == true)
        #expect(reply.lines == ["办结 2026-11-19 组织生活会已召开，会议记录见附件。"])
        #expect(reply.cut == .attribution)
        #expect(command == .done(date: Fixture.date("2026-11-19"), lines: [], note: "组织生活会已召开，会议记录见附件。"))
        #expect(message.attachments.map(\.name) == ["会议记录（11月）.pdf"])
        #expect(message.attachments.first?.type == "application/pdf")
        #expect(message.attachments.first?.bytes.starts(with: Array("%PDF-1.4".utf8)) == true)
    }

    @Test func appleMailWithAPhotoBetweenTwoTexts() throws {
        let (message, reply, command) = try read("applemail.eml")
        #expect(message.from == Address(name: "王五", address: "wangwu@icloud.com"))
        #expect(reply.lines == ["完成 昨天", "签到表拍照附上。"])
        #expect(reply.cut == .signature)
        #expect(command == .done(date: Fixture.date("2026-11-19"), lines: [], note: "签到表拍照附上。"))
        #expect(message.attachments.map(\.name) == ["IMG_2041.jpeg"])
    }

    @Test func gmailHTMLOnly() throws {
        let (message, reply, command) = try read("gmail-html-only.eml")
        #expect(message.textIsFromHTML)
        #expect(message.notes.contains(.textFromHTML))
        #expect(reply.lines == ["done", "会议纪要见附件"])
        #expect(command == .done(date: Fixture.today, lines: [], note: "会议纪要见附件"))
        // The quoted "完成" of the notice is below the cut.
        #expect(message.text.contains("“完成”"))
    }

    @Test func outlookInGB18030WithCharactersBeyondGBK() throws {
        let (message, reply, command) = try read("outlook-gb18030.eml")
        #expect(message.from == Address(name: "王䶮", address: "wangyan@hospital.example"))
        #expect(reply.cut == .separator)
        #expect(command == .done(date: Fixture.date("2026-11-19"), lines: [], note: "会议由王䶮主持，讨论了𠀀号文件。"))
        #expect(message.notes.isEmpty)
    }

    @Test func big5FromATraditionalChineseOutlook() throws {
        let (message, reply, command) = try read("big5.eml")
        #expect(message.from == Address(name: "陳大文", address: "chantaiman@hospital.example.hk"))
        #expect(message.subject == "回覆: 【提醒】支部委員會會議")
        #expect(message.headers["Thread-Topic"] == "【提醒】支部委員會會議")
        #expect(reply.cut == .headerBlock)
        #expect(command == .done(date: Fixture.today, lines: [], note: "簽到表見附件。"))
    }

    @Test func outOfOfficeAndBouncesAreAutomatic() throws {
        #expect(AutomaticMail.detect(try Fixture.message("outlook-autoreply.eml")) == .autoSubmitted("auto-replied"))
        let bounce = try Fixture.message("bounce.eml")
        #expect(AutomaticMail.detect(bounce) != nil)
        #expect(bounce.isReport)
        #expect(bounce.returnPath == "")
        // The delivery report is not evidence.
        #expect(bounce.attachments.isEmpty)
    }

    @Test func doneOnlyInsideTheQuoteIsNotACommand() throws {
        let (message, reply, command) = try read("quoted-only.eml")
        #expect(message.text.contains("> 完成"))
        #expect(reply.lines.isEmpty)
        #expect(command == .help(.empty))
    }

    @Test func everyFixtureSurvivesCutsAndFlippedBytes() throws {
        let names = [
            "outlook-zh.eml", "foxmail.eml", "qqmail.eml", "coremail.eml", "applemail.eml",
            "gmail-html-only.eml", "outlook-gb18030.eml", "big5.eml", "outlook-autoreply.eml", "bounce.eml",
            "quoted-only.eml",
        ]
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        for name in names {
            let bytes = try Fixture.bytes(name)
            for _ in 0..<40 {
                var mutated = Array(bytes.prefix(Int(next() % UInt64(bytes.count + 1))))
                for _ in 0..<Int(next() % 8) where !mutated.isEmpty {
                    mutated[Int(next() % UInt64(mutated.count))] = UInt8(truncatingIfNeeded: next())
                }
                let message = InboundMessage.parse(mutated)
                let reply = ReplyText(message.text)
                _ = ReplyCommand.parse(reply, today: Fixture.today, numbered: next() % 2 == 0)
                _ = AutomaticMail.detect(message)
                #expect(message.attachments.allSatisfy { !$0.name.isEmpty && !$0.name.contains("/") })
            }
        }
    }
}
