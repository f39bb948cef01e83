/// What an uploaded file is, told from its bytes, never from its name or
/// the type the browser claims: a page named `photo.jpg` is not a photo.
///
/// The kinds are what a branch keeps as evidence (两表一簿一影像): photos from
/// a phone's camera (JPEG, PNG, HEIC, WebP), scans and minutes (PDF, Word,
/// WPS/Office 97 documents, Excel sign-in sheets), and plain text. Anything
/// else is refused with a message naming what is accepted.
public enum FileKind: String, Sendable, CaseIterable {
    case jpeg, png, heic, webp, gif, pdf, docx, xlsx, pptx, ole, text

    /// The media type stored with the evidence and sent back on download.
    public var mediaType: String {
        switch self {
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .heic: "image/heic"
        case .webp: "image/webp"
        case .gif: "image/gif"
        case .pdf: "application/pdf"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case .pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        case .ole: "application/msword"
        case .text: "text/plain; charset=utf-8"
        }
    }

    /// The usual extension, for a download whose name lost its own.
    public var fileExtension: String {
        switch self {
        case .jpeg: "jpg"
        case .ole: "doc"
        case .text: "txt"
        default: rawValue
        }
    }

    public var isImage: Bool { [.jpeg, .png, .heic, .webp, .gif].contains(self) }

    /// How many leading bytes `sniff` needs to decide (a DOCX is told by the
    /// names inside the ZIP, which the caller finds with `officeFlavour`).
    public static let headLength = 4096

    /// The kind of a file from its first bytes (`head`, up to `headLength`),
    /// or nil when it is none of the accepted kinds.
    ///
    /// A ZIP container (`PK\3\4`) is an Office Open XML document only if its
    /// part names say so; pass `zipNames` the bytes to search (the head and
    /// the file's tail, where the central directory lists every name).
    public static func sniff(head: some Collection<UInt8>, zipNames: some Collection<UInt8> = [UInt8]()) -> FileKind? {
        let b = Array(head.prefix(headLength))
        func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool {
            b.count >= offset + magic.count && Array(b[offset..<offset + magic.count]) == magic
        }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return .gif }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return .webp }
        if starts(Array("ftyp".utf8), at: 4), b.count >= 12 {
            let brand = String(decoding: b[8..<12], as: UTF8.self)
            if ["heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"].contains(brand) { return .heic }
            return nil
        }
        if starts(Array("%PDF-".utf8)) { return .pdf }
        if starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .ole }
        if starts([0x50, 0x4B, 0x03, 0x04]) {
            return officeFlavour(b + Array(zipNames))
        }
        if isPlainText(b) { return .text }
        return nil
    }

    /// Which Office Open XML document a ZIP is, from the part names found in it.
    static func officeFlavour(_ bytes: [UInt8]) -> FileKind? {
        if contains(bytes, "word/") { return .docx }
        if contains(bytes, "xl/") { return .xlsx }
        if contains(bytes, "ppt/") { return .pptx }
        return nil
    }

    static func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard haystack.count >= n.count else { return false }
        var i = 0
        while i <= haystack.count - n.count {
            if haystack[i] == n[0] && Array(haystack[i..<i + n.count]) == n { return true }
            i += 1
        }
        return false
    }

    /// UTF-8 (the last character may be cut off by the head's end) with no
    /// control characters but tab, newline and carriage return.
    static func isPlainText(_ b: [UInt8]) -> Bool {
        guard !b.isEmpty else { return false }
        if b.contains(where: { ($0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D) || $0 == 0x7F }) { return false }
        var bytes = b
        // Drop an incomplete final sequence (at most 3 continuation bytes).
        for _ in 0..<3 where (bytes.last ?? 0) & 0xC0 == 0x80 { bytes.removeLast() }
        if let last = bytes.last, last >= 0xC0 { bytes.removeLast() }
        return String(validating: bytes, as: UTF8.self) != nil
    }
}
