import Testing
@testable import MailFormat
import Vocabulary

@Suite struct EncodedWordTests {
    @Test func asciiTextIsLeftAsIs() {
        #expect(RFC5322.encodeWord("Monthly branch meeting") == "Monthly branch meeting")
        #expect(RFC5322.encodeWord("") == "")
    }

    @Test func longChineseSubjectRoundTripsInShortWords() throws {
        let subject = "【党建督办】外科第二党支部 · 意识形态工作分析研判及向上级党委报送年度报告（2026-H2）· 已逾期 12 个工作日，请各支部书记高度重视、立即整改落实"
        let encoded = RFC5322.encodeWord(subject)
        let words = encoded.split(separator: " ").filter { $0.hasPrefix("=?") }
        #expect(words.count > 3)
        for word in words {
            #expect(word.count <= 75, "\(word) has \(word.count) characters")
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
        }
        #expect(encoded.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(Decode.encodedWords(encoded) == subject)
    }

    @Test func englishWordsAroundChineseStayReadable() {
        let subject = "[Party work reminder] 外科第二党支部 · 支部委员会会议 (2026-11) · 5 working days left"
        let encoded = RFC5322.encodeWord(subject)
        #expect(encoded.hasPrefix("[Party work reminder] =?UTF-8?B?"))
        #expect(encoded.hasSuffix("?= 5 working days left"))
        #expect(Decode.encodedWords(encoded) == subject)
    }

    @Test func encodedWordLookalikesAndOverlongWordsAreEncoded() {
        let lookalike = "see =?UTF-8?B?5L2g?= here"
        #expect(RFC5322.encodeWord(lookalike) != lookalike)
        #expect(Decode.encodedWords(RFC5322.encodeWord(lookalike)) == lookalike)
        let long = "x" + String(repeating: "0123456789", count: 20)
        let encoded = RFC5322.encodeWord("id " + long)
        #expect(encoded.split(separator: " ").allSatisfy { $0.count <= 75 })
        #expect(Decode.encodedWords(encoded) == "id " + long)
    }

    @Test func controlCharactersCannotInjectHeaders() {
        let encoded = RFC5322.encodeWord("会议\r\nBcc: victim@example.com")
        #expect(!encoded.contains("\r") && !encoded.contains("\n"))
        #expect(Decode.encodedWords(encoded) == "会议  Bcc: victim@example.com")
    }

    /// 300 fixed-seed strings mixing ASCII, spaces, CJK, 4-byte scalars,
    /// combining marks and ZWJ emoji: every one must round-trip, and no word
    /// may exceed 75 characters or carry half a character.
    @Test func randomTextRoundTrips() throws {
        let pool: [String] = [
            "a", "Z", "7", " ", "  ", "-", "=", "?", "_", "党", "支", "部", "【", "】", "·", "（", "）", "é", "e\u{301}",
            "𠀋", "😀", "👨‍👩‍👧‍👦", "🇨🇳", "\u{3000}", "=?", "x=?y",
        ]
        var rng = SplitMix64(state: 2026)
        for _ in 0..<300 {
            let length = Int.random(in: 0...60, using: &rng)
            let text = (0..<length).map { _ in pool.randomElement(using: &rng)! }.joined()
            let encoded = RFC5322.encodeWord(text)
            #expect(encoded.unicodeScalars.allSatisfy { $0.isASCII }, "\(text)")
            for word in encoded.split(separator: " ") where word.hasPrefix("=?") {
                #expect(word.count <= 75)
            }
            #expect(Decode.encodedWords(encoded) == text, "\(text.debugDescription) → \(encoded)")
        }
    }

    @Test func familyEmojiStaysInOneWord() {
        let family = "👨‍👩‍👧‍👦"  // 25 bytes, one grapheme cluster
        let encoded = RFC5322.encodeWord(String(repeating: "党", count: 13) + family)
        let words = encoded.split(separator: " ")
        #expect(words.count == 2)
        #expect(Decode.encodedWords(String(words[1])) == family)
    }

    @Test func mailboxes() throws {
        #expect(
            RFC5322.mailbox(Address(name: "王五", address: "wangwu@hospital.example"))
                == "=?UTF-8?B?546L5LqU?= <wangwu@hospital.example>"
        )
        #expect(
            RFC5322.mailbox(Address(name: "Wang Wu", address: "wangwu@hospital.example"))
                == "Wang Wu <wangwu@hospital.example>"
        )
        #expect(
            RFC5322.mailbox(Address(name: "Wang, Wu (Dr.)", address: "w@h.example"))
                == "\"Wang, Wu (Dr.)\" <w@h.example>"
        )
        #expect(
            RFC5322.mailbox(Address(name: "say \"hi\"", address: "w@h.example")) == "\"say \\\"hi\\\"\" <w@h.example>"
        )
        #expect(RFC5322.mailbox(Address(name: "", address: "w@h.example")) == "w@h.example")
        #expect(RFC5322.mailbox(Address(name: "x", address: "w@h.example>\r\nBcc: v@x")) == "x <w@h.exampleBcc:v@x>")
        let long = Address(name: "外科第二党支部党建工作计划提醒系统管理员（值班）", address: "admin@hospital.example")
        let text = RFC5322.mailbox(long)
        let words: [Substring] = text.split(separator: " " as Character)
        #expect(words.count > 2 && words.dropLast().allSatisfy { $0.count <= 75 })
        let display = String(text[..<(text.firstRange(of: " <")?.lowerBound ?? text.startIndex)])
        #expect(Decode.encodedWords(display) == long.name)
    }
}
