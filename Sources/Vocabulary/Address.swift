/// A mailbox: a person's (or an office's) display name and address, as plans
/// and the configuration write it, `王五 <wangwu@hospital.example>`.
///
/// The one address type: plan contacts, report recipients, the sender and a
/// message's recipients are all `Address`. The name is kept apart so mail can
/// RFC 2047-encode it in headers and show it as written in bodies.
///
/// Two addresses are equal when their names are equal and their addresses are
/// equal without regard to case (`WangWu@` and `wangwu@` reach the same
/// person; spool names and digests already compare them so).
public struct Address: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var address: String

    public init(name: String, address: String) {
        self.name = name
        self.address = address
    }

    /// `王五 <wangwu@hospital.example>`; the address alone when there is no name.
    public var description: String { name.isEmpty ? address : "\(name) <\(address)>" }

    /// Whether `other` is this address, compared without case (a reply from
    /// `WangWu@` answers a notice sent to `wangwu@`).
    public func matches(_ other: String) -> Bool { address.lowercased() == other.lowercased() }

    /// The domain after the last `@`, for Message-IDs; `localhost` without one.
    public var domain: String {
        address.split(separator: "@").last.map(String.init) ?? "localhost"
    }

    public static func == (a: Address, b: Address) -> Bool {
        a.name == b.name && a.address.lowercased() == b.address.lowercased()
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(address.lowercased())
    }
}

extension Address {
    /// The one `Name <user@host>` parser, for what people write (plan
    /// contacts, report recipients).
    ///
    /// Blanks around the whole and before `<` are trimmed (ASCII and Unicode
    /// space separators, so a full-width space typed in a Chinese editor does
    /// not break a contact). The address must be a plain ASCII `local@host`:
    /// a dot-atom local part and host labels of letters, digits and inner
    /// hyphens. The name must not contain `<`, `>` or `"`.
    ///
    /// - Parameter requireName: true (plan contacts): a bare `user@host` is
    ///   refused; false (report recipients): it is accepted with an empty name.
    ///
    /// A byte scan rather than Foundation's trimming and Unicode property
    /// lookups: a city's plans hold tens of thousands of contacts.
    public static func parse(_ text: String, requireName: Bool = true) -> Address? {
        let scalars = text.unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, isBlank(scalars[start]) { start = scalars.index(after: start) }
        while end > start, isBlank(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        guard start < end else { return nil }
        guard scalars[scalars.index(before: end)] == ">" else {
            let bare = String(scalars[start..<end])
            return !requireName && isAddress(bare.utf8) ? Address(name: "", address: bare) : nil
        }
        let close = scalars.index(before: end)
        guard let open = scalars[start..<close].lastIndex(of: "<") else { return nil }
        var nameEnd = open
        while nameEnd > start, isBlank(scalars[scalars.index(before: nameEnd)]) {
            nameEnd = scalars.index(before: nameEnd)
        }
        let nameScalars = scalars[start..<nameEnd]
        guard !requireName || !nameScalars.isEmpty,
            !nameScalars.contains(where: { $0 == "<" || $0 == ">" || $0 == "\"" })
        else { return nil }
        let address = String(scalars[scalars.index(after: open)..<close])
        guard isAddress(address.utf8) else { return nil }
        return Address(name: String(nameScalars), address: address)
    }

    /// A mailbox the configuration already checked (`mail.from`), split
    /// without judging it: `名称 <addr>` gives the name and the address; text
    /// without angle brackets is the address, under `defaultName`.
    public init(mailbox text: String, defaultName: String) {
        let scalars = text.unicodeScalars
        if text.hasSuffix(">"), let open = scalars.lastIndex(of: "<") {
            var nameStart = scalars.startIndex
            var nameEnd = open
            while nameStart < nameEnd, Self.isBlank(scalars[nameStart]) { nameStart = scalars.index(after: nameStart) }
            while nameEnd > nameStart, Self.isBlank(scalars[scalars.index(before: nameEnd)]) {
                nameEnd = scalars.index(before: nameEnd)
            }
            self.init(
                name: String(scalars[nameStart..<nameEnd]),
                address: String(scalars[scalars.index(after: open)..<scalars.index(before: scalars.endIndex)])
            )
        } else {
            self.init(name: defaultName, address: text)
        }
    }

    /// Tab and the Unicode space separators (what Foundation's `.whitespaces` trims).
    static func isBlank(_ s: Unicode.Scalar) -> Bool {
        s == " " || s == "\t" || (s.value >= 0x80 && s.properties.generalCategory == .spaceSeparator)
    }

    /// `local@host`: an ASCII dot-atom local part and host labels of letters,
    /// digits and inner hyphens.
    static func isAddress(_ bytes: String.UTF8View) -> Bool {
        var sawAt = false
        var localLength = 0
        var labelLength = 0
        var lastByte: UInt8 = 0
        for b in bytes {
            if !sawAt {
                if b == UInt8(ascii: "@") {
                    guard localLength > 0 else { return false }
                    sawAt = true
                    continue
                }
                guard isAlnum(b) || isAtomSymbol(b) else { return false }
                localLength += 1
            } else if b == UInt8(ascii: ".") {
                guard labelLength > 0, lastByte != UInt8(ascii: "-") else { return false }
                labelLength = 0
            } else {
                guard isAlnum(b) || b == UInt8(ascii: "-") else { return false }
                if labelLength == 0, b == UInt8(ascii: "-") { return false }
                labelLength += 1
            }
            lastByte = b
        }
        return sawAt && labelLength > 0 && lastByte != UInt8(ascii: "-")
    }

    private static func isAlnum(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    private static func isAtomSymbol(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="),
            UInt8(ascii: "?"), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "{"),
            UInt8(ascii: "|"), UInt8(ascii: "}"), UInt8(ascii: "~"), UInt8(ascii: "."), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }
}
