#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Secrets
import Testing
import Tokens

@Suite struct TokenKeyFileTests {
    /// A fresh folder under the temporary directory, removed with its files afterwards.
    func withFolder(_ body: (String) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pk-keys-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try body(folder)
    }

    func mode(_ path: String) -> mode_t {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o777 : 0
    }

    func contents(_ path: String) -> String {
        guard let file = fopen(path, "r") else { return "" }
        defer { fclose(file) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n == 0 { break }
            out += buffer[0..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }

    func write(_ text: String, to path: String, mode: mode_t = 0o600) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode)
        _ = text.utf8CString.withUnsafeBufferPointer { Glibc.write(fd, $0.baseAddress, $0.count - 1) }
        fchmod(fd, mode)
        close(fd)
    }

    @Test func createsOneSecretKeyOnFirstUseAndKeepsIt() throws {
        try withFolder { folder in
            let file = TokenKeyFile(stateDirectory: folder)
            #expect(try file.load() == nil)
            let first = try file.loadOrCreate()
            #expect(mode(file.path) == 0o600)
            #expect(first.current.bytes.count == 32)
            #expect(first.retired.isEmpty)
            #expect(try file.loadOrCreate() == first)
            #expect(try TokenKeyFile(path: file.path).load() == first)
            // A second file elsewhere gets a different key.
            let other = try TokenKeyFile(path: folder + "/other").loadOrCreate()
            #expect(other.current.bytes != first.current.bytes)
            // No temporary file is left behind.
            #expect(!contents(folder + "/token-keys").isEmpty)
        }
    }

    @Test func rotationRetiresTheOldKeySoOldTokensAreTooOld() throws {
        try withFolder { folder in
            let file = TokenKeyFile(stateDirectory: folder)
            let before = try file.loadOrCreate()
            let token = ReplyToken(
                plan: "p",
                item: "i",
                period: "2026",
                recipient: "a@b.example",
                expiresAt: 1_999_999_980
            )
            let text = try token.sign(with: TokenSigner(keyring: before))
            let after = try file.rotate()
            #expect(after.current != before.current)
            #expect(after.retired == [before.current])
            #expect(try file.load() == after)
            #expect(mode(file.path) == 0o600)
            #expect(
                ReplyToken.verify(text, with: TokenSigner(keyring: after), now: 1_800_000_000) == .keyRetired(token)
            )
        }
    }

    @Test func refusesAKeyFileOthersCanRead() throws {
        try withFolder { folder in
            let file = TokenKeyFile(stateDirectory: folder)
            _ = try file.loadOrCreate()
            chmod(file.path, 0o644)
            #expect(throws: TokenKeyFileError(.readableByOthers, path: file.path)) { try file.load() }
        }
    }

    @Test func saysWhichLineIsBrokenWithoutShowingAnyKey() throws {
        try withFolder { folder in
            let path = folder + "/token-keys"
            let secret = String(repeating: "ab", count: 32)
            write("# comment\nk3 \(secret)\nk2 \(secret)zz\n", to: path)
            let error = try #require(throws: TokenKeyFileError.self) { try TokenKeyFile(path: path).load() }
            #expect(error.reason == .unreadable(line: 3))
            #expect(!error.zh.contains("abab") && !error.en.contains("abab"))
            write("k1 \(secret)\nk1 \(secret)\n", to: path)
            #expect(throws: TokenKeyFileError(.duplicateID, path: path)) { try TokenKeyFile(path: path).load() }
            write("# nothing\n", to: path)
            #expect(throws: TokenKeyFileError(.empty, path: path)) { try TokenKeyFile(path: path).load() }
            write("k1 abcd\n", to: path)  // too short to be a key
            #expect(throws: TokenKeyFileError(.unreadable(line: 1), path: path)) { try TokenKeyFile(path: path).load() }
        }
    }

    @Test func anUnwritableFolderIsASystemError() throws {
        guard geteuid() != 0 else { return }  // root writes anywhere
        try withFolder { folder in
            chmod(folder, 0o500)
            defer { chmod(folder, 0o700) }
            let error = try #require(throws: TokenKeyFileError.self) {
                try TokenKeyFile(stateDirectory: folder).loadOrCreate()
            }
            #expect(error.errorNumber == EACCES)
        }
    }
}
