import Foundation
/// The `Content-Disposition` of one part of a form: its field name and, for
/// a file, the name the browser gave it.
///
/// Parameters are `name="value"` with backslash escapes inside quotes (or a
/// bare token); `filename*=UTF-8''percent-encoded` (RFC 5987) wins over
/// `filename` when both are present.
struct FormDisposition {
    var name: String?
    var fileName: String?

    init(_ header: String) {
        var params: [String: String] = [:]
        var scalars = Substring(header).unicodeScalars[...]
        // The disposition type (form-data) comes first.
        while let c = scalars.first, c != ";" { scalars.removeFirst() }
        while !scalars.isEmpty {
            scalars.removeFirst()  // ";"
            while scalars.first == " " || scalars.first == "\t" { scalars.removeFirst() }
            var key = ""
            while let c = scalars.first, c != "=", c != ";" {
                key.unicodeScalars.append(c)
                scalars.removeFirst()
            }
            key = key.trimmingCharacters(in: .whitespaces).lowercased()
            guard scalars.first == "=" else { continue }
            scalars.removeFirst()
            var value = ""
            if scalars.first == "\"" {
                scalars.removeFirst()
                while let c = scalars.first {
                    scalars.removeFirst()
                    if c == "\"" { break }
                    if c == "\\", let next = scalars.first {
                        scalars.removeFirst()
                        value.unicodeScalars.append(next)
                    } else {
                        value.unicodeScalars.append(c)
                    }
                }
                while let c = scalars.first, c != ";" { scalars.removeFirst() }
            } else {
                while let c = scalars.first, c != ";" {
                    value.unicodeScalars.append(c)
                    scalars.removeFirst()
                }
                value = value.trimmingCharacters(in: .whitespaces)
            }
            if !key.isEmpty, params[key] == nil { params[key] = value }
        }
        name = params["name"]
        if let extended = params["filename*"], let decoded = Self.decodeExtended(extended) {
            fileName = decoded
        } else {
            fileName = params["filename"]
        }
    }

    /// `UTF-8''%E4%BC%9A.pdf` → `会.pdf`; nil for another charset or bad escapes.
    static func decodeExtended(_ value: String) -> String? {
        let parts = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].lowercased() == "utf-8" else { return nil }
        return PercentDecoding.decode(String(parts[2]), plusIsSpace: false)
    }
}

/// `%XX` decoding of URL-encoded text (and `+` as a space in form bodies).
enum PercentDecoding {
    static func decode(_ text: String, plusIsSpace: Bool) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let b = iterator.next() {
            if b == UInt8(ascii: "%") {
                guard let h = iterator.next(), let l = iterator.next(), let hi = hex(h), let lo = hex(l) else {
                    return nil
                }
                bytes.append(hi << 4 | lo)
            } else if b == UInt8(ascii: "+") && plusIsSpace {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(b)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Percent-encodes everything but unreserved characters (RFC 3986), for
    /// URLs and RFC 5987 file names.
    static func encode(_ text: String) -> String {
        var out = ""
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                out += "%" + String(b, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

/// A URL-encoded form body (`application/x-www-form-urlencoded`): the last
/// value of each name; nil when it is not valid UTF-8 or has bad escapes.
enum URLEncodedForm {
    static func parse(_ bytes: [UInt8]) -> [String: String]? {
        var fields: [String: String] = [:]
        for pair in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let kv = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let rawKey = String(validating: kv[0], as: UTF8.self),
                let key = PercentDecoding.decode(rawKey, plusIsSpace: true)
            else { return nil }
            let rawValue = kv.count > 1 ? String(validating: kv[1], as: UTF8.self) : ""
            guard let rawValue, let value = PercentDecoding.decode(rawValue, plusIsSpace: true) else { return nil }
            fields[key] = value
        }
        return fields
    }
}
