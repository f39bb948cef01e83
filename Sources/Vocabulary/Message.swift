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

/// So a bilingual reason can travel as a `Result` failure or a thrown error
/// (a transport's refusal, an unreadable password file).
extension Message: Error {}
