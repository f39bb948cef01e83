/// Names of uploaded files, kept only as labels: shown on pages (escaped by
/// the templates), written into `Content-Disposition` and into the ZIP's
/// index. Never a path: the stored file is named by its SHA-256.
enum FileNames {
    static let maximumLength = 120

    /// The last component of what the browser sent (old browsers send a
    /// whole `C:\Users\…` path), without control characters, bidirectional
    /// overrides (which make `gpj.exe` read as `exe.jpg`), slashes or a
    /// leading dot, at most 120 characters, keeping the extension; a name
    /// left empty becomes `附件.EXT`.
    static func clean(_ raw: String, kind: FileKind? = nil) -> String {
        let last = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var out = ""
        for scalar in last.unicodeScalars {
            switch scalar.value {
            case 0..<0x20, 0x7F..<0xA0, 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x206F, 0xFEFF, 0xFFF9...0xFFFB:
                continue
            default:
                if "\"<>:|?*".unicodeScalars.contains(scalar) { out += "_" } else { out.unicodeScalars.append(scalar) }
            }
        }
        while out.hasPrefix(".") || out.hasPrefix(" ") { out.removeFirst() }
        while out.hasSuffix(".") || out.hasSuffix(" ") { out.removeLast() }
        if out.count > maximumLength {
            let dot = out.lastIndex(of: ".")
            let ext = dot.map { String(out[$0...]) } ?? ""
            out = String(out.prefix(maximumLength - min(ext.count, 16))) + (ext.count <= 16 ? ext : "")
        }
        if out.isEmpty { out = "附件" + (kind.map { "." + $0.fileExtension } ?? "") }
        return out
    }

    /// A `Content-Disposition: attachment` value that every browser reads:
    /// an ASCII fallback and the UTF-8 name (RFC 6266 / RFC 5987).
    static func attachmentHeader(_ name: String) -> String {
        let ascii = String(
            String.UnicodeScalarView(
                name.unicodeScalars.map {
                    $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" && $0 != "%" ? $0 : "_"
                }
            )
        )
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(PercentDecoding.encode(name))"
    }
}
