import Config
import Foundation

/// The evidence store `plankeeper serve` uses.
///
/// Evidence belongs to the `Evidence` module of the mail-in work (files
/// under `<state>/evidence/`, their rows in the ledger); until it is on main
/// the desk takes no attachments and says so, rather than keeping files in a
/// second store that would then have to be migrated.
public enum DeskEvidence {
    public static func make(_ config: DaemonConfig) throws -> any EvidenceFiles {
        let folder = config.state + "/web-uploads"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        return NoEvidenceYet(uploadFolder: folder)
    }
}

struct NoEvidenceYet: EvidenceFiles {
    struct Unavailable: Error, CustomStringConvertible {
        var description: String { "the evidence store is not part of this build yet" }
    }

    let uploadFolder: String

    func keep(temporaryFile: String, sha256: String) throws -> String {
        unlink(temporaryFile)
        throw Unavailable()
    }

    func contents(sha256: String) throws -> [UInt8]? { nil }
    func attach(_ items: [EvidenceItem], to recordID: Int64) throws { throw Unavailable() }
    func evidence(recordIDs: [Int64]) throws -> [Int64: [EvidenceItem]] { [:] }
}
