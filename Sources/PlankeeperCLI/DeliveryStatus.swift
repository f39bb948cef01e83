import Channels
import Config
import Daemon
import Diagnostics
import Foundation
import Ledger
import PlanFiles
import TextLayout
import Vocabulary
import WorkCalendar

/// `plankeeper status --delivery`: where the outgoing messages stand, for
/// mail (the spool's folders) and for each channel (the outbox in the ledger).
enum DeliveryStatus {
    struct Mail: Sendable {
        var waiting = 0
        var queued = 0
        var delivered = 0
        var failed = 0
    }

    static func mail(_ spool: String) -> Mail {
        func count(_ folder: String, _ keep: (String) -> Bool) -> Int {
            ((try? FileManager.default.contentsOfDirectory(atPath: spool + "/" + folder)) ?? []).filter(keep).count
        }
        return Mail(
            waiting: count("new") { !$0.hasPrefix(".") },
            queued: count("queue") { !$0.hasPrefix(".") },
            delivered: count("cur") { $0.hasSuffix(":2,S") },
            failed: count("failed") { !$0.hasPrefix(".") }
        )
    }

    /// One row per configured channel (in the config's order), then any channel
    /// still in the outbox but no longer configured.
    static func channels(
        config: DaemonConfig,
        counts: [OutboxCounts]
    ) -> [(name: String, kind: String, configured: Bool, counts: OutboxCounts)] {
        var byName = Dictionary(counts.map { ($0.channel, $0) }, uniquingKeysWith: { a, _ in a })
        var rows: [(name: String, kind: String, configured: Bool, counts: OutboxCounts)] = []
        for c in config.channels {
            rows.append(
                (
                    c.name, type(of: c.channel).kind, true,
                    byName.removeValue(forKey: c.name) ?? OutboxCounts(channel: c.name)
                )
            )
        }
        for name in byName.keys.sorted() {
            if let c = byName[name] { rows.append((name, "", false, c)) }
        }
        return rows
    }

    static func text(
        config: DaemonConfig,
        mail: Mail,
        counts: [OutboxCounts],
        language: Language,
        colour: Bool
    ) -> String {
        let clock = LocalClock(identifier: config.timezone)
        func when(_ t: Int64?) -> String {
            t.map { clock.local(Date(timeIntervalSince1970: TimeInterval($0))).description } ?? "-"
        }
        var table = TextTable(alignments: [.left, .left, .right, .right, .right, .right, .right, .left, .left])
        table.add(language.pick(Texts.channelStatusColumns).map { TextTable.Cell($0) })
        let transport = config.mail.transport.rawValue
        table.add(
            Texts.mailKind.text(in: language),
            transport,
            String(mail.waiting + mail.queued),
            String(mail.delivered),
            String(mail.failed),
            "-",
            "-",
            "-",
            "-"
        )
        for row in channels(config: config, counts: counts) {
            let c = row.counts
            let name = row.configured ? row.name : row.name + Texts.noLongerConfigured.text(in: language)
            table.add([
                TextTable.Cell(name), TextTable.Cell(row.kind), TextTable.Cell(String(c[.queued])),
                TextTable.Cell(String(c[.sent])),
                TextTable.Cell(String(c[.failed]), c[.failed] > 0 ? .red : .plain),
                TextTable.Cell(String(c[.uncertain]), c[.uncertain] > 0 ? .red : .plain),
                TextTable.Cell(String(c[.sending])),
                TextTable.Cell(c[.queued] > 0 ? when(c.nextAttempt) : "-"), TextTable.Cell(when(c.lastSent)),
            ])
        }
        var lines = table.render(colour: colour)
        if counts.contains(where: { $0[.uncertain] > 0 }) {
            lines.append("")
            lines.append(
                Texts.uncertainExplained.text(in: language)
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func json(config: DaemonConfig, mail: Mail, counts: [OutboxCounts]) -> String {
        var channels: [JSONValue] = []
        for row in DeliveryStatus.channels(config: config, counts: counts) {
            let c = row.counts
            var pairs: [(String, JSONValue)] = [
                ("name", .string(row.name)), ("kind", .string(row.kind)), ("configured", .bool(row.configured)),
            ]
            for state in OutboxEntry.State.allCases { pairs.append((state.rawValue, .number(Int64(c[state])))) }
            pairs.append(("next_attempt", c.nextAttempt.map { .number($0) } ?? .null))
            pairs.append(("last_sent", c.lastSent.map { .number($0) } ?? .null))
            channels.append(.object(pairs))
        }
        let value = JSONValue.object([
            (
                "mail",
                .object([
                    ("transport", .string(config.mail.transport.rawValue)),
                    ("waiting", .number(Int64(mail.waiting + mail.queued))),
                    ("delivered", .number(Int64(mail.delivered))), ("failed", .number(Int64(mail.failed))),
                ])
            ),
            ("channels", .array(channels)),
        ])
        return String(decoding: value.bytes, as: UTF8.self) + "\n"
    }
}
