import Foundation
import Logging
import Testing

@testable import Journal

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Where the log goes: the journal only when there is one, and an override.
@Suite struct JournalDetectionTests {
    @Test func journalStreamMeansJournalEvenWithoutSeeingTheSocket() {
        #expect(JournalDetection.journalAvailable(environment: ["JOURNAL_STREAM": "8:12345"], socketExists: false))
    }

    @Test func theSocketAloneMeansJournal() {
        #expect(JournalDetection.journalAvailable(environment: [:], socketExists: true))
    }

    @Test func neitherMeansNoJournal() {
        #expect(!JournalDetection.journalAvailable(environment: [:], socketExists: false))
        #expect(!JournalDetection.journalAvailable(environment: ["JOURNAL_STREAM": ""], socketExists: false))
    }

    @Test(
        arguments: [
            // (PLANKEEPER_LOG, socket exists, expected)
            (nil, true, JournalDetection.Destination.journal),
            (nil, false, .stderr),
            ("journal", false, .journal),
            ("stderr", true, .stderr),
            ("STDERR", true, .stderr),
            (" journal\n", false, .journal),
            ("auto", true, .journal),
            ("auto", false, .stderr),
            ("", false, .stderr),
            ("syslog", true, .journal),  // unknown: detect, never silence
            ("syslog", false, .stderr),
        ] as [(String?, Bool, JournalDetection.Destination)]
    )
    func overrideOrDetect(forced: String?, socketExists: Bool, expected: JournalDetection.Destination) {
        var environment: [String: String] = [:]
        if let forced { environment["PLANKEEPER_LOG"] = forced }
        #expect(JournalDetection.destination(environment: environment, socketExists: socketExists) == expected)
    }

    @Test func stderrOverrideWinsOverTheSocket() {
        let environment = ["PLANKEEPER_LOG": "stderr", "JOURNAL_STREAM": "8:1"]
        #expect(JournalDetection.destination(environment: environment, socketExists: true) == .stderr)
    }

    /// Without the socket, journal entries would vanish (sd_journal_sendv
    /// returns 0), whereas stderr lines reach the journal through the stream.
    @Test func journalStreamWithoutTheSocketMeansStderr() {
        #expect(JournalDetection.destination(environment: ["JOURNAL_STREAM": "8:1"], socketExists: false) == .stderr)
        #expect(JournalDetection.destination(environment: ["JOURNAL_STREAM": "8:1"], socketExists: true) == .journal)
    }

    @Test func makeHandlerFollowsTheDestination() throws {
        func make(_ environment: [String: String], socket: Bool, stream: Bool = false) -> any LogHandler {
            JournalDetection.makeHandler(
                label: "l",
                environment: environment,
                socketExists: socket,
                stderrIsJournal: stream
            )
        }
        #expect(make(["PLANKEEPER_LOG": "stderr"], socket: true) is StderrLogHandler)
        #expect(make(["PLANKEEPER_LOG": "journal"], socket: false) is JournalLogHandler)
        #expect(make([:], socket: true) is JournalLogHandler)
        let plain = try #require(make([:], socket: false) as? StderrLogHandler)
        #expect(!plain.syslogPriorityPrefix)
        let toStream = try #require(make(["JOURNAL_STREAM": "8:1"], socket: false, stream: true) as? StderrLogHandler)
        #expect(toStream.syslogPriorityPrefix)
        // The public entry point, with the override so the host does not matter.
        #expect(JournalDetection.makeHandler(label: "l", environment: ["PLANKEEPER_LOG": "stderr"]) is StderrLogHandler)
        #expect(
            JournalDetection.makeHandler(label: "l", environment: ["PLANKEEPER_LOG": "journal"]) is JournalLogHandler
        )
    }

    @Test func parsesJournalStream() {
        #expect(JournalDetection.parseJournalStream("8:12345")?.device == 8)
        #expect(JournalDetection.parseJournalStream("8:12345")?.inode == 12345)
        for bad in ["", "8", "8:", ":1", "8:1:2", "a:b", "-1:2", " 8:1"] {
            #expect(JournalDetection.parseJournalStream(bad) == nil, "\(bad)")
        }
    }

    /// `$JOURNAL_STREAM` counts only when it names our actual stderr.
    @Test func journalStreamMustMatchStandardError() {
        var status = stat()
        guard fstat(2, &status) == 0 else { return }
        let own = "\(status.st_dev):\(status.st_ino)"
        let other = "\(status.st_dev):\(status.st_ino &+ 1)"
        #expect(JournalDetection.standardErrorIsJournalStream(environment: ["JOURNAL_STREAM": own]))
        #expect(!JournalDetection.standardErrorIsJournalStream(environment: ["JOURNAL_STREAM": other]))
        #expect(!JournalDetection.standardErrorIsJournalStream(environment: [:]))
    }

    @Test func onlyASocketCountsAsTheSocket() throws {
        #expect(!JournalDetection.isSocket(atPath: "/nonexistent/plankeeper/socket"))
        #expect(!JournalDetection.isSocket(atPath: FileManager.default.temporaryDirectory.path))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("plankeeper-\(UUID()).sock")
        try Data().write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(!JournalDetection.isSocket(atPath: file.path))
    }

    @Test func processEnvironmentReadsOnlyTheRelevantVariables() {
        let keys = Set(JournalDetection.processEnvironment.keys)
        #expect(keys.isSubset(of: ["JOURNAL_STREAM", "PLANKEEPER_LOG"]))
        #expect(
            JournalDetection.processEnvironment["JOURNAL_STREAM"]
                == ProcessInfo.processInfo.environment["JOURNAL_STREAM"]
        )
    }
}
