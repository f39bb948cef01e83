/// The language a report is written in. Chinese is the default: the people
/// who read status tables, agendas and reports are Chinese party-affairs
/// staff and supervisors. (Kept local so this pure module needs nothing but
/// the schedule core; the CLI maps its `--lang` onto it.)
public enum ReportLanguage: String, Sendable, Hashable, CaseIterable {
    case zh
    case en

    /// Picks the text for this language.
    @inlinable
    public func pick(_ zh: String, _ en: String) -> String { self == .zh ? zh : en }
}
