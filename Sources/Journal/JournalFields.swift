import Logging

/// The pure mapping from one swift-log event to the fields of one journal
/// entry, kept apart from `sd_journal_sendv` so that every rule below is
/// unit-tested without a journal.
///
/// The IT admin reads plankeeper with `journalctl`, and filters on fields:
/// `journalctl PLANKEEPER_PLAN=… -p warning`, `journalctl -x MESSAGE_ID=…`.
/// So the fields must be stable, valid journal field names, and the values
/// complete: a field name journald rejects loses the whole field, and an
/// entry without a proper `PRIORITY` defeats `-p`.
public struct JournalFields: Sendable {
    /// journald refuses field names longer than this.
    public static let maximumNameLength = 64

    /// Put in front of a metadata field name that would otherwise start with a
    /// digit (invalid in the journal) or take the name of a field this mapping
    /// writes itself (a second `MESSAGE` would make the entry ambiguous).
    public static let escapePrefix = "META_"

    /// The field that carries metadata whose key has no usable character at
    /// all (for example a key written only in Chinese): the value becomes
    /// `key=value`, so nothing is lost even though the key cannot be a name.
    public static let unnamedMetadataField = "METADATA"

    /// The field names this mapping writes itself. Metadata keys that map to
    /// one of them are escaped, except `priority` and `message_id`, which are
    /// the documented way to set those two fields.
    public static let reservedNames: Set<String> = [
        "MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER", "MESSAGE_ID",
        "CODE_FILE", "CODE_LINE", "CODE_FUNC", "SWIFT_LOG_SOURCE",
    ]

    /// The journal fields for one event, in a fixed order: `MESSAGE`,
    /// `PRIORITY`, `SYSLOG_IDENTIFIER`, `MESSAGE_ID` (when given and valid),
    /// `CODE_FILE`, `CODE_LINE`, `CODE_FUNC`, `SWIFT_LOG_SOURCE`, then the
    /// metadata sorted by field name (then by original key), so the same event
    /// always yields the same entry and tests can compare whole arrays.
    ///
    /// Metadata rules:
    /// - each key becomes a field name by ``fieldName(forMetadataKey:)``;
    /// - `priority` with a value `"0"`…`"7"` replaces the level's `PRIORITY`
    ///   (for an event whose urgency is not the level's, such as a deadline
    ///   passing); any other value is ignored and the level decides;
    /// - `message_id` becomes `MESSAGE_ID` when it is 32 lowercase hex digits,
    ///   the form the message catalog uses; otherwise it is dropped, since a
    ///   malformed id links to no catalog entry and only misleads a query;
    /// - two keys that map to the same name are both kept: a journal entry
    ///   may hold a field several times.
    ///
    /// Values are byte strings to the journal and may contain newlines (the
    /// native protocol carries them), so they are passed through unchanged.
    public static func fields(
        level: Logger.Level,
        message: String,
        metadata: Logger.Metadata,
        source: String,
        file: String,
        function: String,
        line: UInt,
        identifier: String = "plankeeper"
    ) -> [(String, String)] {
        var priority = Self.priority(for: level)
        var messageID: String?
        var extra: [(name: String, key: String, value: String)] = []

        // Sorted, so that when two keys name the same field (`priority` and
        // `PRIORITY`) the outcome does not depend on dictionary order.
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            let text = stringify(value)
            guard let name = fieldName(forMetadataKey: key) else {
                extra.append((unnamedMetadataField, key, "\(key)=\(text)"))
                continue
            }
            switch name {
            case "PRIORITY":
                if let override = priorityOverride(text) { priority = override }
            case "MESSAGE_ID":
                if isValidMessageID(text) { messageID = text }
            case _ where reservedNames.contains(name):
                extra.append((String((escapePrefix + name).prefix(maximumNameLength)), key, text))
            default:
                extra.append((name, key, text))
            }
        }
        extra.sort { ($0.name, $0.key) < ($1.name, $1.key) }

        var result: [(String, String)] = [
            ("MESSAGE", message),
            ("PRIORITY", String(priority)),
            ("SYSLOG_IDENTIFIER", identifier),
        ]
        if let messageID { result.append(("MESSAGE_ID", messageID)) }
        result += [
            ("CODE_FILE", file),
            ("CODE_LINE", String(line)),
            ("CODE_FUNC", function),
            ("SWIFT_LOG_SOURCE", source),
        ]
        result += extra.map { ($0.name, $0.value) }
        return result
    }

    /// syslog(3) priorities, which `journalctl -p` filters on. swift-log has
    /// no `emerg`/`alert`, so its worst level, `critical`, maps to `crit` (2).
    public static func priority(for level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// The priority an event is logged with: its level's, unless metadata
    /// `priority` overrides it (as ``fields(level:message:metadata:source:file:function:line:identifier:)``
    /// does). For the `<N>` prefix of stderr lines going to a journal stream.
    public static func priority(for level: Logger.Level, metadata: Logger.Metadata) -> Int {
        var priority = priority(for: level)
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) where fieldName(forMetadataKey: key) == "PRIORITY"
        {
            if let override = priorityOverride(stringify(value)) { priority = override }
        }
        return priority
    }

    /// A valid journal field name for a metadata key, or nil when the key has
    /// no character that survives.
    ///
    /// journald accepts only `[A-Z0-9_]`, at most 64 characters, not starting
    /// with a digit; names starting with `_` are trusted fields that journald
    /// sets itself and silently drops from clients. So: ASCII letters are
    /// uppercased, every other Unicode scalar becomes `_`, leading `_` are
    /// stripped (which also stops a key from posing as `_SYSTEMD_UNIT`), a
    /// leading digit gets ``escapePrefix``, and the result is cut to 64.
    /// `plankeeper_plan` → `PLANKEEPER_PLAN`, `http.status` → `HTTP_STATUS`.
    public static func fieldName(forMetadataKey key: String) -> String? {
        var name = String.UnicodeScalarView()
        for scalar in key.unicodeScalars {
            switch scalar.value {
            case 0x61...0x7A:  // a-z
                name.append(Unicode.Scalar(scalar.value - 0x20) ?? "_")
            case 0x41...0x5A, 0x30...0x39, 0x5F:  // A-Z 0-9 _
                name.append(scalar)
            default:
                name.append("_")
            }
        }
        var result = String(String(name).drop { $0 == "_" })
        guard let first = result.unicodeScalars.first else { return nil }
        if (0x30...0x39).contains(first.value) { result = escapePrefix + result }
        return String(result.prefix(maximumNameLength))
    }

    /// Whether `text` is a message id as journald and the catalog write it:
    /// 128 bits as exactly 32 lowercase hexadecimal digits.
    public static func isValidMessageID(_ text: String) -> Bool {
        text.utf8.count == 32
            && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// A metadata value as text. Nested values are flattened readably and
    /// deterministically: arrays as `[a, b]`, dictionaries as `{k=v, k2=v2}`
    /// with keys sorted (swift-log's own description uses Swift dump syntax
    /// with quotes and an unstable key order).
    public static func stringify(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let text):
            text
        case .stringConvertible(let convertible):
            convertible.description
        case .array(let values):
            "[" + values.map(stringify).joined(separator: ", ") + "]"
        case .dictionary(let dictionary):
            "{"
                + dictionary.sorted { $0.key < $1.key }
                .map { "\($0.key)=\(stringify($0.value))" }
                .joined(separator: ", ") + "}"
        }
    }

    /// A `priority` metadata value, accepted only as a single digit 0–7.
    static func priorityOverride(_ text: String) -> Int? {
        guard text.utf8.count == 1, let digit = Int(text), (0...7).contains(digit) else { return nil }
        return digit
    }
}
