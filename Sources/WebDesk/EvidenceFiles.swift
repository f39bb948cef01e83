import Foundation
import Records

/// Where evidence files live: content-addressed, outside anything served.
///
/// The store is the `Evidence` module's (shared with mail-in, `DeskEvidence`
/// adapts it); the ledger lists each record's files (`Record.evidence`).
/// This is what the desk needs of the store, so tests can keep files in a
/// folder of their own.
public protocol EvidenceFiles: Sendable {
    /// Keeps a finished upload (a temporary file the desk wrote and hashed)
    /// under its SHA-256 and returns that digest (lower-case hex). The
    /// temporary file is removed.
    func keep(temporaryFile: String, sha256: String) throws -> String
    /// The bytes of a kept file, or nil when the store has none.
    func contents(sha256: String) throws -> [UInt8]?
    /// A folder for temporary uploads, readable by this user only.
    var uploadFolder: String { get }
}

extension FileKind {
    /// The kind a ledger row's media type names (`image/jpeg` → `.jpeg`).
    init?(mediaType: String) {
        let bare =
            mediaType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard
            let kind = FileKind.allCases.first(where: {
                $0.mediaType.split(separator: ";").first.map(String.init) == bare
            })
        else { return nil }
        self = kind
    }
}

extension RecordEvidence {
    /// How the file is served back: the type it was kept under when the
    /// desk knows it, else as opaque bytes (never as something a browser runs).
    var servedType: String { FileKind(mediaType: type)?.mediaType ?? "application/octet-stream" }
}
