import Foundation
import GRDB
import PlankeeperTestSupport
import Testing

@testable import Ledger

/// The ledger file shared by the daemon and the CLI: two processes, simulated
/// here by two `Ledger` values with their own connections to one file.
@Suite struct SharedFileTests {
    @Test func openCreatesTheFolderAndTheFile() throws {
        let folder = try Scratch("plankeeper-ledger-tests")
        defer { folder.remove() }
        let nested = folder.path + "/var/lib/plankeeper"
        let ledger = try Ledger.open(folder: nested)
        #expect(ledger.path == nested + "/plankeeper.sqlite")
        #expect(FileManager.default.fileExists(atPath: nested + "/plankeeper.sqlite"))
        #expect(try ledger.records().isEmpty)
    }

    @Test func theFileIsInWALModeWithFullSync() throws {
        let folder = try Scratch("plankeeper-ledger-tests")
        defer { folder.remove() }
        let ledger = try Ledger.open(folder: folder.path)
        #expect(try ledger.writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "wal")
        // FULL (2): a handled mark survives power loss, not only a crash.
        #expect(try ledger.writer.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } == 2)
        // WAL is a property of the file: a plain connection sees it too.
        let raw = try DatabaseQueue(path: ledger.path ?? "")
        #expect(try raw.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "wal")
        #expect(ledger.writer.configuration.busyMode.isTimeout(5))
    }

    @Test func twoLedgersOnOneFileSeeEachOthersWrites() throws {
        let folder = try Scratch("plankeeper-ledger-tests")
        defer { folder.remove() }
        let daemon = try Ledger.open(folder: folder.path)
        let cli = try Ledger.open(folder: folder.path)

        let record = try cli.addRecord(Sample.record())
        #expect(try daemon.records() == [record])
        #expect(try daemon.completionCounts()[record.key] == 1)

        try daemon.markHandled([Sample.notice("n1")])
        #expect(try cli.isHandled("n1"))

        try daemon.setValue("42", forKey: "last-tick")
        #expect(try cli.value(forKey: "last-tick") == "42")

        #expect(try daemon.removeLatestRecord(plan: record.plan, item: record.item, period: record.period) == record)
        #expect(try cli.records().isEmpty)
    }

    @Test func marksSurviveARestart() throws {
        let folder = try Scratch("plankeeper-ledger-tests")
        defer { folder.remove() }
        do {
            let before = try Ledger.open(folder: folder.path)
            try before.markHandled([Sample.notice("n1"), Sample.notice("n2")])
        }
        let after = try Ledger.open(folder: folder.path)
        #expect(try after.handledNoticeKeys() == ["n1", "n2"])
        #expect(try after.markHandled([Sample.notice("n1")]) == [])
    }

    /// The first opening converts the file to WAL and migrates it; when two
    /// processes race to do that, both must still succeed. Twenty rounds,
    /// because the race is only sometimes lost.
    @Test func manyProcessesOpeningAFreshFileAtOnceAllSucceed() async throws {
        let folder = try Scratch("plankeeper-ledger-tests")
        defer { folder.remove() }
        for round in 0..<20 {
            let path = folder.path + "/fresh-\(round)"
            let opened = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<4 {
                    group.addTask { try Ledger.open(folder: path).records().isEmpty }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(opened == 4)
        }
    }

    @Test func aWriteBlockedPastTheBusyTimeoutFailsClearly() throws {
        let folder = try Scratch("plankeeper-ledger-tests")
        defer { folder.remove() }
        let ledger = try Ledger.open(folder: folder.path, busyTimeout: .milliseconds(200))
        // Another process holding a long write transaction.
        let other = try DatabaseQueue(path: ledger.path ?? "")

        var caught: LedgerError?
        var waited: Duration = .zero
        try other.write { db in
            // BEGIN IMMEDIATE has taken the write lock; make it visible work too.
            try db.execute(sql: "INSERT INTO state (key, value) VALUES ('holder', 'x')")
            let clock = ContinuousClock()
            let start = clock.now
            caught = #expect(throws: LedgerError.self) {
                try ledger.addRecord(Sample.record())
            }
            waited = clock.now - start
        }

        let error = try #require(caught)
        #expect(error.code == .busy)
        #expect(error.zh.hasPrefix("数据库被占用"))
        #expect(error.en.hasPrefix("database is locked"))
        #expect(error.description.contains(ledger.path ?? "?"))
        #expect(error.description.contains("0.2"))
        #expect(!error.description.contains("DatabaseError"))
        #expect(waited >= .milliseconds(150))
        #expect(waited < .seconds(4))

        // Once the other transaction is over, the same write goes through.
        _ = try ledger.addRecord(Sample.record())
        #expect(try ledger.records().count == 1)
        #expect(try ledger.value(forKey: "holder") == "x")
    }

    @Test func readsAreNotBlockedByAnotherWriter() throws {
        let folder = try Scratch("plankeeper-ledger-tests")
        defer { folder.remove() }
        let ledger = try Ledger.open(folder: folder.path, busyTimeout: .milliseconds(200))
        try ledger.markHandled([Sample.notice("n1")])
        let other = try DatabaseQueue(path: ledger.path ?? "")
        try other.write { db in
            try db.execute(sql: "DELETE FROM handled_notice")
            // WAL: the reader sees the last committed state, without waiting.
            #expect(try ledger.isHandled("n1"))
        }
        #expect(try !ledger.isHandled("n1"))
    }

    @Test func aFolderThatCannotBeCreatedIsNamedInTheError() throws {
        let folder = try Scratch("plankeeper-ledger-tests")
        defer { folder.remove() }
        let file = folder.path + "/not-a-folder"
        #expect(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
        let wanted = file + "/ledger"

        let error = #expect(throws: LedgerError.self) { try Ledger.open(folder: wanted) }
        #expect(error?.code == .cannotCreateFolder)
        #expect(error?.path == wanted)
        #expect(error?.zh.contains("无法创建台账文件夹 \(wanted)") == true)
        #expect(error?.en.contains("cannot create the ledger folder \(wanted)") == true)
    }

    @Test func aFileThatIsNotADatabaseIsReportedAsSuch() throws {
        let folder = try Scratch("plankeeper-ledger-tests")
        defer { folder.remove() }
        let file = folder.path + "/" + Ledger.fileName
        #expect(
            FileManager.default.createFile(
                atPath: file,
                contents: Data(String(repeating: "这不是数据库", count: 200).utf8)
            )
        )
        let error = #expect(throws: LedgerError.self) { try Ledger.open(folder: folder.path) }
        #expect(error?.code == .notALedger)
        #expect(error?.description.contains(file) == true)
    }

    @Test func anEmptyFolderPathIsRejected() throws {
        let error = #expect(throws: LedgerError.self) { try Ledger.open(folder: "") }
        #expect(error?.code == .invalidInput)
    }
}

extension Database.BusyMode {
    fileprivate func isTimeout(_ seconds: Double) -> Bool {
        if case .timeout(let value) = self { return value == seconds }
        return false
    }
}
