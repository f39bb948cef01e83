import Testing

@testable import Tokens

@Suite struct ReplyAddressTests {
    @Test func insertsTheTokenAfterTheDelimiter() {
        #expect(ReplyAddress.make(base: "plankeeper@h.example", token: "abc") == "plankeeper+abc@h.example")
        #expect(ReplyAddress.make(base: "pk@h.example", token: "abc", delimiter: "-") == "pk-abc@h.example")
        #expect(ReplyAddress.make(base: "no-at-sign", token: "abc") == nil)
        #expect(ReplyAddress.make(base: "@h.example", token: "abc") == nil)
        #expect(ReplyAddress.make(base: "pk@", token: "abc") == nil)
    }

    @Test func refusesALocalPartOver64Characters() {
        let token = String(repeating: "a", count: ReplyToken.encodedLength)
        let longest = String(repeating: "p", count: ReplyAddress.longestBaseLocalPart)
        #expect(
            ReplyAddress.make(base: "\(longest)@h.example", token: token).map { $0.split(separator: "@")[0].count }
                == 64
        )
        #expect(ReplyAddress.make(base: "\(longest)p@h.example", token: token) == nil)
        #expect(ReplyAddress.longestBaseLocalPart >= "plankeeper".count)
    }

    @Test func findsTheTokenInARecipient() {
        #expect(ReplyAddress.token(in: "plankeeper+abc@h.example") == "abc")
        #expect(ReplyAddress.token(in: " <plankeeper+abc@h.example> ") == "abc")
        #expect(ReplyAddress.token(in: "plankeeper+abc+def@h.example") == "abc+def")
        #expect(ReplyAddress.token(in: "plankeeper@h.example") == nil)
        #expect(ReplyAddress.token(in: "plankeeper+@h.example") == nil)
        #expect(ReplyAddress.token(in: "") == nil)
        #expect(ReplyAddress.token(in: "a+b") == "b")
    }
}
