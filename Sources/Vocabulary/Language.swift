/// The language people read output in. Chinese is the default because the
/// staff who read plankeeper's mail and tables are Chinese; English is for
/// admins and supervisors who ask for it.
///
/// The one language type of every module: plans' diagnostics, mail, reports,
/// delivery logs and the command line all take this, so a `--lang` or a
/// configured `language:` reaches every text without a mapping in between.
public enum Language: String, Sendable, Hashable, CaseIterable {
    case zh
    case en

    /// Accepts `zh`, `en`, and locale-like spellings such as `zh_CN.UTF-8`.
    public init?(identifier: String) {
        let lower = identifier.lowercased()
        if lower.hasPrefix("zh") { self = .zh } else if lower.hasPrefix("en") { self = .en } else { return nil }
    }

    /// Picks the text for this language.
    @inlinable
    public func pick(_ zh: String, _ en: String) -> String { self == .zh ? zh : en }
}
