/// Content-Transfer-Encoding and RFC 2047 payloads: base64 and
/// quoted-printable, decoded leniently (what real clients send is not always
/// what the RFCs say), never failing.
enum TransferDecoding {
    /// Base64, skipping line breaks and anything else outside the alphabet,
    /// stopping at padding; missing padding is tolerated.
    static func base64(_ input: some Collection<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count * 3 / 4)
        var buffer: UInt32 = 0
        var bits = 0
        for c in input {
            let value: UInt32
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = UInt32(c - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = UInt32(c - UInt8(ascii: "a") + 26)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(c - UInt8(ascii: "0") + 52)
            case UInt8(ascii: "+"), UInt8(ascii: "-"): value = 62
            case UInt8(ascii: "/"), UInt8(ascii: "_"): value = 63
            case UInt8(ascii: "="):
                // Padding ends a group; some clients concatenate encoded blocks, so go on.
                buffer = 0
                bits = 0
                continue
            default: continue
            }
            buffer = (buffer << 6) | value
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((buffer >> UInt32(bits)) & 0xFF))
                buffer &= (1 << UInt32(bits)) - 1
            }
        }
        return out
    }

    /// Quoted-printable (RFC 2045 §6.7): `=XX`, soft line breaks `=` at the
    /// end of a line; a `=` followed by anything else is kept as it is.
    /// With `underscoreIsSpace`, the Q encoding of RFC 2047 headers.
    static func quotedPrintable(_ input: some Collection<UInt8>, underscoreIsSpace: Bool = false) -> [UInt8] {
        let bytes = Array(input)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "=") {
                if let high = hex(bytes[safe: i + 1]), let low = hex(bytes[safe: i + 2]) {
                    out.append(high << 4 | low)
                    i += 3
                    continue
                }
                // Soft line break: "=" then optional blanks then CRLF or LF.
                var j = i + 1
                while j < bytes.count, bytes[j] == UInt8(ascii: " ") || bytes[j] == UInt8(ascii: "\t") { j += 1 }
                if j < bytes.count, bytes[j] == UInt8(ascii: "\r") { j += 1 }
                if j < bytes.count, bytes[j] == UInt8(ascii: "\n") {
                    i = j + 1
                    continue
                }
                if j == bytes.count {  // "=" at the very end
                    i = j
                    continue
                }
                out.append(c)
                i += 1
            } else if underscoreIsSpace && c == UInt8(ascii: "_") {
                out.append(UInt8(ascii: " "))
                i += 1
            } else {
                out.append(c)
                i += 1
            }
        }
        return out
    }

    static func hex(_ c: UInt8?) -> UInt8? {
        guard let c else { return nil }
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
