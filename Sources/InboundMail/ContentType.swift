/// A `Content-Type` or `Content-Disposition` value: its main value in lower
/// case and its parameters, with RFC 2231 continuations and charsets
/// (`filename*=UTF-8''%E4%BC%9A…`, `name*0*=…`) and the RFC 2047 encoded
/// words Chinese clients put inside quoted file names all decoded.
public struct HeaderParameters: Sendable, Hashable {
    /// `text/plain`, `multipart/mixed`, `attachment`, … in lower case; empty when absent.
    public var value: String
    /// Parameter names in lower case → decoded values.
    public var parameters: [String: String]

    public init(value: String, parameters: [String: String] = [:]) {
        self.value = value
        self.parameters = parameters
    }

    public subscript(_ name: String) -> String? { parameters[name.lowercased()] }

    /// `text` of `text/plain`.
    public var type: Substring { value.split(separator: "/", maxSplits: 1).first ?? "" }
    /// `plain` of `text/plain`.
    public var subtype: Substring { value.split(separator: "/", maxSplits: 1).dropFirst().first ?? "" }

    public static func parse(_ raw: [UInt8]) -> HeaderParameters {
        var i = 0
        func skipBlanksAndComments() {
            while i < raw.count {
                if raw[i] == 0x20 || raw[i] == 0x09 || raw[i] == 0x0D || raw[i] == 0x0A {
                    i += 1
                } else if raw[i] == UInt8(ascii: "(") {
                    var depth = 0
                    while i < raw.count {
                        if raw[i] == UInt8(ascii: "\\") {
                            i += 2
                            continue
                        }
                        if raw[i] == UInt8(ascii: "(") { depth += 1 }
                        if raw[i] == UInt8(ascii: ")") {
                            depth -= 1
                            if depth == 0 {
                                i += 1
                                break
                            }
                        }
                        i += 1
                    }
                } else {
                    return
                }
            }
        }
        skipBlanksAndComments()
        let valueStart = i
        while i < raw.count, raw[i] != UInt8(ascii: ";") { i += 1 }
        var value = String(decoding: raw[valueStart..<i], as: UTF8.self).lowercased()
        value = String(value.filter { !$0.isWhitespace })

        // name → (value pieces by section number, whether the pieces are RFC 2231-encoded)
        var plain: [String: [UInt8]] = [:]
        var sections: [String: [Int: (bytes: [UInt8], extended: Bool)]] = [:]
        while i < raw.count {
            i += 1  // the ';'
            skipBlanksAndComments()
            let nameStart = i
            while i < raw.count, raw[i] != UInt8(ascii: "="), raw[i] != UInt8(ascii: ";") { i += 1 }
            var name = String(decoding: raw[nameStart..<i], as: UTF8.self).lowercased()
            name = String(name.filter { !$0.isWhitespace })
            guard i < raw.count, raw[i] == UInt8(ascii: "=") else { continue }
            i += 1
            skipBlanksAndComments()
            var bytes: [UInt8] = []
            if i < raw.count, raw[i] == UInt8(ascii: "\"") {
                i += 1
                while i < raw.count, raw[i] != UInt8(ascii: "\"") {
                    if raw[i] == UInt8(ascii: "\\"), i + 1 < raw.count { i += 1 }
                    bytes.append(raw[i])
                    i += 1
                }
                if i < raw.count { i += 1 }
                while i < raw.count, raw[i] != UInt8(ascii: ";") { i += 1 }
            } else {
                while i < raw.count, raw[i] != UInt8(ascii: ";") {
                    bytes.append(raw[i])
                    i += 1
                }
                while let c = bytes.last, c == 0x20 || c == 0x09 { bytes.removeLast() }
            }
            guard !name.isEmpty else { continue }
            // name*N*, name*N, name* (RFC 2231).
            let extended = name.hasSuffix("*")
            let base = extended ? String(name.dropLast()) : name
            if let star = base.firstIndex(of: "*"), let n = Int(base[base.index(after: star)...]), n >= 0, n < 1000 {
                sections[String(base[..<star]), default: [:]][n] = (bytes, extended)
            } else if extended {
                sections[base, default: [:]][0] = (bytes, true)
            } else if plain[name] == nil {
                plain[name] = bytes
            }
        }
        var parameters: [String: String] = [:]
        for (name, bytes) in plain { parameters[name] = EncodedWords.decode(bytes) }
        for (name, pieces) in sections {
            var charset: String?
            var joined: [UInt8] = []
            for n in pieces.keys.sorted() {
                guard let piece = pieces[n] else { continue }
                if piece.extended {
                    var body = piece.bytes[...]
                    if n == 0 || charset == nil && n == pieces.keys.min() {
                        // charset'language'value
                        let parts = body.split(
                            separator: UInt8(ascii: "'"),
                            maxSplits: 2,
                            omittingEmptySubsequences: false
                        )
                        if parts.count == 3 {
                            charset = String(decoding: parts[0], as: UTF8.self)
                            body = parts[2]
                        }
                    }
                    joined += percentDecode(body)
                } else {
                    joined += piece.bytes
                }
            }
            // An RFC 2231 value wins over a plain one of the same name (it is the precise one).
            let decoded = CharsetDecoder.decode(joined, charset: charset?.isEmpty == false ? charset : nil).text
            parameters[name] = charset == nil ? EncodedWords.decode(Array(decoded.utf8)) : decoded
        }
        return HeaderParameters(value: value, parameters: parameters)
    }

    static func percentDecode(_ bytes: some Collection<UInt8>) -> [UInt8] {
        let input = Array(bytes)
        var out: [UInt8] = []
        var i = 0
        while i < input.count {
            if input[i] == UInt8(ascii: "%"), let h = TransferDecoding.hex(input[safe: i + 1]),
                let l = TransferDecoding.hex(input[safe: i + 2])
            {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(input[i])
                i += 1
            }
        }
        return out
    }
}
