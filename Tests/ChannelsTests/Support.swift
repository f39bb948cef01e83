import Channels
import Diagnostics

/// Settings for a channel written at `plankeeper.yaml:LINE:5`.
func settings(
    _ name: String,
    kind: String,
    line: Int = 20,
    url: String? = nil,
    itemLimit: Int = 10,
    options: [String: String] = [:]
) -> ChannelSettings {
    let at = SourceLocation(file: "plankeeper.yaml", line: line, column: 5)
    return ChannelSettings(
        name: name,
        kind: kind,
        location: at,
        url: url,
        itemLimit: itemLimit,
        options: options.mapValues {
            ChannelSettings.Value($0, at: SourceLocation(file: "plankeeper.yaml", line: line + 2, column: 14))
        }
    )
}

/// A reminder as the outbox composes it.
func reminder(
    title: String = "【党建提醒】外科第二党支部 · 支部委员会会议（2026）· 还有 5 个工作日",
    link: ChannelMessage.Link? = ChannelMessage.Link(label: "登记完成情况", url: "https://desk.example/r/abc123")
) -> ChannelMessage {
    ChannelMessage(
        kind: .reminder,
        title: title,
        lines: ["您好！", "《外科第二党支部 2026 年党建工作计划》中的以下事项还有 5 个工作日到期，请提前安排。"],
        facts: [.init("事项", "支部委员会会议"), .init("截止日期", "2026-11-25（周三）"), .init("责任单位", "外科第二党支部")],
        link: link,
        noticeKey: "surgery-2-2026/committee/2026/reminder/5wd"
    )
}

/// A daily overdue digest with `n` items.
func digest(items n: Int) -> ChannelMessage {
    ChannelMessage(
        kind: .digest,
        title: "【督办日报】逾期未完成事项 \(n) 项（2026-11-18）",
        lines: ["以下事项已逾期，请督促相关支部尽快完成。"],
        counts: [.init("逾期事项", "\(n)"), .init("涉及支部", "\(min(n, 12))")],
        items: (1...max(1, n)).prefix(n).map { "外科第\($0)党支部 · 主题党日活动（2026-10）· 逾期 \($0) 个工作日" },
        link: .init(label: "查看全部", url: "https://desk.example/overdue"),
        noticeKey: "digest/2026-11-18/office"
    )
}

func response(_ json: String, status: Int = 200) -> HTTPResult {
    .response(status: status, body: Array(json.utf8))
}

func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

func parsed(_ bytes: [UInt8]) -> JSONValue? { JSONReader.parse(bytes) }
