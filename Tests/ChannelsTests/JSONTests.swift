import Channels
import Testing

@Suite struct JSONTests {
    @Test func writesKeysInOrderAndUTF8AsIs() {
        let v = JSONValue.object([
            ("msgtype", .string("text")), ("text", .object([("content", .string("党建 \"提醒\"\n\\ /"))])),
            ("n", .number(-12)), ("ok", .bool(true)), ("none", .null), ("list", .array([])),
        ])
        #expect(
            text(v.bytes)
                == #"{"msgtype":"text","text":{"content":"党建 \"提醒\"\n\\ /"},"n":-12,"ok":true,"none":null,"list":[]}"#
        )
        // 3 bytes a character, not 6 (\u515a).
        #expect(JSONValue.string("党").bytes == [0x22, 0xE5, 0x85, 0x9A, 0x22])
    }

    @Test func escapesControlCharacters() {
        #expect(text(JSONValue.string("a\u{01}b\tc\u{1F}").bytes) == #""a\u0001b\tc\u001f""#)
    }

    @Test func writtenSizeMatchesTheBytes() {
        for s in ["", "党建", "a\"b\\c\n\r\t\u{08}\u{0C}\u{01}", String(repeating: "支部", count: 300), "emoji 🇨🇳 \u{7F}"] {
            #expect(JSONValue.writtenSize(s) == JSONValue.string(s).bytes.count)
        }
    }

    @Test func readsAnswersAndRoundTrips() {
        let v = JSONReader.parse(
            Array(
                #" {"errcode": 0, "errmsg":"ok","invaliduser":"a|b","n":[1,2.5,-3e2],"x":{"y":null},"u":"\u515a\ud83c\udde8\/"} "#
                    .utf8
            )
        )
        #expect(v?["errcode"]?.integer == 0)
        #expect(v?["invaliduser"]?.string == "a|b")
        #expect(v?["u"]?.string == "党🇨/")
        #expect(v?["n"] == .array([.number(1), .number(2), .number(-3)]))
        let again = JSONValue.object([("k", .string("党\n\"x\""))])
        #expect(JSONReader.parse(again.bytes) == again)
    }

    @Test func refusesWhatIsNotJSON() {
        for bad in [
            "", "{", "{\"a\":}", "[1,]", "{\"a\":1}x", "\"\u{01}\"", "\"\\x\"", "tru", "{\"a\" 1}", "\"\\ud800\"",
        ] {
            #expect(JSONReader.parse(Array(bad.utf8)) == nil, "\(bad)")
        }
        #expect(JSONReader.parse([0x22, 0xFF, 0x22]) == nil)
        let deep = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
        #expect(JSONReader.parse(Array(deep.utf8)) == nil)
        #expect(JSONReader.parse([UInt8](repeating: 0x20, count: JSONReader.maximumSize + 1)) == nil)
    }
}
