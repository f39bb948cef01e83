import Vocabulary
import Diagnostics
import YAMLSource

extension DaemonConfig {
    /// How notices live with people (issue 15): when tracking started, when
    /// mail may go out, and where escalations go.
    public struct NoticeSettings: Sendable, Equatable {
        /// `catch-up-at`: mail found due outside the send window waits for the
        /// next working day's `send-at` (`next-send`), or goes at once.
        public enum CatchUpAt: String, Sendable, CaseIterable {
            case nextSend = "next-send"
            case immediately
        }
        /// `escalation-mail`: an escalation goes into the recipient's daily
        /// overdue digest (`digest`), or is mailed on its own (`separate`).
        public enum EscalationMail: String, Sendable, CaseIterable { case digest, separate }
        /// `notice-mail`: a person's notices due at the same moment come in one
        /// mail (`combined`), or each in its own (`separate`).
        public enum NoticeMail: String, Sendable, CaseIterable { case combined, separate }

        /// `track-from: 2026-07-01`: tracking starts that day (00:00) instead of
        /// at the ledger's first tick. Deadlines more than `catch-up` before it
        /// are history: listed once, never mailed one by one.
        public var trackFrom: String?
        /// `send-window: "08:00-18:00"`: the hours of working days in which
        /// mail may go out (minutes after midnight, end excluded).
        public var windowStart = 8 * 60
        public var windowEnd = 18 * 60
        public var catchUpAt: CatchUpAt = .nextSend
        public var escalationMail: EscalationMail = .digest
        public var noticeMail: NoticeMail = .combined

        public init() {}
    }

    static let noticeKeys = ["track-from", "send-window", "catch-up-at", "escalation-mail", "notice-mail"]

    static func parseNoticeSettings(
        _ top: [String: YAMLNode.Pair],
        sendAt: Int,
        reader r: inout NodeReader
    ) -> NoticeSettings {
        func m(_ zh: String, _ en: String) -> Message { Message(zh: zh, en: en) }
        var settings = NoticeSettings()
        if let pair = top["track-from"], !pair.value.isNull,
            let s = r.singleLine(pair.value, what: m("track-from", "'track-from'"))
        {
            if isDate(s) {
                settings.trackFrom = s
            } else {
                r.error(
                    pair.value,
                    m(
                        "track-from 应写作 YYYY-MM-DD（从这一天开始跟踪），例如 2026-07-01",
                        "track-from must be a date, YYYY-MM-DD (the day tracking starts), e.g. 2026-07-01"
                    )
                )
            }
        }
        if let pair = top["send-window"], let s = r.singleLine(pair.value, what: m("send-window", "'send-window'")) {
            if let (start, end) = window(s) {
                settings.windowStart = start
                settings.windowEnd = end
                if !(start...end).contains(sendAt) || sendAt == end {
                    r.error(
                        top["send-at"]?.value ?? pair.value,
                        m(
                            "send-at 不在 send-window（\(s)）之内；每天的提醒在 send-at 发出，它应当落在可以发信的时段里",
                            "send-at lies outside send-window (\(s)); the day's notices go out at send-at, which must be inside the window"
                        )
                    )
                }
            } else {
                r.error(
                    pair.value,
                    m(
                        "send-window 应写作 HH:MM-HH:MM（工作日可以发信的时段），例如 \"08:00-18:00\"",
                        "send-window must be HH:MM-HH:MM (the hours of working days mail may go out), e.g. \"08:00-18:00\""
                    )
                )
            }
        } else if sendAt < settings.windowStart || sendAt >= settings.windowEnd, let node = top["send-at"]?.value {
            // No window written: the default one widens to take in send-at, so a
            // configuration that worked before send-window existed (`send-at: "07:30"`)
            // still starts after an upgrade. Said once, as a warning, where send-at is.
            settings.windowStart = min(settings.windowStart, sendAt)
            settings.windowEnd = max(settings.windowEnd, sendAt + 1)
            let shown = "\(clock(settings.windowStart))-\(clock(settings.windowEnd))"
            r.warning(
                node,
                m(
                    "send-at 不在默认的发信时段 08:00-18:00 之内；发信时段按 \(shown) 计算（可用 send-window 指定）",
                    "send-at lies outside the default send-window 08:00-18:00; mail goes out within \(shown) (set send-window to choose)"
                )
            )
        }
        if let pair = top["catch-up-at"], let s = r.singleLine(pair.value, what: m("catch-up-at", "'catch-up-at'")) {
            if let v = NoticeSettings.CatchUpAt(rawValue: s) {
                settings.catchUpAt = v
            } else {
                r.error(
                    pair.value,
                    m(
                        "catch-up-at 只能是 next-send（等到下一个工作日的 send-at）或 immediately（立即发送）",
                        "catch-up-at must be next-send (wait for the next working day's send-at) or immediately"
                    )
                )
            }
        }
        if let pair = top["escalation-mail"],
            let s = r.singleLine(pair.value, what: m("escalation-mail", "'escalation-mail'"))
        {
            if let v = NoticeSettings.EscalationMail(rawValue: s) {
                settings.escalationMail = v
            } else {
                r.error(
                    pair.value,
                    m(
                        "escalation-mail 只能是 digest（并入督办日报）或 separate（单独发送）",
                        "escalation-mail must be digest (in the daily overdue digest) or separate (a mail each)"
                    )
                )
            }
        }
        if let pair = top["notice-mail"], let s = r.singleLine(pair.value, what: m("notice-mail", "'notice-mail'")) {
            if let v = NoticeSettings.NoticeMail(rawValue: s) {
                settings.noticeMail = v
            } else {
                r.error(
                    pair.value,
                    m(
                        "notice-mail 只能是 combined（同一时刻给同一人的提醒合为一封）或 separate（每条一封）",
                        "notice-mail must be combined (a person's notices of one moment in one mail) or separate (a mail each)"
                    )
                )
            }
        }
        return settings
    }

    /// `YYYY-MM-DD`, a real date.
    static func isDate(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let mo = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(mo), d >= 1
        else { return false }
        let days = [
            31, (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
        ][mo - 1]
        return d <= days
    }

    /// `08:00-18:00` → minutes; the end may be `24:00`.
    static func window(_ s: String) -> (Int, Int)? {
        let halves = s.split(separator: "-", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard halves.count == 2, let a = minutes(halves[0]), let b = minutes(halves[1]), a < b else { return nil }
        return (a, b)
    }

    static func minutes(_ s: String) -> Int? {
        let hm = s.split(separator: ":", omittingEmptySubsequences: false)
        guard hm.count == 2, hm[1].count == 2, let h = Int(hm[0]), let m = Int(hm[1]), (0...24).contains(h),
            (0..<60).contains(m),
            h < 24 || m == 0
        else { return nil }
        return h * 60 + m
    }
}

import Foundation

extension DaemonConfig {
    /// `HH:MM` of minutes after midnight (24:00 for the end of the day).
    static func clock(_ minutes: Int) -> String {
        let h = minutes / 60
        let mi = minutes % 60
        return (h < 10 ? "0" : "") + String(h) + ":" + (mi < 10 ? "0" : "") + String(mi)
    }
}
