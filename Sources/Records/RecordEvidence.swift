/// One file kept as a record's evidence, as the ledger lists it: the
/// sender's file name (text only, never a path), its type, size and SHA-256
/// (the name of the file in the evidence store). The `records --format json`
/// shape: `{name, type, size, sha256}`.
///
/// Evidence is optional and never a score (the 2024 rules against formalism:
/// a photo is not a measure of work); reports show how much there is, no more.
public struct RecordEvidence: Sendable, Hashable, Codable {
    public var name: String
    public var type: String
    public var size: Int
    public var sha256: String

    public init(name: String, type: String, size: Int, sha256: String) {
        self.name = name
        self.type = type
        self.size = size
        self.sha256 = sha256
    }
}
