import Foundation
import Outbox
import PlankeeperTestSupport
import Synchronization
import Testing
@testable import Spool

/// Makes `path` unwritable. Root ignores permission bits, so as root the
/// directory is made immutable (`chattr +i`), which root cannot write into
/// either; otherwise mode 0500.
func makeReadOnly(_ path: String) throws -> Bool {
    if geteuid() == 0 {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/chattr") else { return false }
        return try Tool.run("/usr/bin/chattr", ["+i", path]) == 0
    }
    return chmod(path, 0o500) == 0
}

@Suite struct SpoolTests {
    let message = Array("Subject: test\r\n\r\nbody\r\n".utf8)

    @Test func createsMaildirFoldersPrivately() throws {
        let dir = try Scratch("plankeeper-spool")
        let spool = try Spool(directory: dir.path + "/spool/")
        #expect(spool.directory == dir.path + "/spool")
        for folder in ["", "/tmp", "/new", "/cur", "/failed"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: spool.directory + folder)
            #expect((attributes[.posixPermissions] as? Int) == 0o700, "\(folder)")
        }
        _ = try Spool(directory: dir.path + "/spool")  // opening again is fine
    }

    /// The admin runs `plankeeper tick` as root on a spool the service user
    /// owns: the folders it creates belong to that user, or the service
    /// could not write `tmp/` at its next start. Needs root to chown: shown
    /// as skipped, not passed, for another user.
    @Test(.enabled(if: geteuid() == 0, "chown needs root"))
    func foldersRootCreatesTakeTheSpoolOwner() throws {
        let dir = try Scratch("plankeeper-spool")
        let top = dir.path + "/spool"
        #expect(mkdir(top, 0o700) == 0)
        #expect(chown(top, 65534, 65534) == 0)
        let spool = try Spool(directory: top)
        for folder in ["/tmp", "/new", "/cur", "/failed"] {
            var info = stat()
            #expect(stat(spool.directory + folder, &info) == 0)
            #expect(info.st_uid == 65534 && info.st_gid == 65534, "\(folder)")
        }
        // A root-owned top folder stays root's, and so do its new folders.
        let own = try Spool(directory: dir.path + "/root-spool")
        var info = stat()
        #expect(stat(own.directory + "/tmp", &info) == 0 && info.st_uid == 0)
    }

    @Test func writesExactlyOnce() throws {
        let dir = try Scratch("plankeeper-spool")
        let spool = try Spool(directory: dir.path)
        let name = SpoolName.make(
            plan: "p",
            item: "i",
            period: "2026-11",
            kind: "reminder",
            offset: "7d",
            recipient: "a@b"
        )
        #expect(!spool.contains(name: name))
        #expect(try spool.spool(name: name, bytes: message) == .written)
        for _ in 0..<5 {
            #expect(try spool.spool(name: name, bytes: Array("different".utf8)) == .alreadySpooled)
        }
        #expect(spool.contains(name: name))
        #expect(try spool.list(.new) == [name])
        #expect(FileManager.default.contents(atPath: dir.path + "/new/" + name) == Data(message))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/tmp").isEmpty)
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.path + "/new/" + name)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    /// Once the delivery agent has moved a message on, under any folder or
    /// a Maildir flags suffix, it is not written again.
    @Test(arguments: ["cur/NAME:2,S", "cur/NAME", "failed/NAME", "failed/NAME:2,", "sending/NAME"])
    func movedMessagesAreNotWrittenAgain(place: String) throws {
        let dir = try Scratch("plankeeper-spool")
        let spool = try Spool(directory: dir.path)
        let name = "plan_item_2026-11_reminder_7d_0123456789abcdef"
        #expect(try spool.spool(name: name, bytes: message) == .written)
        let target = dir.path + "/" + place.replacingOccurrences(of: "NAME", with: name)
        try FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true
        )
        #expect(rename(dir.path + "/new/" + name, target) == 0)
        #expect(spool.contains(name: name))
        #expect(try spool.spool(name: name, bytes: message) == .alreadySpooled)
        #expect(try spool.list(.new).isEmpty)
        if place.hasPrefix("cur/") { #expect(try spool.list(.cur) == [name]) }
        // A similar name with a different suffix is a different message.
        #expect(!spool.contains(name: name + "x"))
        #expect(!spool.contains(name: String(name.dropLast())))
    }

    /// 200 tasks, 20 names, each spooled by 10 tasks at once: every name is
    /// written exactly once and complete.
    @Test func concurrentWritersWriteEachNameOnce() async throws {
        let dir = try Scratch("plankeeper-spool")
        let spool = try Spool(directory: dir.path)
        let names = (0..<20).map {
            SpoolName.make(plan: "p", item: "item\($0)", period: "2026", kind: "due", offset: "", recipient: "x@y")
        }
        let payload = Array(repeating: UInt8(ascii: "x"), count: 64 * 1024)
        let results = try await withThrowingTaskGroup(of: (String, SpoolResult).self) { group in
            for i in 0..<200 {
                let name = names[i % names.count]
                group.addTask { (name, try spool.spool(name: name, bytes: payload)) }
            }
            return try await group.reduce(into: [String: [SpoolResult]]()) { $0[$1.0, default: []].append($1.1) }
        }
        for name in names {
            let outcomes = try #require(results[name])
            #expect(outcomes.count == 10)
            #expect(outcomes.filter { $0 == .written }.count == 1, "\(name)")
            #expect(FileManager.default.contents(atPath: dir.path + "/new/" + name)?.count == payload.count)
        }
        #expect(try spool.list(.new) == names.sorted())
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/tmp").isEmpty)
    }

    /// Threads released together, 10 per name, so writers of one name really
    /// overlap between the "already there?" check and publishing (on a
    /// 2-core machine tasks in the cooperative pool barely do).
    @Test func racingThreadsWriteEachNameOnce() throws {
        let dir = try Scratch("plankeeper-spool")
        let spool = try Spool(directory: dir.path)
        let names = (0..<8).map { "race-\($0)" }
        let results = Mutex<[String: [SpoolResult]]>([:])
        let failures = Mutex<[String]>([])
        let start = DispatchGroup()
        start.enter()
        let done = DispatchGroup()
        for name in names {
            for i in 0..<10 {
                done.enter()
                let thread = Thread {
                    start.wait()
                    do {
                        let result = try spool.spool(name: name, bytes: Array("writer \(i)\r\n".utf8))
                        results.withLock { $0[name, default: []].append(result) }
                    } catch {
                        failures.withLock { $0.append("\(error)") }
                    }
                    done.leave()
                }
                thread.start()
            }
        }
        start.leave()
        done.wait()
        #expect(failures.withLock { $0 } == [])
        let outcomes = results.withLock { $0 }
        for name in names {
            #expect(outcomes[name]?.count == 10)
            #expect(outcomes[name]?.filter { $0 == .written }.count == 1, "\(name): \(outcomes[name] ?? [])")
        }
        #expect(try spool.list(.new) == names)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/tmp").isEmpty)
    }

    /// Both ways of publishing refuse to replace a message already in new/.
    @Test(arguments: [true, false])
    func publishingNeverReplaces(preferRename: Bool) throws {
        let dir = try Scratch("plankeeper-spool")
        _ = try Spool(directory: dir.path)
        let target = dir.path + "/new/m"
        for (i, text) in ["first", "second"].enumerated() {
            let temporary = dir.path + "/tmp/m.\(i)"
            #expect(FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)))
            let outcome = Spool.publish(temporary, as: target, preferRename: preferRename)
            switch (i, outcome) {
            case (0, .published), (1, .exists): break
            default: Issue.record("attempt \(i): \(outcome)")
            }
        }
        #expect(FileManager.default.contents(atPath: target) == Data("first".utf8))
        if !preferRename { #expect(!FileManager.default.fileExists(atPath: dir.path + "/tmp/m.0")) }
    }

    @Test func invalidNamesAreRefusedNotWritten() throws {
        let dir = try Scratch("plankeeper-spool")
        let spool = try Spool(directory: dir.path)
        for name in ["", ".hidden", "a/b", "../escape", "a:2,S", "line\nbreak", String(repeating: "n", count: 201)] {
            #expect(!spool.contains(name: name))
            let error = try #require(throws: SpoolError.self) { try spool.spool(name: name, bytes: message) }
            #expect(error.isInvalidName)
        }
        #expect(try spool.list(.new).isEmpty)
    }

    @Test func missingParentIsAnError() throws {
        let dir = try Scratch("plankeeper-spool")
        let path = dir.path + "/no/such/parent/spool"
        let error = try #require(throws: SpoolError.self) { try Spool(directory: path) }
        #expect(error.errorNumber == ENOENT)
        #expect(error.description.contains(dir.path + "/no/such/parent/spool"))
        #expect(error.description.contains("(ENOENT)"))
        #expect(error.description.contains("parent directory does not exist"))
    }

    @Test func aFileInTheWayIsAnError() throws {
        let dir = try Scratch("plankeeper-spool")
        #expect(FileManager.default.createFile(atPath: dir.path + "/file", contents: Data()))
        let error = try #require(throws: SpoolError.self) { try Spool(directory: dir.path + "/file") }
        #expect(
            error.description == "spool path \(dir.path)/file exists but is not a directory: Not a directory (ENOTDIR)"
        )
    }

    @Test func readOnlyDirectoryIsAnErrorAtOpen() throws {
        let dir = try Scratch("plankeeper-spool")
        try #require(try makeReadOnly(dir.path), "cannot make a read-only directory here")
        let error = try #require(throws: SpoolError.self) { try Spool(directory: dir.path) }
        #expect(error.errorNumber == EACCES || error.errorNumber == EPERM)
        #expect(error.description.hasPrefix("cannot create spool folder \(dir.path)/tmp: "))
        #expect(error.description.contains("check that the service user owns the spool directory"))
    }

    @Test func readOnlyFoldersAreAnErrorWhenWriting() throws {
        let dir = try Scratch("plankeeper-spool")
        let spool = try Spool(directory: dir.path)
        try #require(try makeReadOnly(dir.path + "/tmp"))
        let error = try #require(throws: SpoolError.self) { try spool.spool(name: "n", bytes: message) }
        #expect(error.description.hasPrefix("cannot create spool file \(dir.path)/tmp/n."))
        #expect(!spool.contains(name: "n"))
        let reopen = try #require(throws: SpoolError.self) { try Spool(directory: dir.path) }
        #expect(reopen.description.hasPrefix("spool folder \(dir.path)/tmp is not writable: "))
    }

    @Test func recoverRemovesOnlyStaleTemporaryFiles() throws {
        let dir = try Scratch("plankeeper-spool")
        let spool = try Spool(directory: dir.path)
        let stale = dir.path + "/tmp/name.123.abc"
        let fresh = dir.path + "/tmp/name.456.def"
        #expect(FileManager.default.createFile(atPath: stale, contents: Data("half a mess".utf8)))
        #expect(FileManager.default.createFile(atPath: fresh, contents: Data("in progress".utf8)))
        // Left by a killed writer two days ago; the other an hour ago (kept: a
        // day is the margin).
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSinceNow: -2 * 86400)],
            ofItemAtPath: stale
        )
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSinceNow: -3600)],
            ofItemAtPath: fresh
        )
        #expect(try spool.recover() == 1)
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(FileManager.default.fileExists(atPath: fresh))
        #expect(try spool.recover() == 0)
        #expect(!spool.contains(name: "name"))  // tmp/ never counts as spooled
    }

    @Test func errorMessagesNameThePathAndTheReason() {
        let full = SpoolError(.write, path: "/var/lib/plankeeper/spool/tmp/x.1.a", errorNumber: ENOSPC)
        #expect(
            full.description
                == "cannot write spool file /var/lib/plankeeper/spool/tmp/x.1.a: No space left on device (ENOSPC); free disk space; the notices not yet spooled are written on the next run"
        )
        let readOnly = SpoolError(.createFile, path: "/var/spool/x", errorNumber: EROFS)
        #expect(
            readOnly.description.contains(
                "Read-only file system (EROFS); the file system is read-only here; under systemd"
            )
        )
        let denied = SpoolError(.createFolder, path: "/srv/spool", errorNumber: EACCES)
        #expect(
            denied.description
                == "cannot create spool folder /srv/spool: Permission denied (EACCES); check that the service user owns the spool directory and may write to it"
        )
        #expect(!"\(SpoolError(.readFolder, path: "/x", errorNumber: 9999))".contains("SpoolError"))
    }
}
