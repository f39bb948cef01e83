import Diagnostics
import Vocabulary

/// Reads a `YAMLNode` tree against a schema while collecting diagnostics, so
/// that one pass reports every problem in a file instead of stopping at the
/// first. Each check points at the node that is wrong.
public struct NodeReader: Sendable {
    public let file: String
    public private(set) var diagnostics: [Diagnostic] = []

    public init(file: String) { self.file = file }

    public func location(_ node: YAMLNode) -> SourceLocation {
        SourceLocation(file: file, line: node.line, column: node.column)
    }

    public mutating func error(_ node: YAMLNode, _ message: Message) {
        diagnostics.append(.error(location(node), message))
    }

    public mutating func warning(_ node: YAMLNode, _ message: Message) {
        diagnostics.append(.warning(location(node), message))
    }

    public mutating func append(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }

    /// The pairs of a mapping, keyed by key text. Keys outside `known` are
    /// reported at the key with the closest known key as a suggestion.
    public mutating func mapping(
        _ node: YAMLNode,
        what: Message,
        known: [String]
    ) -> [String: YAMLNode.Pair]? {
        guard case .mapping(let pairs) = node.kind else {
            error(
                node,
                Message(
                    zh: "\(what.zh)应当是映射（键: 值），这里是\(node.kindName.zh)",
                    en: "\(what.en) must be a mapping (key: value), not \(node.kindName.en)"
                )
            )
            return nil
        }
        var result: [String: YAMLNode.Pair] = [:]
        for pair in pairs {
            guard let key = pair.key.scalar else {
                error(pair.key, Message(zh: "键必须是文本", en: "a key must be plain text"))
                continue
            }
            if known.contains(key) {
                result[key] = pair
            } else if let guess = Suggestion.closest(to: key, among: known) {
                error(
                    pair.key,
                    Message(
                        zh: "未知的键“\(key)”；您是否想写“\(guess)”？",
                        en: "unknown key '\(key)'; did you mean '\(guess)'?"
                    )
                )
            } else {
                error(
                    pair.key,
                    Message(
                        zh: "未知的键“\(key)”；此处可用的键：\(known.joined(separator: "、"))",
                        en: "unknown key '\(key)'; expected one of: \(known.joined(separator: ", "))"
                    )
                )
            }
        }
        return result
    }

    /// A scalar's text, or an error naming what was expected.
    public mutating func string(_ node: YAMLNode, what: Message) -> String? {
        guard let s = node.scalar, !node.isNull else {
            error(
                node,
                Message(
                    zh: "\(what.zh)应当是文本，这里是\(node.isNull ? "空值" : node.kindName.zh)",
                    en: "\(what.en) must be text, not \(node.isNull ? "empty" : node.kindName.en)"
                )
            )
            return nil
        }
        return s
    }

    /// Text that may reach a mail header: CR and LF would let it forge headers.
    public mutating func singleLine(_ node: YAMLNode, what: Message) -> String? {
        guard let s = string(node, what: what) else { return nil }
        if s.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" }) {
            error(
                node,
                Message(
                    zh: "\(what.zh)不能包含换行符（会进入邮件标题）",
                    en: "\(what.en) must not contain a line break (it goes into mail headers)"
                )
            )
            return nil
        }
        return s
    }

    /// A name or a title: one line, and not empty or blank (an owner of
    /// `" "` would head every mail and every report line with nothing).
    public mutating func label(_ node: YAMLNode, what: Message) -> String? {
        guard let s = singleLine(node, what: what) else { return nil }
        if s.unicodeScalars.allSatisfy({ $0.properties.isWhitespace || $0.properties.isDefaultIgnorableCodePoint }) {
            error(node, Message(zh: "\(what.zh)不能为空", en: "\(what.en) must not be empty or blank"))
            return nil
        }
        return s
    }

    public mutating func integer(_ node: YAMLNode, what: Message, range: ClosedRange<Int>) -> Int? {
        guard let s = string(node, what: what) else { return nil }
        guard let v = Int(s), range.contains(v) else {
            error(
                node,
                Message(
                    zh: "\(what.zh)应当是 \(range.lowerBound)–\(range.upperBound) 之间的整数，这里是“\(s)”",
                    en: "\(what.en) must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(s)'"
                )
            )
            return nil
        }
        return v
    }

    /// A list, or a single scalar taken as a one-element list (`notify: secretary`).
    public mutating func list(_ node: YAMLNode, what: Message, allowScalar: Bool = true) -> [YAMLNode]? {
        switch node.kind {
        case .sequence(let items): return items
        case .scalar where allowScalar && !node.isNull: return [node]
        default:
            error(
                node,
                Message(
                    zh: "\(what.zh)应当是列表，这里是\(node.isNull ? "空值" : node.kindName.zh)",
                    en: "\(what.en) must be a list, not \(node.isNull ? "empty" : node.kindName.en)"
                )
            )
            return nil
        }
    }
}
