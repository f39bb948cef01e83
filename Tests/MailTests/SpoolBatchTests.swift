import Foundation
import PlankeeperTestSupport
import Testing

@testable import Spool

/// A tick's many messages through `SpoolBatch`: the same exactly-once answer
/// as `Spool.spool` message by message, files complete before they appear,
/// in order, and `new/` flushed once at `commit()`.
@Suite struct SpoolBatchTests {
    let message = Array("Subject: test\r\n\r\nbody\r\n".utf8)

    func messages(_ names: [String]) -> [SpoolBatch.Message] {
        names.map { SpoolBatch.Message(name: $0, bytes: Array("Subject: \($0)\r\n\r\nbody of \($0)\r\n".utf8)) }
    }

    /// Moved on before the batch started (found in its listing, any flags)
    /// or while it runs (found by the exact names a delivery agent gives).
    @Test(arguments: [
        ("cur/NAME:2,S", true), ("cur/NAME:2,RS", true), ("cur/NAME", true), ("failed/NAME", true),
        ("failed/NAME:2,", true), ("sending/NAME", true), ("queue/NAME", true),
        ("cur/NAME:2,S", false), ("cur/NAME", false), ("failed/NAME", false), ("queue/NAME", false),
    ])
    func movedMessagesAreNotWrittenAgain(place: String, beforeTheBatch: Bool) throws {
        let dir = try Scratch("plankeeper-spool")
        let spool = try Spool(directory: dir.path)
        let name = "plan_item_2026-11_reminder_7d_0123456789abcdef"
        #expect(try spool.spool(name: name, bytes: message) == .written)
        let target = dir.path + "/" + place.replacingOccurrences(of: "NAME", with: name)
        func move() throws {
            try FileManager.default.createDirectory(
                atPath: (target as NSString).deletingLastPathComponent,
                withIntermediateDirectories: true
            )
            #expect(rename(dir.path + "/new/" + name, target) == 0)
        }
        if beforeTheBatch { try move() }
        var batch = try SpoolBatch(spool)
        if !beforeTheBatch { try move() }
        #expect(batch.contains(name: name))
        #expect(try batch.spool(name: name, bytes: message) == .alreadySpooled)
        #expect(batch.spool(messages([name])).results == [.alreadySpooled])
        #expect(try spool.list(.new).isEmpty)
        #expect(!batch.contains(name: name + "x") && !batch.contains(name: String(name.dropLast())))
        #expect(batch.uncommitted == 0)
    }

    @Test func manyMessagesInOrderEachOnceComplete() throws {
        let dir = try Scratch("plankeeper-spool")
        let spool = try Spool(directory: dir.path)
        #expect(try spool.spool(name: "m-003", bytes: message) == .written)
        var batch = try SpoolBatch(spool)
        let names = (0..<100).map { "m-" + String(format: "%03d", $0) } + ["m-010"]
        let outcome = batch.spool(messages(names), writers: 8)
        #expect(outcome.error == nil)
        #expect(outcome.results.count == 101)
        #expect(outcome.results[3] == .alreadySpooled && outcome.results[100] == .alreadySpooled)
        #expect(outcome.results.filter { $0 == .written }.count == 99)
        #expect(batch.uncommitted == 99)
        for name in names where name != "m-003" {
            #expect(
                FileManager.default.contents(atPath: dir.path + "/new/" + name)
                    == Data("Subject: \(name)\r\n\r\nbody of \(name)\r\n".utf8)
            )
        }
        #expect(FileManager.default.contents(atPath: dir.path + "/new/m-003") == Data(message))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/tmp").isEmpty)
        try batch.commit()
        #expect(batch.uncommitted == 0)
        // The same again: nothing written.
        #expect(batch.spool(messages(names)).results.allSatisfy { $0 == .alreadySpooled })
    }

    /// Nothing after a failure is published, nothing is left in tmp/, and
    /// the messages before it are reported as written.
    @Test func aFailureStopsThereAndLeavesNothingBehind() throws {
        let dir = try Scratch("plankeeper-spool")
        let spool = try Spool(directory: dir.path)
        var batch = try SpoolBatch(spool)
        let outcome = batch.spool(messages(["a", "b", "bad/name", "c"]))
        #expect(outcome.results == [.written, .written])
        #expect(outcome.error is SpoolError)
        #expect(try spool.list(.new) == ["a", "b"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/tmp").isEmpty)
    }

    @Test func anUnwritableNewFolderFailsTheFirstAndCleansTheRest() throws {
        let dir = try Scratch("plankeeper-spool")
        let spool = try Spool(directory: dir.path)
        var batch = try SpoolBatch(spool)
        guard try makeReadOnly(dir.path + "/new") else { return }
        let outcome = batch.spool(messages(["a", "b", "c"]))
        #expect(outcome.results.isEmpty)
        #expect(outcome.error is SpoolError)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/tmp").isEmpty)
        #expect(batch.uncommitted == 0)
    }
}
