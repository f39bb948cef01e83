/// Lower-case base32 (RFC 4648 alphabet, no padding): what a token looks
/// like in a mail address or a URL.
///
/// Lower case because mail systems may fold the local part of an address to
/// lower case, and decoding accepts either case for the same reason. Decoding
/// is strict otherwise: a character outside the alphabet, a length no byte
/// count produces, or non-zero bits after the last byte make it fail, so
/// that no two strings decode to the same bytes (a changed character is
/// always a changed token).
public enum Base32 {
    static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)

    /// The number of characters `encode` makes of `byteCount` bytes.
    public static func encodedLength(ofBytes byteCount: Int) -> Int { (byteCount * 8 + 4) / 5 }

    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(encodedLength(ofBytes: bytes.count))
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                out.append(alphabet[Int((buffer >> UInt32(bits)) & 31)])
            }
            buffer &= (1 << UInt32(bits)) - 1
        }
        if bits > 0 { out.append(alphabet[Int((buffer << UInt32(5 - bits)) & 31)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of `text`, or nil when it is not exactly what `encode` makes
    /// (in either case).
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        // Lengths 1, 3 and 6 (mod 8) are never produced by whole bytes.
        guard [0, 2, 4, 5, 7].contains(utf8.count % 8) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count * 5 / 8)
        var buffer: UInt32 = 0
        var bits = 0
        for char in utf8 {
            guard let value = value(of: char) else { return nil }
            buffer = (buffer << 5) | UInt32(value)
            bits += 5
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((buffer >> UInt32(bits)) & 0xFF))
            }
            buffer &= (1 << UInt32(bits)) - 1
        }
        // Left-over bits must be the zero padding `encode` adds.
        guard buffer == 0 else { return nil }
        return out
    }

    static func value(of char: UInt8) -> UInt8? {
        switch char {
        case UInt8(ascii: "a")...UInt8(ascii: "z"): char - UInt8(ascii: "a")
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): char - UInt8(ascii: "A")
        case UInt8(ascii: "2")...UInt8(ascii: "7"): char - UInt8(ascii: "2") + 26
        default: nil
        }
    }
}
