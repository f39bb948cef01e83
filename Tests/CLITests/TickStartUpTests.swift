import Foundation
import PlankeeperTestSupport
import Testing

/// What `tick` does around the notices themselves (issue 15, item 7): the
/// terminal's language is not the mail's, and what a killed writer left in
/// `spool/tmp/` more than a day ago is removed at start-up.
@Suite(.serialized) struct TickStartUpTests {
    final class Folder {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pk-tick-\(UUID().uuidString)")
        init() throws {
            try FileManager.default.createDirectory(
                at: url.appendingPathComponent("plans"),
                withIntermediateDirectories: true
            )
            try """
            id: surgery-2-2026
            owner: 外科第二党支部
            year: 2026
            contacts:
              secretary: 王五 <wangwu@hospital.example>
            items:
              - {id: committee, title: 支部委员会会议, every: month, due: 25, notify: [secretary], remind: [7d]}
            """.write(to: url.appendingPathComponent("plans/p.yaml"), atomically: true, encoding: .utf8)
            try """
            plans: plans
            holidays: holidays
            state: state
            spool: spool
            language: zh
            mail: {from: 提醒 <pk@hospital.example>, transport: none}
            """.write(to: url.appendingPathComponent("c.yaml"), atomically: true, encoding: .utf8)
        }
        deinit { try? FileManager.default.removeItem(at: url) }
        var config: String { url.appendingPathComponent("c.yaml").path }
        func spooled() throws -> [String] {
            let folder = url.appendingPathComponent("spool/new")
            return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().map {
                try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)
            }
        }
    }

    @Test func theEnvironmentsLanguageIsForTheTerminalNotForTheMail() throws {
        let folder = try Folder()
        let r = try Binary.run(
            ["tick", "--config", folder.config, "--now", "2026-11-18T08:30"],
            environment: ["PLANKEEPER_LANG": "en"]
        )
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("spooled 1 notices"), "\(r.stderr)")  // the terminal: English
        let mail = try folder.spooled().filter { $0.contains("X-Plankeeper-Kind: reminder") }
        #expect(mail.count == 1)
        // The mail: Chinese, as the configuration says (subjects are RFC 2047 encoded; the body is base64).
        let body = mail.first.flatMap(Self.decodedBody) ?? ""
        #expect(body.contains("支部委员会会议"), "\(body)")
        #expect(!body.contains("Reminder") && !body.contains("working days"), "\(body)")
    }

    @Test func leftoversOlderThanADayAreRemovedAtStartUp() throws {
        let folder = try Folder()
        let tmp = folder.url.appendingPathComponent("spool/tmp")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        let stale = tmp.appendingPathComponent("x.1.a")
        let recent = tmp.appendingPathComponent("y.2.b")
        try Data("half".utf8).write(to: stale)
        try Data("half".utf8).write(to: recent)
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSinceNow: -25 * 3600)],
            ofItemAtPath: stale.path
        )
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSinceNow: -3600)],
            ofItemAtPath: recent.path
        )
        let r = try Binary.run(["tick", "--config", folder.config, "--now", "2026-11-18T08:30", "--dry-run"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: stale.path))
        #expect(FileManager.default.fileExists(atPath: recent.path))
    }

    static func decodedBody(_ message: String) -> String? {
        guard let split = message.range(of: "\r\n\r\n") ?? message.range(of: "\n\n") else { return nil }
        let encoded = message[split.upperBound...].split(whereSeparator: \.isNewline).joined()
        return Data(base64Encoded: String(encoded)).map { String(decoding: $0, as: UTF8.self) }
            ?? String(message[split.upperBound...])
    }
}
