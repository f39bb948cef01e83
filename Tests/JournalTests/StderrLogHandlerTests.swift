import Logging
import Testing

@testable import Journal

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Readable, one-line-per-event stderr output.
@Suite struct StderrLogHandlerTests {
    @Test func formatsALine() {
        let line = StderrLogHandler.line(
            identifier: "plankeeper",
            pid: 42,
            level: .notice,
            message: "提醒已发送",
            metadata: ["plankeeper_plan": "surgery-2", "plankeeper_item": "党员大会"]
        )
        #expect(line == "plankeeper[42]: notice: 提醒已发送 plankeeper_item=党员大会 plankeeper_plan=surgery-2\n")
    }

    @Test func aLineWithoutMetadataHasNoTrailingSpace() {
        let line = StderrLogHandler.line(identifier: "plankeeper", pid: 1, level: .info, message: "ok", metadata: [:])
        #expect(line == "plankeeper[1]: info: ok\n")
    }

    @Test func oneEventIsAlwaysOneLine() {
        let line = StderrLogHandler.line(
            identifier: "plankeeper",
            pid: 7,
            level: .error,
            message: "第一行\n第二行\r\tend\u{1B}[31m",
            metadata: ["note": "a\nb"]
        )
        #expect(line == #"plankeeper[7]: error: 第一行\n第二行\r\tend\u{1b}[31m note="a\nb""# + "\n")
        #expect(line.filter { $0 == "\n" }.count == 1)
    }

    @Test(arguments: [
        ("plain", "plain"),
        ("党员大会", "党员大会"),
        ("two words", #""two words""#),
        ("", #""""#),
        (#"say "hi""#, #""say \"hi\"""#),
        ("a=b", #""a=b""#),
        (#"C:\dir"#, #""C:\\dir""#),
        ("全角\u{3000}空格", "\"全角\u{3000}空格\""),
    ])
    func quotesValuesOnlyWhenNeeded(value: String, rendered: String) {
        #expect(StderrLogHandler.quotedIfNeeded(value) == rendered)
    }

    @Test func nestedValuesUseTheJournalFlattening() {
        let line = StderrLogHandler.line(
            identifier: "p",
            pid: 1,
            level: .info,
            message: "m",
            metadata: ["list": ["a", "b"]]
        )
        #expect(line == #"p[1]: info: m list="[a, b]""# + "\n")
    }

    /// When stderr is a journal stream, `<N>` gives journald the priority,
    /// including a `priority` metadata override.
    @Test func syslogPrefixCarriesThePriority() throws {
        let lines = Recorder<String>()
        let handler = StderrLogHandler(
            label: "test",
            identifier: "plankeeper",
            syslogPriorityPrefix: true,
            metadataProvider: nil,
            write: { lines.append($0) }
        )
        let logger = Logger(label: "test") { _ in handler }
        logger.warning("a")
        logger.info("b", metadata: ["priority": "3"])
        #expect(
            lines.all == [
                "<4>plankeeper[\(getpid())]: warning: a\n", "<3>plankeeper[\(getpid())]: info: b priority=3\n",
            ]
        )
    }

    @Test func handlerWritesThroughItsWriterWithItsPID() throws {
        let lines = Recorder<String>()
        var handler = StderrLogHandler(
            label: "test",
            identifier: "plankeeper",
            metadataProvider: nil,
            write: { lines.append($0) }
        )
        handler.metadata = ["branch": "外科第二党支部"]
        let logger = Logger(label: "test") { _ in handler }
        logger.warning("缺少节假日安排", metadata: ["year": "2027"])
        let line = try #require(lines.all.first)
        #expect(line == "plankeeper[\(getpid())]: warning: 缺少节假日安排 branch=外科第二党支部 year=2027\n")
    }
}
