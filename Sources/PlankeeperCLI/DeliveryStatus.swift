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
        let zh = language == .zh
        let clock = LocalClock(identifier: config.timezone)
        func when(_ t: Int64?) -> String {
            t.map { clock.local(Date(timeIntervalSince1970: TimeInterval($0))).description } ?? "-"
        }
        var table = TextTable(alignments: [.left, .left, .right, .right, .right, .right, .right, .left, .left])
        table.add(
            zh ? "渠道" : "channel",
            zh ? "类型" : "kind",
            zh ? "待发送" : "queued",
            zh ? "已发送" : "sent",
            zh ? "失败" : "failed",
            zh ? "无法确定" : "uncertain",
            zh ? "发送中" : "sending",
            zh ? "最早下次" : "next",
            zh ? "最近发送" : "last sent"
        )
        let transport = config.mail.transport.rawValue
        table.add(
            zh ? "邮件" : "mail",
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
            let name = row.configured ? row.name : row.name + (zh ? "（已不在配置中）" : " (no longer configured)")
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
                zh
                    ? "“无法确定”：发送途中进程中断，可能已送达，未自动重发；确认群里没有收到后运行 plankeeper deliver --resend-uncertain。"
                    : "uncertain: the process stopped while sending; it may have arrived and was not sent again. After checking, run plankeeper deliver --resend-uncertain."
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
