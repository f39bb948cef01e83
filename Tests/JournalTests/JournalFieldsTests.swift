import Logging
import Testing

@testable import Journal

/// The pure event → journal-fields mapping: names journald accepts, the right
/// priority, and no value lost or altered.
@Suite struct JournalFieldsTests {
    /// Shorthand with fixed code position, so whole arrays can be compared.
    func fields(
        _ level: Logger.Level = .info,
        _ message: String = "m",
        _ metadata: Logger.Metadata = [:],
        identifier: String = "plankeeper"
    ) -> [(String, String)] {
        JournalFields.fields(
            level: level,
            message: message,
            metadata: metadata,
            source: "Daemon",
            file: "Daemon/Tick.swift",
            function: "run()",
            line: 42,
            identifier: identifier
        )
    }

    func value(_ name: String, in fields: [(String, String)]) -> [String] {
        fields.filter { $0.0 == name }.map(\.1)
    }

    func names(_ fields: [(String, String)]) -> [String] { fields.map(\.0) }

    @Test func mapsAPlainEventInAFixedOrder() {
        let result = fields(.notice, "提醒已发送", ["plankeeper_plan": "surgery-2"])
        #expect(
            result.map { "\($0.0)=\($0.1)" } == [
                "MESSAGE=提醒已发送",
                "PRIORITY=5",
                "SYSLOG_IDENTIFIER=plankeeper",
                "CODE_FILE=Daemon/Tick.swift",
                "CODE_LINE=42",
                "CODE_FUNC=run()",
                "SWIFT_LOG_SOURCE=Daemon",
                "PLANKEEPER_PLAN=surgery-2",
            ]
        )
    }

    @Test(arguments: [
        (Logger.Level.trace, "7"), (.debug, "7"), (.info, "6"), (.notice, "5"),
        (.warning, "4"), (.error, "3"), (.critical, "2"),
    ])
    func levelsMapToSyslogPriorities(level: Logger.Level, priority: String) {
        #expect(value("PRIORITY", in: fields(level)) == [priority])
    }

    @Test func identifierIsConfigurable() {
        #expect(value("SYSLOG_IDENTIFIER", in: fields(identifier: "plankeeper-tick")) == ["plankeeper-tick"])
    }

    @Test(arguments: [
        ("plankeeper_plan", "PLANKEEPER_PLAN"),
        ("PlanKeeper_Item", "PLANKEEPER_ITEM"),
        ("plan-id", "PLAN_ID"),
        ("http.status", "HTTP_STATUS"),
        ("a b", "A_B"),
        ("_systemd_unit", "SYSTEMD_UNIT"),  // cannot pose as a trusted field
        ("__x", "X"),
        ("2fa", "META_2FA"),
        ("_9lives", "META_9LIVES"),
        ("plan计划", "PLAN__"),
        ("ä_b", "B"),
        ("x1_y2", "X1_Y2"),
    ])
    func sanitisesKeys(key: String, name: String) {
        #expect(JournalFields.fieldName(forMetadataKey: key) == name)
    }

    @Test(arguments: ["", "_", "___", "计划", "-", "..", "🎉"])
    func keysWithNoUsableCharacterHaveNoName(key: String) {
        #expect(JournalFields.fieldName(forMetadataKey: key) == nil)
    }

    /// A decomposed accent is its own scalar, and not ASCII.
    @Test func decomposedAccentsAreReplaced() {
        #expect(JournalFields.fieldName(forMetadataKey: "caf" + "e\u{301}") == "CAFE_")
    }

    @Test func longKeysAreCutTo64() {
        let name = JournalFields.fieldName(forMetadataKey: String(repeating: "k", count: 100))
        #expect(name == String(repeating: "K", count: 64))
        let prefixed = JournalFields.fieldName(forMetadataKey: String(repeating: "9", count: 100))
        #expect(prefixed?.count == 64)
        #expect(prefixed?.hasPrefix("META_999") == true)
    }

    /// Whatever the keys, every name written is one journald accepts.
    @Test func everyNameIsAValidJournalFieldName() {
        let keys = [
            "plankeeper_plan", "_", "9", "_9", "a-b.c", "MESSAGE", "message", "计划", "x",
            String(repeating: "_a", count: 60),
            "é", "tab\there", "new\nline", "null\u{0}byte", "=", "key=value", "code_line", "PRIORITY", "Message_Id",
        ]
        let metadata = Logger.Metadata(uniqueKeysWithValues: keys.map { ($0, Logger.MetadataValue.string("v")) })
        for (name, _) in fields(.info, "m", metadata) {
            #expect(isValidFieldName(name), "\(name)")
        }
    }

    func isValidFieldName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.unicodeScalars.count <= 64 else { return false }
        guard ("A"..."Z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    @Test func keysWithoutANameKeepTheirValueUnderMETADATA() {
        let result = fields(.info, "m", ["计划": "外科第二党支部"])
        #expect(value("METADATA", in: result) == ["计划=外科第二党支部"])
    }

    @Test func keysTakingAReservedNameAreEscaped() {
        let result = fields(.info, "real", ["message": "fake", "code_file": "x", "syslog_identifier": "other"])
        #expect(value("MESSAGE", in: result) == ["real"])
        #expect(value("SYSLOG_IDENTIFIER", in: result) == ["plankeeper"])
        #expect(value("META_MESSAGE", in: result) == ["fake"])
        #expect(value("META_CODE_FILE", in: result) == ["x"])
        #expect(value("META_SYSLOG_IDENTIFIER", in: result) == ["other"])
    }

    @Test(arguments: ["0", "1", "2", "3", "4", "5", "6", "7"])
    func priorityMetadataOverridesTheLevel(priority: String) {
        let result = fields(.info, "m", ["priority": .string(priority)])
        #expect(value("PRIORITY", in: result) == [priority])
        #expect(!names(result).contains("META_PRIORITY"))
    }

    @Test func priorityMayBeGivenAsANumberOrInUppercase() {
        #expect(value("PRIORITY", in: fields(.info, "m", ["priority": .stringConvertible(3)])) == ["3"])
        #expect(value("PRIORITY", in: fields(.info, "m", ["PRIORITY": "2"])) == ["2"])
    }

    @Test func priorityForLevelAndMetadataMatchesTheFields() {
        for metadata in [[:], ["priority": "1"], ["priority": "x"], ["PRIORITY": "2", "priority": "6"]]
            as [Logger.Metadata]
        {
            let expected = value("PRIORITY", in: fields(.error, "m", metadata))
            #expect([String(JournalFields.priority(for: .error, metadata: metadata))] == expected)
        }
        // Two keys for the same field: the last in key order wins, every time.
        #expect(value("PRIORITY", in: fields(.info, "m", ["PRIORITY": "2", "priority": "6"])) == ["6"])
    }

    @Test(arguments: ["8", "-1", "high", "", " 3", "03", "3.0", "٣"])
    func invalidPriorityIsIgnored(priority: String) {
        let result = fields(.warning, "m", ["priority": .string(priority)])
        #expect(value("PRIORITY", in: result) == ["4"])
        #expect(names(result).filter { $0.contains("PRIORITY") } == ["PRIORITY"])
    }

    @Test func validMessageIDBecomesMESSAGE_IDAfterTheIdentifier() {
        let result = fields(.info, "m", ["message_id": .string(MessageID.reminder), "plankeeper_kind": "reminder"])
        #expect(
            names(result) == [
                "MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER", "MESSAGE_ID", "CODE_FILE", "CODE_LINE", "CODE_FUNC",
                "SWIFT_LOG_SOURCE", "PLANKEEPER_KIND",
            ]
        )
        #expect(value("MESSAGE_ID", in: result) == [MessageID.reminder])
    }

    @Test func messageIDKeyIsMatchedAfterSanitising() {
        #expect(value("MESSAGE_ID", in: fields(.info, "m", ["Message-ID": .string(MessageID.due)])) == [MessageID.due])
    }

    @Test(arguments: [
        "E14B33A864C94551997FF95767C4DD83",  // uppercase
        "e14b33a864c94551997ff95767c4dd8",  // 31 digits
        "e14b33a864c94551997ff95767c4dd833",  // 33 digits
        "e14b33a8-64c9-4551-997f-f95767c4dd83",  // UUID form
        "g14b33a864c94551997ff95767c4dd83",  // not hex
        "",
        "e14b33a864c94551997ff95767c4dd8３",  // full-width digit
    ])
    func invalidMessageIDIsDropped(id: String) {
        let result = fields(.info, "m", ["message_id": .string(id)])
        #expect(!names(result).contains { $0.contains("MESSAGE_ID") })
        #expect(names(result).count == 7)
    }

    @Test func valuesKeepNewlinesAndChinese() {
        let message = "第二季度支部党员大会\n截止日期：2025-06-30\n\t请按时上报"
        let result = fields(.info, message, ["plankeeper_note": "第一行\n第二行"])
        #expect(value("MESSAGE", in: result) == [message])
        #expect(value("PLANKEEPER_NOTE", in: result) == ["第一行\n第二行"])
    }

    @Test func nestedValuesAreFlattenedReadably() {
        let result = fields(
            .info,
            "m",
            [
                "count": .stringConvertible(3),
                "list": ["a", "b", ["c", "d"]],
                "map": ["z": "1", "a": ["x": "y"], "m": ["p", "q"]],
                "empty_list": [],
                "empty_map": [:],
            ]
        )
        #expect(value("COUNT", in: result) == ["3"])
        #expect(value("LIST", in: result) == ["[a, b, [c, d]]"])
        #expect(value("MAP", in: result) == ["{a={x=y}, m=[p, q], z=1}"])
        #expect(value("EMPTY_LIST", in: result) == ["[]"])
        #expect(value("EMPTY_MAP", in: result) == ["{}"])
    }

    @Test func metadataIsSortedAndCollidingKeysAreAllKept() {
        let result = fields(.info, "m", ["zeta": "z", "plan_id": "2", "plan-id": "1", "alpha": "a"])
        #expect(
            Array(result.dropFirst(7)).map { "\($0.0)=\($0.1)" } == [
                "ALPHA=a", "PLAN_ID=1", "PLAN_ID=2", "ZETA=z",
            ]
        )
    }

    @Test func sameEventAlwaysGivesTheSameFields() {
        let metadata: Logger.Metadata = ["b": "2", "a": "1", "c": ["k": "v", "j": "w"], "计划": "x", "划": "y"]
        let first = fields(.info, "m", metadata).map { "\($0.0)=\($0.1)" }
        for _ in 0..<20 {
            #expect(fields(.info, "m", metadata).map { "\($0.0)=\($0.1)" } == first)
        }
    }

    @Test func messageIDValidation() {
        #expect(JournalFields.isValidMessageID("0123456789abcdef0123456789abcdef"))
        #expect(!JournalFields.isValidMessageID("0123456789ABCDEF0123456789abcdef"))
    }
}
