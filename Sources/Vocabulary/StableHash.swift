/// FNV-1a, 64 bits: the one hash whose values outlive the process. It names
/// spool files, derives Message-IDs and MIME boundaries, keys backlog digests
/// and identifies the ledger's notice marks, so its output must be the same
/// on every machine, in every process and in every version: never `Hasher` or
/// `hashValue`, which are seeded per process. Tests pin known values.
///
/// Tiny and stable, and enough for the notices of a city in a year; not a
/// defence against someone choosing colliding keys on purpose.
public struct StableHash: Sendable, Hashable {
    /// FNV's 64-bit offset basis and prime.
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x100_0000_01b3

    public private(set) var value: UInt64 = Self.offsetBasis

    public init() {}

    public mutating func add(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* Self.prime
    }

    public mutating func add(_ bytes: some Sequence<UInt8>) {
        for byte in bytes { add(byte) }
    }

    /// The hash of a string's UTF-8 bytes.
    public static func of(_ text: String) -> UInt64 {
        var hash = StableHash()
        hash.add(text.utf8)
        return hash.value
    }

    /// The hash of bytes.
    public static func of(bytes: some Sequence<UInt8>) -> UInt64 {
        var hash = StableHash()
        hash.add(bytes)
        return hash.value
    }

    /// Sixteen lower-case hex digits, zero-padded (spool names, digest keys).
    public static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
