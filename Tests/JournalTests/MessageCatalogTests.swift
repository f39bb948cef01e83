import Foundation
import Testing

@testable import Journal

/// `systemd/plankeeper.catalog` against `enum MessageID`: every id explained
/// in English and Chinese, nothing stale, and entries well formed. (That
/// journald accepts the file is checked by `scripts/journald-test.sh`, which
/// runs `journalctl --update-catalog` on it.)
@Suite struct MessageCatalogTests {
    struct Entry {
        var id: String
        var language: String?
        var line: Int
        var headers: [String: String]
        var body: String
    }

    static let catalogURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("systemd/plankeeper.catalog")

    /// The catalog format of systemd's catalog.c: `-- ID [LANG]` starts an
    /// entry, `Key: value` lines up to the first empty line are its header,
    /// the rest up to the next `-- ` is the body; `#` lines are comments.
    static func parse(_ text: String) throws -> [Entry] {
        var entries: [Entry] = []
        var current: Entry?
        var inHeader = false
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(rawLine)
            if line.hasPrefix("#") { continue }
            if line.hasPrefix("-- ") {
                if let current { entries.append(current) }
                let words = line.dropFirst(3).split(separator: " ").map(String.init)
                try #require(words.count == 1 || words.count == 2, "line \(index + 1): \(line)")
                current = Entry(
                    id: words[0],
                    language: words.count == 2 ? words[1] : nil,
                    line: index + 1,
                    headers: [:],
                    body: ""
                )
                inHeader = true
                continue
            }
            guard current != nil else {
                try #require(
                    line.trimmingCharacters(in: .whitespaces).isEmpty,
                    "line \(index + 1): text before any entry"
                )
                continue
            }
            if inHeader {
                if line.isEmpty {
                    inHeader = false
                    continue
                }
                let parts = line.split(separator: ":", maxSplits: 1)
                try #require(parts.count == 2, "line \(index + 1): header without a colon: \(line)")
                let key = String(parts[0])
                try #require(current?.headers[key] == nil, "line \(index + 1): \(key) twice")
                current?.headers[key] = parts[1].trimmingCharacters(in: .whitespaces)
            } else {
                current?.body += line + "\n"
            }
        }
        if let current { entries.append(current) }
        return entries
    }

    func entries() throws -> [Entry] {
        try Self.parse(String(contentsOf: Self.catalogURL, encoding: .utf8))
    }

    @Test func messageIDsAreValidAndDistinct() {
        #expect(MessageID.all.count == 21)
        #expect(Set(MessageID.all.map(\.id)).count == MessageID.all.count)
        #expect(Set(MessageID.all.map(\.name)).count == MessageID.all.count)
        for (name, id) in MessageID.all {
            #expect(JournalFields.isValidMessageID(id), "\(name)")
        }
    }

    @Test func everyMessageIDHasAnEnglishAndAChineseEntry() throws {
        let entries = try entries()
        for (name, id) in MessageID.all {
            let languages = entries.filter { $0.id == id }.map { $0.language ?? "default" }
            #expect(languages.sorted() == ["default", "zh_CN"], "\(name) \(id): \(languages)")
        }
    }

    @Test func theCatalogHasNoEntryForAnUnknownID() throws {
        let known = Set(MessageID.all.map(\.id))
        for entry in try entries() {
            #expect(known.contains(entry.id), "line \(entry.line): \(entry.id) is not in MessageID")
            #expect(JournalFields.isValidMessageID(entry.id), "line \(entry.line)")
        }
    }

    @Test func everyEntryIsComplete() throws {
        for entry in try entries() {
            let subject = entry.headers["Subject"] ?? ""
            #expect(!subject.isEmpty, "line \(entry.line): no Subject")
            #expect(entry.headers["Defined-By"] == "plankeeper", "line \(entry.line)")
            #expect(!(entry.headers["Support"] ?? "").isEmpty, "line \(entry.line): no Support")
            #expect(
                entry.body.trimmingCharacters(in: .whitespacesAndNewlines).count > 40,
                "line \(entry.line): body too short"
            )
            if entry.language == "zh_CN" {
                #expect(
                    subject.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) },
                    "line \(entry.line): untranslated"
                )
            }
        }
    }

    /// `@FIELD@` is replaced by the entry's field: it must be a field name,
    /// and both languages must use the same fields (a translation that drops
    /// one hides information).
    @Test func bothLanguagesUseTheSameFields() throws {
        let entries = try entries()
        func fields(_ entry: Entry) -> Set<String> {
            let text = (entry.headers["Subject"] ?? "") + "\n" + entry.body
            let parts = text.split(separator: "@", omittingEmptySubsequences: false)
            var names: Set<String> = []
            // Odd-numbered parts sit between two @.
            for (index, part) in parts.enumerated() where index % 2 == 1 {
                names.insert(String(part))
            }
            return names
        }
        for (name, id) in MessageID.all {
            let english = try #require(entries.first { $0.id == id && $0.language == nil })
            let chinese = try #require(entries.first { $0.id == id && $0.language == "zh_CN" })
            #expect(fields(english) == fields(chinese), "\(name)")
            for field in fields(english) {
                #expect(JournalFields.fieldName(forMetadataKey: field) == field, "\(name): @\(field)@")
            }
        }
    }
}
