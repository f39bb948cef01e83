import Crypto

/// Short SHA-256 digests of the strings a token stands for, so a token
/// carries 6 bytes instead of a plan id, an item id and a period.
///
/// A digest is checked, never reversed: whoever reads the token knows the
/// candidates (the loaded plans, the sender's address) and compares. 48 bits
/// keep an accidental match among a city's 150,000 occurrences at about one
/// in two billion per token; a deliberate one is prevented by the MAC, which
/// covers the digest. Each kind of field hashes under its own label, so the
/// digest of an address never equals the digest of an occurrence by design.
enum FieldDigest {
    static let length = 6

    static func digest(label: String, fields: [String]) -> UInt64 {
        var input = Array("plankeeper-\(label)".utf8)
        for field in fields {
            input.append(0)
            input += field.utf8
        }
        return SHA256.hash(data: input).prefix(length).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    static func bytes(_ value: UInt64) -> [UInt8] {
        (0..<length).reversed().map { UInt8(truncatingIfNeeded: value >> UInt64($0 * 8)) }
    }

    static func value(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }
}

/// Which occurrence (plan, item, period) a reply answers, as 48 bits.
public struct OccurrenceDigest: Sendable, Hashable, CustomStringConvertible {
    public let value: UInt64

    public init(plan: String, item: String, period: String) {
        value = FieldDigest.digest(label: "occurrence", fields: [plan, item, period])
    }

    init(value: UInt64) { self.value = value }

    public var description: String { String(value, radix: 16) }
}

/// Who a reply address was sent to, as 48 bits of the address in lower case
/// (mail addresses are compared case-insensitively here, as the issue says).
public struct AddressDigest: Sendable, Hashable, CustomStringConvertible {
    public let value: UInt64

    /// `address` is the bare `local@domain`, without a display name or angle
    /// brackets; surrounding white space is ignored.
    public init(address: String) {
        let normalised = address.trimmingASCIIWhitespace().lowercased()
        value = FieldDigest.digest(label: "address", fields: [normalised])
    }

    init(value: UInt64) { self.value = value }

    /// Whether `address` is the one this digest was made of.
    public func matches(_ address: String) -> Bool { AddressDigest(address: address) == self }

    public var description: String { String(value, radix: 16) }
}

/// The ledger's name for one sent digest mail (its numbered lines are kept
/// under it): any 48-bit number the ledger chooses.
public struct SentDigestID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public static let maximum: UInt64 = (1 << 48) - 1
    public let value: UInt64

    /// Nil above `maximum`.
    public init?(_ value: UInt64) {
        guard value <= Self.maximum else { return nil }
        self.value = value
    }

    /// The low 48 bits of a wider hash (say, the digest's stable key hash).
    public init(truncating value: UInt64) { self.value = value & Self.maximum }

    public static func < (a: Self, b: Self) -> Bool { a.value < b.value }
    public var description: String { String(value) }
}

extension String {
    func trimmingASCIIWhitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return self[first...last]
    }
}
