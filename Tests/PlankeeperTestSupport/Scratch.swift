import Foundation

/// A fresh folder under the system temporary directory, removed when the
/// last reference goes (or on `remove()`): tests run in parallel and must
/// never share a file. One helper for every test target.
public final class Scratch: @unchecked Sendable {
    public let path: String

    /// - Parameter label: part of the folder's name, to tell whose it is.
    public init(_ label: String = "plankeeper") throws {
        var template = Array((NSTemporaryDirectory() + "/\(label)-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw POSIXError(.EIO) }
        path = String(cString: made)
    }

    deinit { remove() }

    /// Removes the folder, also after a test made part of it read-only or
    /// immutable (`chattr +i`).
    public func remove() {
        guard FileManager.default.fileExists(atPath: path) else { return }
        if (try? FileManager.default.removeItem(atPath: path)) != nil { return }
        _ = try? Tool.run("/usr/bin/chattr", ["-R", "-i", path])
        _ = try? Tool.run("/bin/chmod", ["-R", "u+rwx", path])
        try? FileManager.default.removeItem(atPath: path)
    }

    /// `path/relative`.
    public func file(_ relative: String) -> String { path + "/" + relative }

    /// Writes a file, creating the folders on the way.
    public func write(_ relative: String, _ text: String) throws {
        let url = URL(fileURLWithPath: file(relative))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// The entry names of a folder inside, sorted; none when it does not exist.
    public func names(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: file(folder))) ?? []).sorted()
    }

    /// A file's text, nil when it does not exist.
    public func read(_ relative: String) -> String? {
        FileManager.default.contents(atPath: file(relative)).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// Runs a system tool and waits for it.
public enum Tool {
    @discardableResult
    public static func run(_ tool: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
