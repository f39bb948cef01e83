import Foundation
import MailFormat
import Vocabulary
import WorkCalendar

/// Independent decoders for what MailFormat encodes: written from the RFCs,
/// sharing no code with the encoder, so a bug cannot cancel itself out.
enum Decode {
    static func base64(_ text: some StringProtocol) -> [UInt8]? {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        var padding = 0
        for c in text.utf8 {
            if c == UInt8(ascii: "=") {
                padding += 1
                continue
            }
            guard padding == 0, let v = table.firstIndex(of: c) else { return nil }
            buffer = buffer << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(buffer >> UInt32(bits) & 0xFF))
            }
        }
        return out
    }

    /// RFC 2047 §6.2: encoded words are decoded, whitespace between two
    /// adjacent encoded words is dropped, all other text is kept.
    static func encodedWords(_ text: String) -> String? {
        var out = ""
        var spaces = 0
        var previousWasEncoded = false
        for (i, token) in text.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            if i > 0 { spaces += 1 }
            if token.isEmpty { continue }
            if token.hasPrefix("=?") && token.hasSuffix("?=") && token.count >= 8 {
                let parts = token.dropFirst(2).dropLast(2).split(separator: "?", omittingEmptySubsequences: false)
                guard parts.count == 3, parts[0].uppercased() == "UTF-8", parts[1].uppercased() == "B",
                    let bytes = base64(parts[2]), let decoded = String(validating: bytes, as: UTF8.self)
                else { return nil }  // also rejects a word that splits a UTF-8 sequence
                if !previousWasEncoded { out += String(repeating: " ", count: spaces) }
                out += decoded
                previousWasEncoded = true
            } else {
                out += String(repeating: " ", count: spaces) + token
                previousWasEncoded = false
            }
            spaces = 0
        }
        return out + String(repeating: " ", count: spaces)
    }

    /// Splits a message into unfolded headers and the raw body.
    static func message(
        _ bytes: [UInt8]
    ) -> (headers: [(name: String, value: String)], rawHeaders: String, body: [UInt8])? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let range = bytes.firstRange(of: separator) else { return nil }
        let head = String(decoding: bytes[..<range.lowerBound], as: UTF8.self)
        let body = Array(bytes[range.upperBound...])
        var headers: [(name: String, value: String)] = []
        for line in head.components(separatedBy: "\r\n") {
            if line.hasPrefix(" ") || line.hasPrefix("\t"), !headers.isEmpty {
                headers[headers.count - 1].value += line  // unfold: drop only the CRLF
            } else if let colon = line.firstIndex(of: ":") {
                var value = String(line[line.index(after: colon)...])
                if value.hasPrefix(" ") { value.removeFirst() }
                headers.append((String(line[..<colon]), value))
            }
        }
        return (headers, head, body)
    }

    static func header(_ name: String, in bytes: [UInt8]) -> String? {
        message(bytes)?.headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// Column width as a terminal draws it, written separately from MailFormat's.
func columns(_ text: some StringProtocol) -> Int {
    text.unicodeScalars.reduce(0) { sum, s in
        let v = s.value
        let wide =
            (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
        return sum + (wide ? 2 : 1)
    }
}

/// A fixed-seed generator: "random" inputs that are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum Samples {
    static let due = CivilDate(iso: "2026-11-25")!  // a Wednesday
    static let secretary = Address(name: "王五", address: "wangwu@hospital.example")

    static func content(_ kind: NoticeKind = .reminder, workdaysLeft: Int = 5) -> NoticeContent {
        NoticeContent(
            kind: kind,
            planID: "surgery-2-2026",
            itemID: "committee",
            period: "2026-11",
            owner: "外科第二党支部",
            planTitle: "外科第二党支部 2026 年党建工作计划",
            itemTitle: "支部委员会会议",
            due: due,
            workdaysLeft: workdaysLeft,
            note: "会议记录请于会后 3 个工作日内交党委办公室。",
            contact: secretary,
            offset: "7d"
        )
    }

    static func redEducation(done: Int) -> NoticeContent {
        var c = content()
        c.itemID = "red-education"
        c.itemTitle = "红色教育"
        c.period = "2026"
        c.due = CivilDate(iso: "2026-12-31")!
        c.requiredCount = 2...3
        c.doneCount = done
        c.note = nil
        return c
    }

    static let envelope = MailEnvelope(
        from: Address(name: "党建工作计划提醒", address: "plankeeper@hospital.example"),
        to: [Address(name: "张三", address: "zhangsan@hospital.example"), secretary],
        date: "Wed, 18 Nov 2026 08:30:00 +0800",
        messageID: "3f1c2a9b7e.plankeeper@hospital.example"
    )

    static let extras: [(String, String)] = [
        ("X-Plankeeper-Plan", "surgery-2-2026"), ("X-Plankeeper-Item", "committee"),
        ("X-Plankeeper-Period", "2026-11"), ("X-Plankeeper-Kind", "reminder"), ("X-Plankeeper-Due", "2026-11-25"),
    ]

    static let backlog: [BacklogEntry] = [
        BacklogEntry(
            owner: "外科第二党支部",
            itemTitle: "支部委员会会议",
            period: "2026-09",
            planID: "surgery-2-2026",
            itemID: "committee",
            due: CivilDate(iso: "2026-09-30")!,
            workdaysOverdue: 31
        ),
        BacklogEntry(
            owner: "内科第一党支部",
            itemTitle: "支部党员大会",
            period: "2026-Q3",
            planID: "medicine-1-2026",
            itemID: "assembly",
            due: CivilDate(iso: "2026-09-30")!,
            workdaysOverdue: 31
        ),
        BacklogEntry(
            owner: "外科第二党支部",
            itemTitle: "意识形态工作分析研判",
            period: "2026-H1",
            planID: "surgery-2-2026",
            itemID: "ideology",
            due: CivilDate(iso: "2026-06-30")!,
            workdaysOverdue: 92
        ),
    ]
}
