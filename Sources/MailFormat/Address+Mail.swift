import Vocabulary

extension Address {
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
