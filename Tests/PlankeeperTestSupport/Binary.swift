import Foundation

/// What a run of the built `plankeeper` printed and how it exited.
public struct Run: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// The built `plankeeper` binary, run as a user would: from the repository
/// root, without the caller's `PLANKEEPER_LANG` and `PLANKEEPER_HOLIDAYS`.
/// `$PLANKEEPER_BIN` overrides the path (`scripts/test` sets it).
public enum Binary {
    /// The repository root.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../..").standardized

    public static var path: URL {
        if let env = ProcessInfo.processInfo.environment["PLANKEEPER_BIN"] { return URL(fileURLWithPath: env) }
        return root.appendingPathComponent(".build/debug/plankeeper")
    }

    public static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = path
        process.arguments = arguments
        process.currentDirectoryURL = root
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "PLANKEEPER_LANG")
        env.removeValue(forKey: "PLANKEEPER_HOLIDAYS")
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes fully before waiting, so a large output cannot block.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self)
        )
    }
}
