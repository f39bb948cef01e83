import Config
import Evidence
import Foundation

/// The evidence store of `plankeeper serve`: mail-in's (`Evidence`,
/// `<state>/evidence/ab/cdef…`), so a photo sent by mail and one uploaded on
/// the web are the same file, kept once.
public struct DeskEvidence: EvidenceFiles {
    let store: EvidenceStore
    public let uploadFolder: String
    /// Uploads are read back whole to be stored; the desk's own limit bounds them.
    let largest: Int

    public init(config: DaemonConfig) throws {
        store = EvidenceStore(stateDirectory: config.state)
        uploadFolder = config.state + "/web-uploads"
        largest = config.web.limits.uploadBytes
        try FileManager.default.createDirectory(
            atPath: uploadFolder,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
    }

    public static func make(_ config: DaemonConfig) throws -> any EvidenceFiles {
        try DeskEvidence(config: config)
    }

    public func keep(temporaryFile: String, sha256: String) throws -> String {
        defer { unlink(temporaryFile) }
        guard let handle = FileHandle(forReadingAtPath: temporaryFile) else {
            throw EvidenceError(ENOENT, path: temporaryFile)
        }
        defer { try? handle.close() }
        let bytes = [UInt8](try handle.read(upToCount: largest + 1) ?? Data())
        let stored = try store.store(bytes)
        // The digest the upload was hashed to while it streamed in, checked again.
        guard stored.sha256 == sha256 else { throw EvidenceError(EIO, path: temporaryFile, corrupt: true) }
        return stored.sha256
    }

    public func contents(sha256: String) throws -> [UInt8]? {
        try store.read(sha256: sha256)
    }
}
