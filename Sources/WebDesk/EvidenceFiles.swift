/// Where evidence files live: content-addressed, outside anything served.
///
/// The store is the `Evidence` module's (shared with mail-in); this is what
/// the desk needs of it, so uploads can be tested in memory.
public protocol EvidenceFiles: Sendable {
    /// Keeps a finished upload (a temporary file the desk wrote and hashed)
    /// under its SHA-256 and returns that digest (lower-case hex). The
    /// temporary file is moved or removed.
    func keep(temporaryFile: String, sha256: String) throws -> String
    /// The bytes of a kept file, or nil when the store has none.
    func contents(sha256: String) throws -> [UInt8]?
    /// A folder for temporary uploads on the same file system as the store
    /// (so keeping one is a rename), readable by this user only.
    var uploadFolder: String { get }
    /// Lists kept files as a record's evidence in the ledger.
    func attach(_ items: [EvidenceItem], to recordID: Int64) throws
    /// The evidence of each record (records without any are absent).
    func evidence(recordIDs: [Int64]) throws -> [Int64: [EvidenceItem]]
}

/// One attached file as the ledger lists it.
public struct EvidenceItem: Sendable, Hashable {
    /// As the uploader named it, cleaned for display (never a path).
    public var name: String
    public var kind: FileKind
    public var size: Int
    public var sha256: String

    public init(name: String, kind: FileKind, size: Int, sha256: String) {
        self.name = name
        self.kind = kind
        self.size = size
        self.sha256 = sha256
    }
}
