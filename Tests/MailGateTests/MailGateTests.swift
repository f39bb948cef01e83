import Config
import Foundation
import Ledger
import Logging
import MailGate
import Records
import Secrets
import Testing
import Tokens
import Vocabulary

@Suite struct MailGateTests {
    @Test func aReplyDoneIsRecordedAndAnsweredOnce() throws {
        let f = try MailGateFixture()
        let token = try f.token()
        let reply = f.reply("完成 11-19\n会议在三楼召开\n\n> 原通知", token: token, messageID: "r1")
        let result = f.receive(reply, recipient: "plankeeper+\(token)@hospital.example")
        #expect(result.exit == .done)
        #expect(result.outcome == "recorded")
        let records = try f.ledger().records()
        #expect(records.count == 1)
        #expect(
            records[0].plan == "surgery-2-2026" && records[0].item == "branch-committee"
                && records[0].period == "2026-11"
        )
        #expect(records[0].doneOn == "2026-11-19")
        #expect(records[0].source == .mail)
        #expect(records[0].by == "王五")
        #expect(records[0].byAddress == "wangwu@hospital.example")
        #expect(records[0].note == "会议在三楼召开")
        let answers = try f.answers()
        #expect(answers.count == 1)
        #expect(answers[0].headers.contains("To: =?UTF-8?B?"))
        #expect(answers[0].headers.contains("wangwu@hospital.example"))
        #expect(answers[0].headers.contains("In-Reply-To: <r1@client.example>"))
        #expect(answers[0].headers.contains("Reply-To: plankeeper+"))
        #expect(answers[0].headers.contains("Auto-Submitted: auto-generated"))
        #expect(answers[0].body.contains("已登记：外科第二党支部 · 支部委员会会议（2026-11）"))
        #expect(answers[0].body.contains("完成日期 2026-11-19，截止日期 2026-11-25，按期完成"))
        #expect(answers[0].body.contains("撤销"))
        // The journal says where it came from.
        #expect(
            f.logs.entries.contains {
                $0.metadata["plankeeper_source"] == "mail"
                    && $0.metadata["plankeeper_from"] == "wangwu@hospital.example"
                    && $0.metadata["message_id"] == "01e2f501adc544ef9b6bb1519a8dd250"
            }
        )

        // The same message again (postfix retrying): nothing changes, no second answer.
        let again = f.receive(reply, recipient: "plankeeper+\(token)@hospital.example")
        #expect(again.exit == .done && again.outcome == "duplicate")
        #expect(try f.ledger().records().count == 1)
        #expect(try f.answers().count == 1)
    }

    @Test func theTokenIsFoundInTheHeadersWithoutRecipient() throws {
        let f = try MailGateFixture()
        let result = f.receive(f.reply("done", token: try f.token()))
        #expect(result.outcome == "recorded")
    }

    @Test func aSecondReplyIsRefusedWithWhoAndWhen() throws {
        let f = try MailGateFixture()
        let token = try f.token()
        _ = f.receive(f.reply("完成 11-19", token: token))
        let second = f.receive(f.reply("完成", from: "陈刚 <chengang@hospital.example>", token: token))
        #expect(second.outcome == "refused")
        #expect(try f.ledger().records().count == 1)
        let answer = try #require(try f.answers().first { $0.body.contains("未登记") })
        #expect(answer.body.contains("已于 11-19 由王五登记完成；如需更改，请先撤销"))
    }

    @Test func anotherContactOfThePlanMayAnswerButAStrangerMayNot() throws {
        let f = try MailGateFixture()
        let token = try f.token()
        #expect(
            f.receive(f.reply("完成", from: "外人 <someone@elsewhere.example>", token: token)).outcome == "not-authorised"
        )
        #expect(try f.ledger().records().isEmpty)
        #expect(try f.answers().contains { $0.body.contains("只接受提醒收件人或本计划联系人的回复") })
        // Case does not matter; another contact of the plan may.
        #expect(f.receive(f.reply("完成", from: "CHENGANG@Hospital.Example", token: token)).outcome == "recorded")
        #expect(try f.ledger().records().first?.by == "陈刚")
    }

    @Test func forgedAlteredTruncatedAndExpiredTokensRecordNothing() throws {
        let f = try MailGateFixture()
        let token = try f.token()
        var altered = Array(token)
        altered[10] = altered[10] == "a" ? "b" : "a"
        // A cut token is malformed or (when its last bits happen to be zero) a token whose MAC is wrong.
        let cases: [(String, Set<String>)] = [
            (String(altered), ["bad-signature"]),
            (String(token.dropLast(3)), ["bad-signature", "malformed"]),
            (String(token.dropLast(1)), ["malformed"]),  // 46 characters: no whole number of bytes
            (String(repeating: "a", count: 47), ["unknown-version"]),  // version byte 0
            (try f.token(expiresIn: -1), ["expired"]),
        ]
        for (text, outcomes) in cases {
            let outcome = f.receive(f.reply("完成", token: text)).outcome
            #expect(outcomes.contains(outcome), "\(text): \(outcome)")
        }
        #expect(try f.ledger().records().isEmpty)
        #expect(try f.answers().count == cases.count)
        #expect(try f.answers().allSatisfy { $0.body.contains("未登记") && !$0.headers.contains("\r\nReply-To:") })
    }

    @Test func aRotatedKeyMakesOldRepliesTooOld() throws {
        let f = try MailGateFixture()
        let token = try f.token()
        try TokenKeyFile(stateDirectory: f.config.state).rotate()
        #expect(f.receive(f.reply("完成", token: token)).outcome == "key-retired")
        #expect(try f.answers().first?.body.contains("太旧") == true)
    }

    @Test func automaticMailIsNeitherRecordedNorAnswered() throws {
        let f = try MailGateFixture()
        let token = try f.token()
        for header in ["Auto-Submitted: auto-replied", "X-Autoreply: yes", "Precedence: bulk", "Return-Path: <>"] {
            let result = f.receive(f.reply("完成", token: token, extraHeaders: [header]))
            #expect(result.outcome == "ignored" && result.exit == .done, "\(header)")
        }
        #expect(f.receive(f.reply("完成", from: "MAILER-DAEMON@hospital.example", token: token)).outcome == "ignored")
        #expect(try f.ledger().records().isEmpty)
        #expect(try f.answers().isEmpty)
        #expect(f.logs.entries.contains { $0.metadata["message_id"] == "5453eb87dc6348c3a87fdc2f5f6a637f" })
    }

    @Test func doneOnlyInTheQuoteGetsHelp() throws {
        let f = try MailGateFixture()
        let result = f.receive(f.reply("\n\n在 2026年11月18日 08:30，提醒 <a@b> 写道：\n> 完成\n", token: try f.token()))
        #expect(result.outcome == "help")
        #expect(try f.ledger().records().isEmpty)
        #expect(try f.answers().first?.body.contains("完成 11-20") == true)
    }

    @Test func datesBeforeThePeriodOrInTheFutureAreRefused() throws {
        let f = try MailGateFixture()
        let token = try f.token()
        #expect(f.receive(f.reply("完成 10-30", token: token)).outcome == "refused")
        #expect(f.receive(f.reply("完成 11-25", token: token)).outcome == "refused")
        #expect(try f.ledger().records().isEmpty)
        let bodies = try f.answers().map(\.body).joined()
        #expect(bodies.contains("早于周期 2026-11 的开始"))
        #expect(bodies.contains("晚于今天"))
    }

    @Test func undoTakesBackOnlyWhatThisAddressRecordedByMail() throws {
        let f = try MailGateFixture()
        let token = try f.token()
        _ = f.receive(f.reply("完成", token: token))
        #expect(f.receive(f.reply("撤销", from: "chengang@hospital.example", token: token)).outcome == "refused")
        #expect(try f.ledger().records().count == 1)
        #expect(f.receive(f.reply("撤销", token: token)).outcome == "undone")
        #expect(try f.ledger().records().isEmpty)
        #expect(f.logs.entries.contains { $0.metadata["message_id"] == "29fcb36f669f4c1c81516b27dc82acaf" })
    }

    @Test func attachmentsBecomeEvidence() throws {
        let f = try MailGateFixture()
        let token = try f.token()
        let photo = Data((0..<3000).map { UInt8(truncatingIfNeeded: $0 * 7) }).base64EncodedString(
            options: .lineLength76Characters
        )
        let body = """
            From: 王五 <wangwu@hospital.example>\r
            To: plankeeper+\(token)@hospital.example\r
            Subject: re\r
            Message-ID: <photo@client.example>\r
            MIME-Version: 1.0\r
            Content-Type: multipart/mixed; boundary="b"\r
            \r
            --b\r
            Content-Type: text/plain; charset=utf-8\r
            \r
            完成\r
            --b\r
            Content-Type: image/jpeg; name="签到表.jpg"\r
            Content-Disposition: attachment; filename="签到表.jpg"\r
            Content-Transfer-Encoding: base64\r
            \r
            \(photo.replacingOccurrences(of: "\n", with: "\r\n"))\r
            --b--\r

            """
        #expect(f.receive(Array(body.utf8)).outcome == "recorded")
        let record = try #require(try f.ledger().records().first)
        #expect(record.evidence.count == 1)
        #expect(record.evidence[0].name == "签到表.jpg")
        #expect(record.evidence[0].size == 3000)
        let path =
            f.config.state + "/evidence/" + record.evidence[0].sha256.prefix(2) + "/"
            + record.evidence[0].sha256.dropFirst(2)
        #expect(FileManager.default.contents(atPath: path)?.count == 3000)
        #expect(try f.answers().first?.body.contains("已保存附件 1 个：签到表.jpg") == true)
    }

    @Test func aMessageOverTheLimitIsAnsweredPolitely() throws {
        let f = try MailGateFixture()
        let big = f.reply("完成\n" + String(repeating: "x", count: 100_000), token: try f.token())
        let result = f.receive(big)
        #expect(result.outcome == "too-large" && result.exit == .done)
        #expect(try f.ledger().records().isEmpty)
        #expect(try f.answers().first?.body.contains("超过了可接收的 64 KB") == true)
    }

    @Test func aLockedLedgerDefersWithoutChangingAnything() throws {
        let f = try MailGateFixture()
        let token = try f.token()
        let reply = f.reply("完成", token: token)
        let ledger = try f.ledger()  // creates the file
        _ = ledger
        let path = f.config.state + "/plankeeper.sqlite"
        let holder = try GRDBHolder(path: path)
        let result = try holder.whileLocked { f.receive(reply) }
        #expect(result.exit == .tryLater)
        #expect(try f.ledger().records().isEmpty)
        #expect(try f.answers().isEmpty)
        #expect(f.logs.entries.contains { $0.metadata["message_id"] == "e8610cc102614508a95ac2392abcd785" })
        // Once the lock is gone, the same message is recorded.
        #expect(f.receive(reply).outcome == "recorded")
    }

    @Test func anUnwritableStateDefers() throws {
        let f = try MailGateFixture()
        f.config.state = f.root + "/plans/surgery-2-2026.yaml/state"  // below a file: cannot be created
        #expect(f.receive(f.reply("完成", token: try f.token())).exit == .tryLater)
    }

    @Test func aReplyToAnItemSinceRemovedIsExplained() throws {
        let f = try MailGateFixture()
        let token = try f.token(item: "removed-item")
        #expect(f.receive(f.reply("完成", token: token)).outcome == "unknown-subject")
        #expect(try f.answers().first?.body.contains("已不存在") == true)
    }

    @Test func timesItemsAcceptUpToTheirMost() throws {
        let f = try MailGateFixture()
        let token = try f.token(item: "red-education", period: "2026")
        for n in 1...3 { #expect(f.receive(f.reply("完成 \(n + 3)月\(n)日", token: token)).outcome == "recorded") }
        #expect(f.receive(f.reply("完成", token: token)).outcome == "refused")
        #expect(try f.ledger().records().count == 3)
    }

    @Test func digestRepliesRecordTheNamedLines() throws {
        let f = try MailGateFixture()
        let ledger = try f.ledger()
        try ledger.recordSentDigest(
            SentDigest(
                id: 42,
                recipient: "dangban@hospital.example",
                kind: "overdue-digest",
                sentOn: "2026-11-20",
                lines: [
                    1: OccurrenceKey(plan: "surgery-2-2026", item: "branch-committee", period: "2026-10"),
                    2: OccurrenceKey(plan: "surgery-2-2026", item: "branch-committee", period: "2026-09"),
                    3: OccurrenceKey(plan: "surgery-2-2026", item: "branch-committee", period: "2026-08"),
                    4: OccurrenceKey(plan: "gone-plan", item: "x", period: "2026-08"),
                ]
            ),
            at: f.nowSeconds
        )
        let token = try f.digestToken(id: 42)
        let result = f.receive(f.reply("完成 1 3 4 9", from: "党委办公室 <dangban@hospital.example>", token: token))
        #expect(result.outcome == "partly-recorded")
        let periods = try f.ledger().records().map(\.period).sorted()
        #expect(periods == ["2026-08", "2026-10"])
        let body = try #require(try f.answers().first?.body)
        #expect(body.contains("已登记：1. 外科第二党支部 · 支部委员会会议（2026-10）"))
        #expect(body.contains("已登记：3. 外科第二党支部 · 支部委员会会议（2026-08）"))
        #expect(body.contains("第 4 项（gone-plan/x/2026-08 已不在计划中）"))
        #expect(body.contains("第 9 项（汇总邮件中没有这一序号）"))
    }

    @Test func answersStopAtTheDailyLimit() throws {
        let f = try MailGateFixture()
        f.config.mail.replies.answersPerDay = 2
        for _ in 0..<4 { _ = f.receive(f.reply("什么？", token: try f.token())) }
        #expect(try f.answers().count == 2)
    }

    @Test func neverTrapsOnNoise() throws {
        let f = try MailGateFixture()
        var state: UInt64 = 0x1234_5678_9ABC_DEF1
        for round in 0..<200 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            let bytes = (0..<Int(state % 600)).map { i in UInt8(truncatingIfNeeded: state >> UInt64(i % 56)) }
            let result = f.receive(
                round % 2 == 0 ? bytes : f.reply(String(decoding: bytes, as: UTF8.self), token: try f.token())
            )
            #expect(result.exit == .done)
        }
    }

    @Test func theKeyNeverReachesTheSpoolOrTheLog() throws {
        let f = try MailGateFixture()
        let token = try f.token()
        _ = f.receive(f.reply("完成", token: token))
        _ = f.receive(f.reply("撤销", token: token))
        _ = f.receive(f.reply("什么", token: token))
        _ = f.receive(f.reply("完成", token: String(token.reversed())))
        try TokenKeyFile(stateDirectory: f.config.state).rotate()
        _ = f.receive(f.reply("完成", token: token))
        let keys = try #require(try TokenKeyFile(stateDirectory: f.config.state).load())
        var spooled: [UInt8] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: f.config.spool + "/new") {
            spooled += Array(try Data(contentsOf: URL(fileURLWithPath: f.config.spool + "/new/" + name)))
        }
        #expect(spooled.count > 1_000)
        #expect(spooled.contains(Array("Auto-Submitted".utf8)))  // the search does find what is there
        let log = Array(f.logs.text.utf8)
        for key in [keys.current] + keys.retired {
            let hex = key.bytes.map { String(format: "%02x", $0) }.joined()
            let forms: [[UInt8]] = [
                key.bytes, Array(hex.utf8), Array(hex.uppercased().utf8),
                Array(Data(key.bytes).base64EncodedString().utf8), Array(hex.prefix(16).utf8),
            ]
            for form in forms {
                #expect(!spooled.contains(form), "a key's bytes are in the spool")
                #expect(!log.contains(form), "a key's bytes are in the log")
            }
        }
    }
}
