import Vocabulary

/// A problem found in something a user wrote, carried as a value so that one
/// printer can render every source of trouble (plans, holiday files, config)
/// the same way, and so tests can assert on positions rather than on text.
public struct Diagnostic: Sendable, Hashable {
    public enum Severity: String, Sendable, Hashable, Comparable {
        case error
        case warning

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            lhs == .warning && rhs == .error
        }
    }

    public var severity: Severity
    public var location: SourceLocation
    public var message: Message

    public init(_ severity: Severity, _ location: SourceLocation, _ message: Message) {
        self.severity = severity
        self.location = location
        // Whatever a message quotes of a user's text is capped here, once
        // for every source of diagnostics (`Quote.clipQuoted`).
        self.message = Message(zh: Quote.clipQuoted(message.zh), en: Quote.clipQuoted(message.en))
    }

    public static func error(_ location: SourceLocation, _ message: Message) -> Diagnostic {
        Diagnostic(.error, location, message)
    }

    public static func warning(_ location: SourceLocation, _ message: Message) -> Diagnostic {
        Diagnostic(.warning, location, message)
    }

    /// `FILE:LINE:COLUMN: error: MESSAGE`, the stable form scripts and editors parse.
    public func rendered(in language: Language) -> String {
        "\(location): \(severity.rawValue): \(message.text(in: language))"
    }
}

/// A 1-based position in a named file. Columns count Unicode scalars, as
/// libyaml does, so a Chinese character is one column.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.file, a.line, a.column) < (b.file, b.line, b.column)
    }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }
}

/// So a single diagnostic can travel as a `Result` failure or a thrown error.
extension Diagnostic: Error {}
