import Vocabulary

/// What channel messages say around their content, in both languages, in
/// one place.
enum Texts {
    /// The line after a cut list of items.
    static func moreItems(hidden: Int, all: Int) -> Message {
        Message(zh: "……另有 \(hidden) 项（共 \(all) 项）", en: "… and \(hidden) more (\(all) in all)")
    }
}
