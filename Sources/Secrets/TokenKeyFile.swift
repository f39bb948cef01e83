#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tokens

/// The token keys on disk: `<state>/token-keys`, mode 0600, created with a
/// fresh random key the first time something needs it, and rotated by
/// `plankeeper mail-in --rotate-key`.
///
/// The file is text, one key a line, newest first, so an admin can see that
/// a rotation happened without seeing anything worth stealing on screen:
///
///     # plankeeper token keys …
///     k2 9f3a…(64 hex digits)
///     k1 0b7c…
///
/// Nothing here ever prints a key: errors name the file and the line only.
public struct TokenKeyFile: Sendable {
    public let path: String

    /// 32 random bytes, HMAC-SHA256's block-size-sized key.
    static let keyLength = 32
    /// A key file is small; anything larger is not one.
    static let sizeLimit = 64 * 1024

    public init(path: String) {
        self.path = path
    }

    /// The file in a state folder.
    public init(stateDirectory: String) {
        self.init(path: stateDirectory + "/token-keys")
    }

    /// The keyring, creating the file with one new key when it does not exist.
    /// Two processes doing this at once end up with the same key: the file is
    /// published with a step that refuses to replace, and the loser reads the
    /// winner's.
    public func loadOrCreate() throws(TokenKeyFileError) -> TokenKeyring {
        if let keyring = try load() { return keyring }
        guard let key = TokenKey(id: 1, bytes: Self.randomBytes(Self.keyLength)),
            let keyring = TokenKeyring(current: key)
        else { throw TokenKeyFileError(.unreadable(line: 0), path: path) }
        try publish(keyring, replacing: false)
        guard let published = try load() else { throw TokenKeyFileError(.system(ENOENT), path: path) }
        return published
    }

    /// The keyring, or nil when the file does not exist.
    public func load() throws(TokenKeyFileError) -> TokenKeyring? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw TokenKeyFileError(.system(errno), path: path)
        }
        defer { _ = close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw TokenKeyFileError(.system(errno), path: path) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw TokenKeyFileError(.notARegularFile, path: path) }
        // Readable by anyone on the machine: the key is as good as public.
        guard info.st_mode & 0o007 == 0 else { throw TokenKeyFileError(.readableByOthers, path: path) }
        let bytes = try Self.readAll(fd, limit: Self.sizeLimit, path: path)
        return try Self.parse(bytes, path: path)
    }

    /// Replaces the current key by a new random one and keeps the old ones
    /// (retired) so their tokens get "too old" rather than "forged".
    /// Returns the new keyring.
    @discardableResult
    public func rotate() throws(TokenKeyFileError) -> TokenKeyring {
        let keyring = try loadOrCreate()
        guard let rotated = keyring.rotated(to: Self.randomBytes(Self.keyLength)) else {
            throw TokenKeyFileError(.unreadable(line: 0), path: path)
        }
        try publish(rotated, replacing: true)
        return rotated
    }

    // MARK: - Text

    static func render(_ keyring: TokenKeyring) -> [UInt8] {
        var text = """
            # plankeeper token keys: the first signs reply addresses and links, the others only
            # recognise tokens made before `plankeeper mail-in --rotate-key`. Secret: keep mode 0600,
            # never paste or mail this file. Deleting it makes every reply address sent so far invalid.

            """
        for key in [keyring.current] + keyring.retired {
            text +=
                "k\(key.id) "
                + key.bytes.map { byte in
                    let hex = String(byte, radix: 16)
                    return byte < 16 ? "0" + hex : hex
                }.joined() + "\n"
        }
        return Array(text.utf8)
    }

    static func parse(_ bytes: [UInt8], path: String) throws(TokenKeyFileError) -> TokenKeyring {
        var keys: [TokenKey] = []
        for (index, line) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: " \t\r")
            if text.isEmpty || text.hasPrefix("#") { continue }
            let fields = text.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count == 2, fields[0].hasPrefix("k"), let id = UInt8(fields[0].dropFirst()),
                let keyBytes = hexBytes(fields[1]), let key = TokenKey(id: id, bytes: keyBytes)
            else { throw TokenKeyFileError(.unreadable(line: index + 1), path: path) }
            keys.append(key)
        }
        guard let current = keys.first else { throw TokenKeyFileError(.empty, path: path) }
        guard let keyring = TokenKeyring(current: current, retired: Array(keys.dropFirst())) else {
            throw TokenKeyFileError(.duplicateID, path: path)
        }
        return keyring
    }

    static func hexBytes(_ text: Substring) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        var index = 0
        while index < digits.count {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    // MARK: - Files

    /// Writes the keyring to a temporary file (0600), flushes it, and puts it
    /// in place: with `rename` when replacing, with `link` (which refuses to
    /// replace) when creating.
    func publish(_ keyring: TokenKeyring, replacing: Bool) throws(TokenKeyFileError) {
        let temporary = "\(path).tmp.\(getpid())"
        _ = unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw TokenKeyFileError(.system(errno), path: path) }
        var failure: Int32?
        let bytes = Self.render(keyring)
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count, let base = raw.baseAddress {
                let n = write(fd, base + offset, raw.count - offset)
                if n > 0 {
                    offset += n
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    failure = n < 0 ? errno : EIO
                    return
                }
            }
        }
        if failure == nil && fchmod(fd, 0o600) != 0 { failure = errno }
        if failure == nil && fsync(fd) != 0 { failure = errno }
        _ = close(fd)
        defer { _ = unlink(temporary) }
        if let failure { throw TokenKeyFileError(.system(failure), path: path) }
        if replacing {
            guard rename(temporary, path) == 0 else { throw TokenKeyFileError(.system(errno), path: path) }
        } else if link(temporary, path) != 0 {
            // EEXIST: someone else created it first; theirs counts.
            guard errno == EEXIST else { throw TokenKeyFileError(.system(errno), path: path) }
        }
        let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let dir = open(folder.isEmpty ? "/" : folder, O_RDONLY | O_CLOEXEC)
        if dir >= 0 {
            _ = fsync(dir)
            _ = close(dir)
        }
    }

    static func readAll(_ fd: Int32, limit: Int, path: String) throws(TokenKeyFileError) -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw TokenKeyFileError(.system(errno), path: path)
            }
            if n == 0 { return out }
            out += chunk[0..<n]
            if out.count > limit { throw TokenKeyFileError(.system(EFBIG), path: path) }
        }
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        // SystemRandomNumberGenerator is getrandom(2)/arc4random: a CSPRNG.
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s.removeFirst() }
        while let c = s.last, set.contains(c) { s.removeLast() }
        return String(s)
    }
}
