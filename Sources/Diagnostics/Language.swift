/// The language people read output in. Chinese is the default because the
/// staff who read plankeeper's mail and tables are Chinese; English is for
/// admins and supervisors who ask for it.
public enum Language: String, Sendable, Hashable, CaseIterable {
    case zh
    case en

    /// Accepts `zh`, `en`, and locale-like spellings such as `zh_CN.UTF-8`.
    public init?(identifier: String) {
        let lower = identifier.lowercased()
        if lower.hasPrefix("zh") { self = .zh } else if lower.hasPrefix("en") { self = .en } else { return nil }
    }
}

/// Text written in both languages at the place it is produced, so that a
/// message never exists in one language only.
public struct Message: Sendable, Hashable, CustomStringConvertible {
    public var zh: String
    public var en: String

    public init(zh: String, en: String) {
        self.zh = zh
        self.en = en
    }

    public func text(in language: Language) -> String {
        language == .zh ? zh : en
    }

    public var description: String { en }
}
