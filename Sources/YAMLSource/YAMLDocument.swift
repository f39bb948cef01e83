import CLibYAML
import Diagnostics
import Vocabulary

/// Reads one YAML document into `YAMLNode`s, refusing what a plan file never
/// needs and an attacker could abuse: files over a size cap, invalid UTF-8,
/// tab indentation, anchors and aliases (a "billion laughs" file fails at its
/// first `&`, before anything is expanded), duplicate keys, and more than one
/// document. Every refusal is a `Diagnostic` with the offending position.
public enum YAMLDocument {
    /// Plans are a few kilobytes; a megabyte is far beyond any real one.
    public static let maximumSize = 1 << 20

    public static func parse(_ bytes: [UInt8], file: String) -> Result<YAMLNode?, Diagnostic> {
        func at(_ line: Int, _ column: Int) -> SourceLocation { SourceLocation(file: file, line: line, column: column) }

        if bytes.count > maximumSize {
            return .failure(
                .error(
                    at(1, 1),
                    Message(
                        zh: "文件过大（\(bytes.count) 字节），计划文件不能超过 1 MiB",
                        en: "file is too large (\(bytes.count) bytes); a plan file may be at most 1 MiB"
                    )
                )
            )
        }
        if let bad = firstInvalidUTF8(bytes) {
            let (line, column) = position(ofByte: bad, in: bytes)
            return .failure(
                .error(
                    at(line, column),
                    Message(
                        zh: "不是有效的 UTF-8 编码（第 \(bad + 1) 字节）；请以 UTF-8 保存文件",
                        en: "invalid UTF-8 at byte \(bad + 1); save the file as UTF-8"
                    )
                )
            )
        }
        if let (offset, scalar) = TextCharacters.firstForbidden(inUTF8: bytes) {
            let (line, column) = position(ofByte: offset, in: bytes)
            return .failure(.error(at(line, column), TextCharacters.refusal(scalar)))
        }
        if let (line, column) = firstIndentationTab(bytes) {
            return .failure(
                .error(
                    at(line, column),
                    Message(
                        zh: "缩进中使用了制表符（Tab）；YAML 只允许用空格缩进",
                        en: "tab used for indentation; YAML allows spaces only"
                    )
                )
            )
        }
        // A byte-order mark (Windows Notepad's "UTF-8 with BOM") is allowed and dropped.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return Composer(file: file).run(Array(bytes.dropFirst(3)))
        }
        return Composer(file: file).run(bytes)
    }

    public static func parse(_ text: String, file: String) -> Result<YAMLNode?, Diagnostic> {
        parse(Array(text.utf8), file: file)
    }

    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                i += 1
                continue
            }
            let len: Int
            var minCodePoint: UInt32
            if b & 0xE0 == 0xC0 {
                len = 2
                minCodePoint = 0x80
            } else if b & 0xF0 == 0xE0 {
                len = 3
                minCodePoint = 0x800
            } else if b & 0xF8 == 0xF0 {
                len = 4
                minCodePoint = 0x10000
            } else {
                return i
            }
            if i + len > n { return i }
            var cp = UInt32(b) & (0xFF >> (len + 1))
            for k in 1..<len {
                let c = bytes[i + k]
                if c & 0xC0 != 0x80 { return i }
                cp = (cp << 6) | UInt32(c & 0x3F)
            }
            if cp < minCodePoint || cp > 0x10FFFF || (0xD800...0xDFFF).contains(cp) { return i }
            minCodePoint = 0
            i += len
        }
        return nil
    }

    /// 1-based line and column (in scalars) of a byte offset in valid-prefix text.
    static func position(ofByte offset: Int, in bytes: [UInt8]) -> (Int, Int) {
        var line = 1
        var column = 1
        var i = 0
        while i < offset {
            let b = bytes[i]
            if b == 0x0A {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
        return (line, column)
    }

    static func firstIndentationTab(_ bytes: [UInt8]) -> (Int, Int)? {
        var line = 1
        var lineStart = true
        var column = 1
        var tab: (Int, Int)?
        for b in bytes {
            if b == 0x0A {
                // A tab in an otherwise blank line indents nothing.
                tab = nil
                line += 1
                column = 1
                lineStart = true
                continue
            }
            if lineStart {
                if b == 0x09 {
                    if tab == nil { tab = (line, column) }
                } else if b != 0x20 && b != 0x0D {
                    if let tab { return tab }
                    lineStart = false
                }
            }
            column += 1
        }
        return nil
    }
}

/// Builds the node tree from libyaml's event stream so that anchors can be
/// refused before they are expanded and every key keeps its own position.
final class Composer {
    let file: String
    private var parser = yaml_parser_t()
    /// Sequences and mappings open around the node being read. The composer
    /// recurses once per level, and a folder of many files is parsed on
    /// worker threads with small stacks: past `maximumDepth` a file is
    /// refused rather than allowed to overflow the stack (libyaml itself sets
    /// no limit).
    private var depth = 0
    static let maximumDepth = 1000
    /// The bytes being parsed, for positions libyaml gives as offsets.
    private var input: [UInt8]?

    init(file: String) { self.file = file }

    private func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    private enum Failure: Error { case diagnostic(Diagnostic) }

    func run(_ bytes: [UInt8]) -> Result<YAMLNode?, Diagnostic> {
        guard yaml_parser_initialize(&parser) == 1 else {
            return .failure(
                .error(
                    SourceLocation(file: file, line: 1, column: 1),
                    Message(zh: "YAML 解析器初始化失败", en: "could not initialise the YAML parser")
                )
            )
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        input = bytes
        defer { input = nil }
        return bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            do {
                return .success(try document())
            } catch Failure.diagnostic(let d) {
                return .failure(d)
            } catch {
                return .failure(
                    .error(SourceLocation(file: file, line: 1, column: 1), Message(zh: "\(error)", en: "\(error)"))
                )
            }
        }
    }

    /// One event at a time; the closure reads it before libyaml frees it.
    private func next<T>(_ body: (inout yaml_event_t) throws -> T) throws -> T {
        var event = yaml_event_t()
        guard yaml_parser_parse(&parser, &event) == 1 else {
            throw Failure.diagnostic(syntaxError())
        }
        defer { yaml_event_delete(&event) }
        return try body(&event)
    }

    /// libyaml's problem, in the user's words where it is a common one.
    /// A reader error (a byte libyaml refuses) has no mark, only an offset:
    /// its position is computed from the offset instead of reported as 1:1.
    private func syntaxError() -> Diagnostic {
        let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
        let context = parser.context.map { String(cString: $0) }
        let place: SourceLocation
        if parser.error == YAML_READER_ERROR, let bytes = input {
            let (line, column) = YAMLDocument.position(ofByte: min(Int(parser.problem_offset), bytes.count), in: bytes)
            place = SourceLocation(file: file, line: line, column: column)
        } else {
            place = location(parser.problem_mark)
        }
        if let plain = SyntaxProblem.message(problem: problem) {
            return .error(place, Message(zh: "YAML 语法错误：\(plain.zh)", en: "YAML syntax error: \(plain.en)"))
        }
        let text = context.map { "\($0), \(problem)" } ?? problem
        return .error(place, Message(zh: "YAML 语法错误：\(text)", en: "YAML syntax error: \(text)"))
    }

    /// `tag:yaml.org,2002:binary` as it was written, `!!binary`.
    static func shortTag(_ tag: String) -> String {
        let standard = "tag:yaml.org,2002:"
        return tag.hasPrefix(standard) ? "!!" + tag.dropFirst(standard.count) : tag
    }

    private enum Start {
        case node(YAMLNode)
        case sequence(Int, Int)
        case mapping(Int, Int)
        case end
    }

    private func document() throws -> YAMLNode? {
        _ = try next { _ in () }  // STREAM-START
        let isDocument = try next { $0.type == YAML_DOCUMENT_START_EVENT }
        guard isDocument else { return nil }  // empty stream
        let root = try node()
        _ = try next { _ in () }  // DOCUMENT-END
        let extra: SourceLocation? = try next { event in
            event.type == YAML_DOCUMENT_START_EVENT ? location(event.start_mark) : nil
        }
        if let extra {
            throw Failure.diagnostic(
                .error(
                    extra,
                    Message(
                        zh: "一个计划文件只能包含一个 YAML 文档（此处出现了第二个 ---）",
                        en: "a plan file holds one YAML document; a second one starts here"
                    )
                )
            )
        }
        return root
    }

    private func node() throws -> YAMLNode {
        let start: Start = try next { event in try self.start(event) }
        return try finish(start)
    }

    private func finish(_ start: Start) throws -> YAMLNode {
        switch start {
        case .sequence(let line, let column), .mapping(let line, let column):
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maximumDepth else {
                // Said as libyaml's own limit was ("Maximum nesting level reached").
                let plain = SyntaxProblem.tooDeep
                throw Failure.diagnostic(
                    .error(
                        SourceLocation(file: file, line: line, column: column),
                        Message(
                            zh: "YAML 语法错误：\(plain.zh)",
                            en: "YAML syntax error: \(plain.en)"
                        )
                    )
                )
            }
            return try collection(start)
        default:
            return try collection(start)
        }
    }

    private func collection(_ start: Start) throws -> YAMLNode {
        switch start {
        case .node(let node):
            return node
        case .end:
            throw Failure.diagnostic(
                .error(location(parser.mark), Message(zh: "YAML 结构不完整", en: "unexpected end of YAML structure"))
            )
        case .sequence(let line, let column):
            var items: [YAMLNode] = []
            while true {
                let s: Start = try next { event in try self.start(event) }
                if case .end = s { break }
                items.append(try finish(s))
            }
            return YAMLNode(kind: .sequence(items), line: line, column: column)
        case .mapping(let line, let column):
            var pairs: [YAMLNode.Pair] = []
            var seen: [String: YAMLNode] = [:]
            while true {
                let s: Start = try next { event in try self.start(event) }
                if case .end = s { break }
                let key = try finish(s)
                if let name = key.scalar {
                    if let first = seen[name] {
                        throw Failure.diagnostic(
                            .error(
                                SourceLocation(file: file, line: key.line, column: key.column),
                                Message(
                                    zh: "重复的键“\(name)”（第一次出现在第 \(first.line) 行第 \(first.column) 列）",
                                    en:
                                        "duplicate key '\(name)' (first written at line \(first.line), column \(first.column))"
                                )
                            )
                        )
                    }
                    seen[name] = key
                }
                let value = try node()
                pairs.append(YAMLNode.Pair(key: key, value: value))
            }
            return YAMLNode(kind: .mapping(pairs), line: line, column: column)
        }
    }

    private func start(_ event: yaml_event_t) throws -> Start {
        let line = Int(event.start_mark.line) + 1
        let column = Int(event.start_mark.column) + 1
        // An explicit tag (`!!binary`, `!plan`, `!!str`) asks a YAML library
        // to build something other than text: plan files never need one, and
        // silently ignoring it hides what the author meant.
        func refuseTag(_ tag: UnsafeMutablePointer<yaml_char_t>?) throws {
            guard let tag else { return }
            let written = Self.shortTag(String(cString: tag))
            throw Failure.diagnostic(
                .error(
                    SourceLocation(file: file, line: line, column: column),
                    Message(
                        zh: "不支持 YAML 标签（\(Quote.clip(written, 40))）；请删去标签，直接写出内容",
                        en:
                            "YAML tags are not supported (\(Quote.clip(written, 40))); remove the tag and write the content"
                    )
                )
            )
        }
        func refuseAnchor(_ anchor: UnsafeMutablePointer<yaml_char_t>?) throws {
            guard let anchor else { return }
            let name = String(cString: anchor)
            throw Failure.diagnostic(
                .error(
                    SourceLocation(file: file, line: line, column: column),
                    Message(
                        zh: "不支持 YAML 锚点和别名（&\(name)）；请直接写出内容",
                        en: "YAML anchors and aliases are not supported (&\(name)); write the content out"
                    )
                )
            )
        }
        switch event.type {
        case YAML_SCALAR_EVENT:
            try refuseAnchor(event.data.scalar.anchor)
            let s = event.data.scalar
            try refuseTag(s.tag)
            let text =
                s.value.map {
                    String(decoding: UnsafeBufferPointer(start: $0, count: s.length), as: UTF8.self)
                } ?? ""
            // Escapes (`"\e]0;…\a"`, `"\u202E"`) decode to what the raw-byte
            // scan refused: refused here, at the value.
            if let bad = text.unicodeScalars.first(where: TextCharacters.isForbidden(decoded:)) {
                throw Failure.diagnostic(
                    .error(
                        SourceLocation(file: file, line: line, column: column),
                        TextCharacters.refusal(bad, escaped: true)
                    )
                )
            }
            let style: YAMLNode.ScalarStyle =
                switch s.style {
                case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
                case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
                case YAML_LITERAL_SCALAR_STYLE: .literal
                case YAML_FOLDED_SCALAR_STYLE: .folded
                default: .plain
                }
            return .node(YAMLNode(kind: .scalar(text, style), line: line, column: column))
        case YAML_SEQUENCE_START_EVENT:
            try refuseAnchor(event.data.sequence_start.anchor)
            try refuseTag(event.data.sequence_start.tag)
            return .sequence(line, column)
        case YAML_MAPPING_START_EVENT:
            try refuseAnchor(event.data.mapping_start.anchor)
            try refuseTag(event.data.mapping_start.tag)
            return .mapping(line, column)
        case YAML_ALIAS_EVENT:
            let name = event.data.alias.anchor.map { String(cString: $0) } ?? ""
            throw Failure.diagnostic(
                .error(
                    SourceLocation(file: file, line: line, column: column),
                    Message(
                        zh: "不支持 YAML 别名（*\(name)）；请直接写出内容",
                        en: "YAML aliases are not supported (*\(name)); write the content out"
                    )
                )
            )
        default:
            return .end
        }
    }
}
