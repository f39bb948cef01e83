/// A file that came with a reply: minutes, a sign-in sheet photo, a PDF.
/// The evidence of a record (issue 16), kept by content, listed by name.
public struct Attachment: Sendable, Hashable {
    /// The sender's file name, made safe to show (no folders, no control
    /// characters, at most 200 characters); a generated `attachment-N.ext`
    /// when the sender gave none. Never used as a path.
    public var name: String
    /// `image/jpeg`, `application/pdf`, … in lower case.
    public var type: String
    public var bytes: [UInt8]

    public init(name: String, type: String, bytes: [UInt8]) {
        self.name = name
        self.type = type
        self.bytes = bytes
    }

    public var size: Int { bytes.count }

    /// A name fit to show and store in the ledger.
    static func safeName(_ given: String?, type: String, index: Int) -> String {
        var name = ""
        if let given {
            // The last path component, whichever separator the sender's system used.
            let last = given.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
            for scalar in last.unicodeScalars {
                let v = scalar.value
                if v < 0x20 || v == 0x7F || (0x80..<0xA0).contains(v) || scalar.properties.generalCategory == .format {
                    continue
                }
                name.unicodeScalars.append(scalar)
            }
            name = name.trimmingCharacters(" .\t")
            if name.count > 200 {
                let ext = name.split(separator: ".").last.map { "." + $0 } ?? ""
                name = String(name.prefix(200 - min(ext.count, 20))) + (ext.count <= 20 ? ext : "")
            }
        }
        if name.isEmpty { name = "attachment-\(index)\(fileExtension(for: type))" }
        return name
    }

    static func fileExtension(for type: String) -> String {
        switch type {
        case "image/jpeg", "image/jpg", "image/pjpeg": ".jpg"
        case "image/png": ".png"
        case "image/gif": ".gif"
        case "image/heic": ".heic"
        case "image/webp": ".webp"
        case "image/bmp": ".bmp"
        case "application/pdf": ".pdf"
        case "application/msword": ".doc"
        case "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx"
        case "application/vnd.ms-excel": ".xls"
        case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx"
        case "application/vnd.ms-powerpoint": ".ppt"
        case "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx"
        case "message/rfc822": ".eml"
        case "text/plain": ".txt"
        case "text/html": ".html"
        case "application/zip": ".zip"
        default: ""
        }
    }
}
