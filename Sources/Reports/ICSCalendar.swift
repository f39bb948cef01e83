import Scheduling
import WorkCalendar

/// An RFC 5545 calendar of occurrences: one all-day event per occurrence,
/// with an alarm per reminder, for staff to subscribe to or import.
///
/// - `DTSTART;VALUE=DATE` is the due date, `DTEND;VALUE=DATE` the next day.
/// - `UID` is `PLAN.ITEM.PERIOD@plankeeper` (ids are `[a-z0-9-]`, so the dots
///   are unambiguous): the same occurrence keeps its UID when its date or
///   title changes, so importing again updates events instead of duplicating them.
/// - One `VALARM` per distinct reminder date, `TRIGGER` relative to the start:
///   the difference between the date plankeeper sends that reminder and the due
///   date (`7d` gives `-P7D`; `3wd` gives the calendar days those three working
///   days span, e.g. `-P5D` across a weekend; a reminder moved off an off day
///   gives the real distance).
/// - Text values escape `\`, `;`, `,` and line breaks; lines are folded at 75
///   octets without splitting a UTF-8 character; lines end in CRLF.
public struct ICSCalendar: Sendable {
    /// `X-WR-CALNAME`, shown by calendar apps as the calendar's name.
    public var name: String
    /// `DTSTAMP` for every event, in Unix seconds (UTC): the caller's clock.
    public var stamp: Int
    public var language: ReportLanguage

    public init(name: String, stamp: Int, language: ReportLanguage = .zh) {
        self.name = name
        self.stamp = stamp
        self.language = language
    }

    /// The UID of an occurrence's event.
    public static func uid(_ o: Occurrence) -> String { "\(o.planID).\(o.itemID).\(o.period)@plankeeper" }

    /// `外科第二党支部 · 支部委员会会议（2026-11）`
    public func summary(_ o: Occurrence) -> String {
        language.pick("\(o.owner) · \(o.title)（\(o.period)）", "\(o.owner) · \(o.title) (\(o.period))")
    }

    /// The calendar, in due-date order.
    /// - Parameter notes: per item, keyed `plan/item`: free text added to the description.
    public func render(_ occurrences: [Occurrence], planTitles: [String: String] = [:], notes: [String: String] = [:]) -> String {
        let l = language
        var lines: [String] = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//plankeeper//Party-building work plans//\(l == .zh ? "ZH" : "EN")",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:" + Self.escape(name),
        ]
        let dtstamp = Self.utcStamp(stamp)
        for o in occurrences.sorted(by: StatusEvaluator.dueOrder) {
            lines.append("BEGIN:VEVENT")
            lines.append("UID:" + Self.escape(Self.uid(o)))
            lines.append("DTSTAMP:" + dtstamp)
            lines.append("DTSTART;VALUE=DATE:" + Self.basic(o.due))
            lines.append("DTEND;VALUE=DATE:" + Self.basic(o.due.adding(days: 1)))
            lines.append("SUMMARY:" + Self.escape(summary(o)))
            var description: [String] = []
            if let title = planTitles[o.planID] { description.append(l.pick("计划：", "Plan: ") + title) }
            description.append(l.pick("责任单位：", "Owner: ") + o.owner)
            description.append(l.pick("周期：", "Period: ") + "\(o.period)（\(o.periodStart) — \(o.periodEnd)）")
            description.append(l.pick("截止日期：", "Due: ") + o.due.description)
            if let r = o.requiredCount {
                let n = r.lowerBound == r.upperBound ? "\(r.lowerBound)" : "\(r.lowerBound)–\(r.upperBound)"
                description.append(l.pick("要求次数：\(n) 次（至少 \(r.lowerBound) 次）", "Required: \(n) times (at least \(r.lowerBound))"))
            }
            if let note = notes["\(o.planID)/\(o.itemID)"], !note.isEmpty { description.append(l.pick("备注：", "Note: ") + note) }
            description.append(l.pick("完成后请登记：", "When done, record it: ") + "plankeeper done \(o.planID) \(o.itemID) \(o.period)")
            lines.append("DESCRIPTION:" + Self.escape(description.joined(separator: "\n")))
            lines.append("CATEGORIES:" + Self.escape(o.owner))
            lines.append("TRANSP:TRANSPARENT")
            var seen: Set<Int> = []
            for r in o.reminders {
                let days = r.date.distance(to: o.due)
                guard days >= 0, seen.insert(days).inserted else { continue }
                lines.append("BEGIN:VALARM")
                lines.append("ACTION:DISPLAY")
                lines.append("TRIGGER;RELATED=START:" + (days == 0 ? "PT0S" : "-P\(days)D"))
                lines.append("DESCRIPTION:" + Self.escape(l.pick("提醒（\(r.offset)）：", "Reminder (\(r.offset)): ") + summary(o) + l.pick("，\(o.due) 到期", ", due \(o.due)")))
                lines.append("END:VALARM")
            }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(Self.fold).joined()
    }

    // MARK: RFC 5545 details

    /// `20261125`
    static func basic(_ d: CivilDate) -> String {
        let (y, m, day) = d.components
        return String(y) + Format.pad2(m) + Format.pad2(day)
    }

    /// `20261118T003000Z`
    static func utcStamp(_ seconds: Int) -> String {
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let rest = seconds - days * 86400
        return basic(CivilDate(dayNumber: days)) + "T" + Format.pad2(rest / 3600) + Format.pad2(rest / 60 % 60) + Format.pad2(rest % 60) + "Z"
    }

    /// TEXT escaping (RFC 5545 §3.3.11): `\` `;` `,` and line breaks.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var previousCR = false
        for s in text.unicodeScalars {
            switch s {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r": out += "\\n"
            case "\n": if !previousCR { out += "\\n" }
            default:
                // Other control characters are not allowed in TEXT.
                if s.value < 0x20 && s != "\t" || s.value == 0x7F { out += " " } else { out.unicodeScalars.append(s) }
            }
            previousCR = s == "\r"
        }
        return out
    }

    /// Folds one content line (RFC 5545 §3.1): at most 75 octets per physical
    /// line, continuation lines start with a space, never inside a UTF-8
    /// character; ends with CRLF.
    public static func fold(_ line: String) -> String {
        var out = ""
        var octets = 0
        for s in line.unicodeScalars {
            let n = UTF8.width(s)
            if octets + n > 75 {
                out += "\r\n "
                octets = 1
            }
            out.unicodeScalars.append(s)
            octets += n
        }
        return out + "\r\n"
    }
}
