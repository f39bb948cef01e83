import Foundation
import Testing
@testable import MailFormat
import Vocabulary

@Suite struct MessageTests {
    let content = Samples.content()

    func build(subject: String? = nil, body: String? = nil, extras: [(String, String)] = Samples.extras) -> [UInt8] {
        RFC5322.message(
            envelope: Samples.envelope,
            subject: subject ?? NoticeMail.subject(content, language: .zh),
            body: body ?? NoticeMail.body(content, language: .zh),
            extraHeaders: extras
        )
    }

    @Test func crlfEverywhereAndSevenBit() {
        let bytes = build()
        #expect(bytes.allSatisfy { $0 < 128 })
        for (i, byte) in bytes.enumerated() {
            if byte == 10 { #expect(i > 0 && bytes[i - 1] == 13, "bare LF at \(i)") }
            if byte == 13 { #expect(i + 1 < bytes.count && bytes[i + 1] == 10, "bare CR at \(i)") }
        }
        #expect(bytes.suffix(2) == [13, 10])
    }

    @Test func headerLinesFitIn78Columns() throws {
        let subject = "【党建督办】外科第二党支部 · 意识形态工作分析研判及向上级党委报送年度报告（2026-H2）· 已逾期 12 个工作日，请各支部书记高度重视"
        let bytes = build(subject: subject, extras: Samples.extras + [("X-Plankeeper-Plan-Title", content.planTitle)])
        let parsed = try #require(Decode.message(bytes))
        for line in parsed.rawHeaders.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 78, "\(line.utf8.count): \(line)")
            #expect(!line.trimmingCharacters(in: .whitespaces).isEmpty, "whitespace-only line")
        }
        let headerSubject = try #require(Decode.header("Subject", in: bytes))
        #expect(Decode.encodedWords(headerSubject) == subject)
        #expect(parsed.rawHeaders.hasPrefix("From: =?UTF-8?B?"))  // not folded right after the name
        #expect(parsed.rawHeaders.contains("\r\nSubject: =?UTF-8?B?"))
        #expect(
            Decode.encodedWords(try #require(Decode.header("X-Plankeeper-Plan-Title", in: bytes))) == content.planTitle
        )
    }

    @Test func headerFunctionFoldsAndUnfoldsToTheSameText() {
        let value = (1...40).map { "word\($0)" }.joined(separator: " ")
        let folded = RFC5322.header("X-Long", value)
        let lines = folded.components(separatedBy: "\r\n")
        #expect(lines.count > 1)
        #expect(lines.allSatisfy { $0.utf8.count <= 78 })
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix(" ") })
        #expect(folded.replacingOccurrences(of: "\r\n", with: "") == "X-Long: " + value)
        // Non-ASCII is encoded; what is already encoded is not encoded again.
        let chinese = RFC5322.header("Subject", "支部委员会会议")
        #expect(chinese == "Subject: =?UTF-8?B?5pSv6YOo5aeU5ZGY5Lya5Lya6K6u?=")
        #expect(RFC5322.header("Subject", "=?UTF-8?B?5pSv6YOo5aeU5ZGY5Lya5Lya6K6u?=") == chinese)
        #expect(RFC5322.header("Bad:Name\r\n", "x") == "BadName: x")
    }

    @Test func headersInOrderWithExtrasAndNoDuplicates() throws {
        let bytes = build(extras: Samples.extras + [("Subject", "spoofed"), ("to", "x@y")])
        let names = try #require(Decode.message(bytes)).headers.map(\.name)
        #expect(
            names == [
                "From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type",
                "Content-Transfer-Encoding",
                "Auto-Submitted", "X-Plankeeper-Plan", "X-Plankeeper-Item", "X-Plankeeper-Period", "X-Plankeeper-Kind",
                "X-Plankeeper-Due",
            ]
        )
        #expect(Decode.header("Message-ID", in: bytes) == "<3f1c2a9b7e.plankeeper@hospital.example>")
        #expect(Decode.header("Content-Type", in: bytes) == "text/plain; charset=utf-8")
        #expect(Decode.header("Content-Transfer-Encoding", in: bytes) == "base64")
        #expect(Decode.header("Date", in: bytes) == "Wed, 18 Nov 2026 08:30:00 +0800")
        #expect(Decode.header("X-Plankeeper-Due", in: bytes) == "2026-11-25")
        let to = try #require(Decode.header("To", in: bytes))
        #expect(
            to == "=?UTF-8?B?5byg5LiJ?= <zhangsan@hospital.example>, =?UTF-8?B?546L5LqU?= <wangwu@hospital.example>"
        )
    }

    @Test func subjectInjectionStaysInTheSubject() throws {
        let bytes = build(subject: "会议\r\nBcc: victim@example.com")
        let names = try #require(Decode.message(bytes)).headers.map { $0.name.lowercased() }
        #expect(!names.contains("bcc"))
    }

    @Test func base64BodyDecodesToTheOriginalText() throws {
        let body = NoticeMail.body(content, language: .zh) + "行尾空格   \n\n  😀 e\u{301}\r\nCR only\rend"
        let parsed = try #require(Decode.message(build(body: body)))
        let lines = String(decoding: parsed.body, as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.allSatisfy { $0.count <= 76 })
        let decoded = try #require(Decode.base64(lines.joined()))
        let text = try #require(String(validating: decoded, as: UTF8.self))
        let canonical =
            body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .replacingOccurrences(of: "\n", with: "\r\n") + "\r\n"
        #expect(text == canonical)
    }

    @Test func emptyRecipientsAndMessageID() throws {
        var envelope = Samples.envelope
        envelope.to = []
        envelope.messageID = " <> "
        let bytes = RFC5322.message(envelope: envelope, subject: "", body: "", extraHeaders: [])
        #expect(Decode.header("To", in: bytes) == "undisclosed-recipients:;")
        #expect(Decode.header("Message-ID", in: bytes) == nil)
    }

    /// Python's `email` package, an independent and strict parser, must read
    /// the Chinese subject, names and body back intact, with no defects.
    @Test(.enabled(if: python3Available, "python3 is not on PATH"))
    func pythonEmailParsesTheMessage() throws {
        let subject = "【党建督办】外科第二党支部 · 意识形态工作分析研判及向上级党委报送年度报告（2026-H2）· 已逾期 12 个工作日"
        let body = NoticeMail.body(content, language: .zh)
        let bytes = build(subject: subject, body: body)
        let script = """
            import sys, json, email
            from email import policy
            m = email.message_from_bytes(sys.stdin.buffer.read(), policy=policy.default)
            defects = [str(d) for d in m.defects]
            for k in m.keys():
                defects += [k + ": " + str(d) for d in m[k].defects]
            print(json.dumps({
                "subject": str(m["subject"]),
                "from": [m["from"].addresses[0].display_name, m["from"].addresses[0].addr_spec],
                "to": [[a.display_name, a.addr_spec] for a in m["to"].addresses],
                "type": m.get_content_type(), "charset": m.get_content_charset(),
                "body": m.get_content(), "plan": str(m["X-Plankeeper-Plan"]), "defects": defects}))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(bytes))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "python3 failed")
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["subject"] as? String == subject)
        #expect(json["from"] as? [String] == ["党建工作计划提醒", "plankeeper@hospital.example"])
        #expect(
            json["to"] as? [[String]] == [["张三", "zhangsan@hospital.example"], ["王五", "wangwu@hospital.example"]]
        )
        #expect(json["type"] as? String == "text/plain")
        #expect(json["charset"] as? String == "utf-8")
        #expect(json["plan"] as? String == "surgery-2-2026")
        #expect(json["defects"] as? [String] == [])
        let parsedBody = (json["body"] as? String)?.replacingOccurrences(of: "\r\n", with: "\n")
        #expect(parsedBody == body)
    }
}

/// Whether `python3` is on PATH (the check runs it through /usr/bin/env).
let python3Available: Bool = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/python3") }
}()
