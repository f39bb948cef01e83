import Testing

@testable import InboundMail
import Vocabulary

@Suite struct DecodingTests {
    @Test func encodedWordsInEveryChineseCharset() {
        #expect(EncodedWords.decode(Array("=?gb2312?B?zfXO5Q==?=".utf8)) == "王五")
        #expect(EncodedWords.decode(Array("=?GBK?Q?=CD=F5=CE=E5?=".utf8)) == "王五")
        #expect(EncodedWords.decode(Array("=?big5?B?s6+kaqTl?=".utf8)) == "陳大文")
        #expect(EncodedWords.decode(Array("=?UTF-8?Q?Re:_=E5=AE=8C=E6=88=90?=".utf8)) == "Re: 完成")
        #expect(EncodedWords.decode(Array("=?utf-8*zh?B?5a6M5oiQ?=".utf8)) == "完成")
    }

    @Test func joinsWordsThatSplitACharacterAndDropsTheBlanksBetweenThem() {
        // "王五" in GBK is CD F5 CE E5; a client split it after the third byte.
        #expect(EncodedWords.decode(Array("=?GBK?B?zfXO?=\r\n =?GBK?B?5Q==?=".utf8)) == "王五")
        #expect(EncodedWords.decode(Array("=?UTF-8?B?5a6M?= =?UTF-8?B?5oiQ?= done".utf8)) == "完成 done")
        // Text between words keeps its blanks.
        #expect(EncodedWords.decode(Array("Re: =?UTF-8?B?5a6M5oiQ?= ok".utf8)) == "Re: 完成 ok")
    }

    @Test func leavesWhatIsNotAnEncodedWordAlone() {
        #expect(EncodedWords.decode(Array("=?broken".utf8)) == "=?broken")
        #expect(EncodedWords.decode(Array("a =?x?Z?abc?= b".utf8)) == "a =?x?Z?abc?= b")
        #expect(EncodedWords.decode(Array("=??B?abc?=".utf8)) == "=??B?abc?=")
    }

    @Test func rawEightBitHeadersAreUTF8OrGBK() {
        #expect(EncodedWords.decode(Array("回复：完成".utf8)) == "回复：完成")
        #expect(EncodedWords.decode([0xCD, 0xF5, 0xCE, 0xE5]) == "王五")
    }

    @Test func charsetsAreWidenedToWhatClientsMean() {
        // 㐀 (U+3400) and 𠀀 (U+20000) are four-byte GB18030, in neither GB2312 nor GBK; clients
        // still label such text gb2312 or GBK.
        let text: [UInt8] = [0xCD, 0xF5, 0x81, 0x39, 0xEE, 0x39, 0x95, 0x32, 0x82, 0x36]
        #expect(CharsetDecoder.decode(text, charset: "gb2312").text == "王㐀𠀀")
        #expect(CharsetDecoder.decode(text, charset: "\"GBK\"").text == "王㐀𠀀")
        #expect(!CharsetDecoder.decode(text, charset: "GB18030").lossy)
        // The HKSCS superset of Big5.
        #expect(CharsetDecoder.decode([0xB3, 0xAF], charset: "big5").text == "陳")
        #expect(CharsetDecoder.decode([0xE9], charset: "iso-8859-1").text == "é")
        #expect(CharsetDecoder.decode([0xFF, 0xFE, 0x8C, 0x5B], charset: "utf-16").text == "完")
    }

    @Test func badBytesBecomeReplacementsNotFailures() {
        let decoded = CharsetDecoder.decode([0xE5, 0xAE, 0x8C, 0xFF, 0x41], charset: "utf-8")
        #expect(decoded.lossy)
        #expect(decoded.text.hasPrefix("完") || decoded.text.contains("\u{FFFD}"))
        let gbk = CharsetDecoder.decode([0xCD, 0xF5, 0xFF, 0x41], charset: "gbk")
        #expect(gbk.lossy)
        #expect(gbk.text == "王\u{FFFD}A")
        let cut = CharsetDecoder.decode([0xCD, 0xF5, 0xCE], charset: "gbk")
        #expect(cut.text == "王\u{FFFD}")
    }

    @Test func unknownCharsetsAreReadAsUTF8WithANote() {
        let decoded = CharsetDecoder.decode(Array("完成".utf8), charset: "x-made-up")
        #expect(decoded.text == "完成")
        #expect(decoded.unknownCharset == "x-made-up")
        // A label with characters no charset name has never reaches iconv.
        #expect(CharsetDecoder.decode(Array("ok".utf8) + [0xE5], charset: "../../etc/x").unknownCharset != nil)
    }

    @Test func unlabelledEightBitTextIsUTF8ThenGB18030() {
        #expect(CharsetDecoder.decode(Array("完成".utf8), charset: nil).text == "完成")
        #expect(CharsetDecoder.decode([0xCD, 0xEA, 0xB3, 0xC9], charset: "us-ascii").text == "完成")
    }

    @Test func quotedPrintableAndBase64AreLenient() {
        #expect(TransferDecoding.quotedPrintable(Array("a=3Db=\r\nc=\nd= \r\ne".utf8)) == Array("a=bcde".utf8))
        #expect(TransferDecoding.quotedPrintable(Array("50%=off =ZZ end=".utf8)) == Array("50%=off =ZZ end".utf8))
        #expect(TransferDecoding.quotedPrintable(Array("a_b".utf8), underscoreIsSpace: true) == Array("a b".utf8))
        #expect(TransferDecoding.base64(Array("5a6M\r\n5oiQ".utf8)) == Array("完成".utf8))
        #expect(TransferDecoding.base64(Array("5a6M5oiQ!!".utf8)) == Array("完成".utf8))
        #expect(TransferDecoding.base64(Array("5a4=5oiQ".utf8)).count == 5)  // concatenated blocks
    }

    @Test func parametersWithRFC2231AndEncodedWords() {
        let split = HeaderParameters.parse(
            Array("attachment;\r\n filename*0*=UTF-8''%E4%BC%9A%E8%AE%AE;\r\n filename*1*=%E8%AE%B0%E5%BD%95.pdf".utf8)
        )
        #expect(split.value == "attachment")
        #expect(split["filename"] == "会议记录.pdf")
        let gbk = HeaderParameters.parse(Array("application/pdf; name=\"=?GBK?B?u+HS6bzNwrwucGRm?=\"".utf8))
        #expect(gbk["name"] == "会议纪录.pdf")
        let quoted = HeaderParameters.parse(Array("text/plain; charset=\"gb2312\" (comment); format=flowed".utf8))
        #expect(quoted.value == "text/plain")
        #expect(quoted["charset"] == "gb2312")
        #expect(quoted["format"] == "flowed")
        let escaped = HeaderParameters.parse(Array(#"inline; filename="a \"b\".txt""#.utf8))
        #expect(escaped["filename"] == #"a "b".txt"#)
        #expect(HeaderParameters.parse(Array("TEXT/HTML".utf8)).value == "text/html")
    }

    @Test func headersUnfoldAndTheBodyStartsAfterTheBlankLine() {
        let raw = Fixture.raw(
            "From: a@b",
            "Subject: =?UTF-8?B?5a6M?=",
            "\t=?UTF-8?B?5oiQ?=",
            "X-Empty:",
            "",
            "body",
            ""
        )
        let (headers, bodyStart, truncated) = MessageHeaders.parse(raw)
        #expect(!truncated)
        #expect(headers["subject"] == "完成")
        #expect(headers["X-Empty"] == "")
        #expect(Array(raw[bodyStart...]) == Array("body\r\n".utf8))
        // LF-only messages and an mbox "From " line.
        let lf = Array("From wangwu@x Fri Nov 20 10:00:00 2026\nSubject: hi\n\nbody".utf8)
        let (h2, s2, _) = MessageHeaders.parse(lf)
        #expect(h2["Subject"] == "hi")
        #expect(String(decoding: lf[s2...], as: UTF8.self) == "body")
    }

    @Test func mailboxesAsClientsWriteThem() {
        #expect(
            Address.received(Array("\"=?GB2312?B?zfXO5Q==?=\" <wangwu@x.example>".utf8))
                == Address(name: "王五", address: "wangwu@x.example")
        )
        #expect(
            Address.received(Array("wangwu@x.example (王五)".utf8)) == Address(name: "王五", address: "wangwu@x.example")
        )
        #expect(Address.received(Array("<WangWu@X.example>".utf8))?.matches("wangwu@x.example") == true)
        #expect(Address.received(Array("\"Wang, Wu\" <w@x.example>".utf8))?.name == "Wang, Wu")
        #expect(
            Address.receivedList(Array("a@x.example, \"B, C\" <b@x.example>; d@x.example".utf8)).map(\.address)
                == ["a@x.example", "b@x.example", "d@x.example"]
        )
        #expect(Address.received(Array("undisclosed-recipients:;".utf8)) == nil)
        #expect(Address.received(Array("no address here".utf8)) == nil)
    }
}
