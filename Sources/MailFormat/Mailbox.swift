/// A person's display name and address, kept apart so the name can be
/// RFC 2047-encoded in headers and shown as written in bodies
/// (`王五 <wangwu@hospital.example>`).
public struct Mailbox: Sendable, Hashable {
    public var name: String
    public var address: String

    public init(name: String, address: String) {
        self.name = name
        self.address = address
    }

    /// How a body shows the mailbox: the name as written, then the address.
    var plainText: String {
        let n = name.trimmingSpaces
        let a = address.trimmingSpaces
        if n.isEmpty { return a }
        if a.isEmpty { return n }
        return "\(n) <\(a)>"
    }
}

extension String {
    /// Trims ASCII and ideographic spaces without Foundation, so the module
    /// stays free of platform differences.
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\u{3000}" || $0.isNewline }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
