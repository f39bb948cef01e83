/// Something the parser noticed and worked around; the message was still
/// read. `mail-in` logs these, so an admin can see why a reply read oddly.
public enum ParseNote: Sendable, Hashable {
    /// The header block was larger than the limit, or had too many fields.
    case headerTruncated
    /// Text in a charset this machine cannot decode, read as UTF-8 with replacements.
    case unknownCharset(String)
    /// Some bytes of the text were not valid in its charset.
    case lossyText
    /// More MIME parts than the limit; the rest were not read.
    case tooManyParts(limit: Int)
    /// MIME parts nested deeper than the limit; the deeper ones were not read.
    case nestedTooDeep(limit: Int)
    /// A multipart body without its closing boundary (often: the message was cut).
    case unterminatedMultipart
    /// A multipart body without a boundary parameter, read as one opaque part.
    case missingBoundary
    /// The reply had no plain-text part; its HTML was turned into text.
    case textFromHTML
}

/// How far the parser goes into a message before it stops reading it.
public struct ParseLimits: Sendable, Hashable {
    /// Levels of multipart nesting (real replies use 3 or 4).
    public var depth: Int
    /// MIME parts in all.
    public var parts: Int

    public init(depth: Int = 12, parts: Int = 500) {
        self.depth = depth
        self.parts = parts
    }

    public static let standard = ParseLimits()
}
