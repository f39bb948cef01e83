import Logging
import Testing

@testable import Journal

/// The handler around the pure mapping: metadata merging, value semantics,
/// and the stderr fallback when the journal refuses an entry.
@Suite struct JournalLogHandlerTests {
    struct Sent: Sendable {
        var fields: [(String, String)]
        func values(_ name: String) -> [String] { fields.filter { $0.0 == name }.map(\.1) }
    }

    /// A handler whose journal returns `result`, recording what it was sent
    /// and what fell back to stderr.
    func handler(
        result: Int32 = 0,
        provider: Logger.MetadataProvider? = nil
    ) -> (JournalLogHandler, Recorder<Sent>, Recorder<String>) {
        let sent = Recorder<Sent>()
        let fallback = Recorder<String>()
        let transport = JournalLogHandler.Transport(
            send: { fields in
                sent.append(Sent(fields: fields))
                return result
            },
            fallback: { fallback.append($0) }
        )
        let handler = JournalLogHandler(
            label: "test",
            identifier: "plankeeper",
            metadataProvider: provider,
            transport: transport
        )
        return (handler, sent, fallback)
    }

    @Test func sendsTheMappedFields() throws {
        let (handler, sent, fallback) = handler()
        var logger = Logger(label: "test") { _ in handler }
        logger.logLevel = .debug
        logger.debug("调试", metadata: ["plankeeper_plan": "p1"])
        let entry = try #require(sent.all.first)
        #expect(sent.all.count == 1)
        #expect(entry.values("MESSAGE") == ["调试"])
        #expect(entry.values("PRIORITY") == ["7"])
        #expect(entry.values("PLANKEEPER_PLAN") == ["p1"])
        #expect(entry.values("CODE_FUNC") == ["sendsTheMappedFields()"])
        #expect(entry.values("CODE_FILE").first?.hasSuffix("JournalLogHandlerTests.swift") == true)
        #expect(entry.values("SWIFT_LOG_SOURCE") == ["JournalTests"])
        #expect(fallback.all.isEmpty)
    }

    @Test func callMetadataWinsOverProviderWhichWinsOverHandler() throws {
        let provider = Logger.MetadataProvider { ["a": "provider", "b": "provider"] }
        var (handler, sent, _) = handler(provider: provider)
        handler.metadata = ["a": "handler", "b": "handler", "c": "handler"]
        handler[metadataKey: "d"] = "handler"
        let logger = Logger(label: "test") { _ in handler }
        logger.info("m", metadata: ["b": "call"])
        let entry = try #require(sent.all.first)
        #expect(entry.values("A") == ["provider"])
        #expect(entry.values("B") == ["call"])
        #expect(entry.values("C") == ["handler"])
        #expect(entry.values("D") == ["handler"])
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String { "mail server refused" }
    }

    @Test func anAttachedErrorIsKept() throws {
        let (handler, sent, _) = handler()
        let logger = Logger(label: "test") { _ in handler }
        logger.error("delivery failed", error: Failure())
        #expect(try #require(sent.all.first).values("ERROR") == ["mail server refused"])
    }

    @Test func aNegativeResultFallsBackToStderrWithTheReason() throws {
        let (handler, sent, fallback) = handler(result: -111)
        let logger = Logger(label: "test") { _ in handler }
        logger.warning("逾期\n第二行", metadata: ["plankeeper_plan": "p1"])
        #expect(sent.all.count == 1)
        let line = try #require(fallback.all.first)
        #expect(line.hasPrefix("plankeeper["))
        #expect(line.contains("]: warning: 逾期\\n第二行 "))
        #expect(line.contains(#"journal_error="Connection refused (-111)""#))
        #expect(line.contains("plankeeper_plan=p1"))
        #expect(line.hasSuffix("\n"))
    }

    @Test func successWritesNothingToStderr() {
        let (handler, _, fallback) = handler(result: 0)
        Logger(label: "test") { _ in handler }.critical("x")
        #expect(fallback.all.isEmpty)
    }

    /// swift-log's required value semantics: a copy's level and metadata are
    /// its own.
    @Test func logHandlerValueSemantics() {
        let (handler, _, _) = handler()
        var logger1 = Logger(label: "first") { _ in handler }
        logger1.logLevel = .debug
        logger1[metadataKey: "only-on"] = "first"

        var logger2 = logger1
        logger2.logLevel = .error
        logger2[metadataKey: "only-on"] = "second"

        #expect(logger1.logLevel == .debug)
        #expect(logger2.logLevel == .error)
        #expect(logger1[metadataKey: "only-on"] == "first")
        #expect(logger2[metadataKey: "only-on"] == "second")
    }

    @Test func levelFilteringHappensBeforeSending() {
        let (handler, sent, _) = handler()
        let logger = Logger(label: "test") { _ in handler }  // default level: info
        logger.debug("dropped by level")
        logger.info("kept")
        #expect(sent.all.count == 1)
    }

    @Test func describesErrorNumbers() {
        #expect(JournalLogHandler.describe(errorNumber: 111) == "Connection refused")
    }
}
