import Evidence
import Foundation
import Testing

@Suite struct EvidenceStoreTests {
    func withState(_ body: (String) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pk-evidence-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        defer {
            _ = try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: folder)
            try? FileManager.default.removeItem(atPath: folder)
        }
        try body(folder)
    }

    @Test func storesByContentUnderTwoLevels() throws {
        try withState { state in
            let store = EvidenceStore(stateDirectory: state + "/")
            let bytes = Array("签到表".utf8)
            let stored = try store.store(bytes)
            #expect(stored.sha256 == EvidenceStore.sha256Hex(bytes))
            #expect(stored.size == 9)
            let path = try #require(store.path(sha256: stored.sha256))
            #expect(path == "\(state)/evidence/\(stored.sha256.prefix(2))/\(stored.sha256.dropFirst(2))")
            #expect(try store.read(sha256: stored.sha256) == bytes)
            // Again: the same answer, one file, nothing left in tmp/.
            #expect(try store.store(bytes) == stored)
            #expect(try FileManager.default.contentsOfDirectory(atPath: state + "/evidence/tmp").isEmpty)
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600)
        }
    }

    @Test func knownDigest() {
        #expect(
            EvidenceStore.sha256Hex(Array("abc".utf8))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        )
        #expect(EvidenceStore.sha256Hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func onlyWellFormedDigestsBecomePaths() throws {
        try withState { state in
            let store = EvidenceStore(stateDirectory: state)
            let stored = try store.store([1, 2, 3])
            for bad in [
                "../../etc/passwd", stored.sha256.uppercased(), String(stored.sha256.dropLast()), "",
                stored.sha256 + "0", "ba/" + String(repeating: "0", count: 61),
            ] {
                #expect(store.path(sha256: bad) == nil, "\(bad)")
            }
            #expect(store.path(sha256: String(repeating: "0", count: 64)) == nil)  // well-formed, absent
        }
    }

    @Test func aChangedFileIsReportedNotServed() throws {
        try withState { state in
            let store = EvidenceStore(stateDirectory: state)
            let stored = try store.store([1, 2, 3])
            let path = try #require(store.path(sha256: stored.sha256))
            try Data([9, 9, 9]).write(to: URL(fileURLWithPath: path))
            let error = try #require(throws: EvidenceError.self) { try store.read(sha256: stored.sha256) }
            #expect(error.corrupt)
            #expect(!error.isTemporary)
        }
    }

    @Test func anUnwritableStateFolderIsATemporaryError() throws {
        try withState { state in
            // Root ignores permissions: use a state path below a regular file instead.
            #expect(FileManager.default.createFile(atPath: state + "/file", contents: Data()))
            let store = EvidenceStore(stateDirectory: state + "/file")
            let error = try #require(throws: EvidenceError.self) { try store.store([1]) }
            #expect(error.errorNumber == ENOTDIR)
            #expect(EvidenceError(ENOSPC, path: "x").isTemporary)
            #expect(EvidenceError(EROFS, path: "x").isTemporary)
            #expect(!EvidenceError(ENOSPC, path: "x").zh.isEmpty)
        }
    }

    @Test func aLargeFileIsWrittenWhole() throws {
        try withState { state in
            let store = EvidenceStore(stateDirectory: state)
            let bytes = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
            let stored = try store.store(bytes)
            #expect(stored.size == 3 << 20)
            #expect(try store.read(sha256: stored.sha256) == bytes)
        }
    }
}
