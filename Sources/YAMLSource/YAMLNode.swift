/// A YAML node with the position it was written at. Scalars stay text: the
/// schema that reads them decides what `25`, `on` or `2026-03-01` mean, so
/// no YAML 1.1 resolver turns them into booleans or UTC timestamps behind
/// the user's back.
public struct YAMLNode: Sendable {
    public indirect enum Kind: Sendable {
        case scalar(String, ScalarStyle)
        case sequence([YAMLNode])
        case mapping([Pair])
    }

    public enum ScalarStyle: Sendable { case plain, singleQuoted, doubleQuoted, literal, folded }

    public struct Pair: Sendable {
        public var key: YAMLNode
        public var value: YAMLNode
    }

    public var kind: Kind
    /// 1-based line and column (in Unicode scalars) where the node starts.
    public var line: Int
    public var column: Int

    public var scalar: String? {
        if case .scalar(let s, _) = kind { return s }
        return nil
    }

    /// A plain `~`, `null`, or empty scalar: YAML's way of writing "nothing".
    public var isNull: Bool {
        if case .scalar(let s, .plain) = kind {
            return s.isEmpty || s == "~" || s == "null" || s == "Null" || s == "NULL"
        }
        return false
    }

    public var kindName: Message {
        switch kind {
        case .scalar: Message(zh: "标量值", en: "a scalar")
        case .sequence: Message(zh: "列表", en: "a list")
        case .mapping: Message(zh: "映射（键: 值）", en: "a mapping")
        }
    }
}

import Diagnostics
import Vocabulary
