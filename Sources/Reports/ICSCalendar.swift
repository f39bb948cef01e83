import PlanFormat
import Scheduling
import Vocabulary
import WorkCalendar

/// An RFC 5545 calendar of occurrences: one all-day event per occurrence,
/// with an alarm per reminder, for staff to subscribe to or import on their
/// phones.
///
/// - `DTSTART;VALUE=DATE` is the due date, `DTEND;VALUE=DATE` the next day
///   (all-day events are floating: the due day wherever the phone is).
/// - `UID` is `PLAN/ITEM/PERIOD@DOMAIN`, the occurrence's ledger key at the
///   configured mail domain (`mail.from`'s; `plankeeper` without a
///   configuration): the same occurrence keeps its UID when its date, title
///   or state changes, so importing again (or a subscription refreshing)
///   updates events instead of duplicating them.
/// - A done occurrence keeps its event (the calendar stays a record of the
///   year), marked ✓ in the title, with the day it was done and no alarms.
/// - No shell command anywhere: the people who read this calendar on their
///   phones record their work by mail or on the web, not in a terminal.
/// - One `VALARM` per distinct reminder date, with a `TRIGGER` relative to
///   the event's start (00:00 on the due day), pointing at `alarmMinute` on
///   the day plankeeper itself sends that reminder. Relative rather than
///   absolute because an absolute `DATE-TIME` needs a time zone, and floating
///   all-day events have none; computed from the actual reminder date rather
///   than the offset's wording, so `3wd` before a Monday deadline gives
///   `-P5D` + the time (across the weekend) and a reminder moved off a holiday
///   fires on the working day the mail goes out. Two offsets landing on the
///   same day give one alarm.
/// - Text values escape `\`, `;`, `,` and line breaks; lines are folded at 75
///   octets without splitting a UTF-8 character; lines end in CRLF.
public struct ICSCalendar: Sendable {
    /// `X-WR-CALNAME`, shown by calendar apps as the calendar's name.
    public var name: String
    /// `DTSTAMP` for every event, in Unix seconds (UTC): the caller's clock.
    public var stamp: Int
    public var language: Language
    /// Minutes after midnight when an alarm fires on its day (default 08:30,
    /// the daemon's default `send-at`, so the phone and the mail agree).
    public var alarmMinute: Int

    /// The right-hand side of every UID: the configured mail domain.
    public var uidDomain: String

    public init(
        name: String,
        stamp: Int,
        language: Language = .zh,
        alarmMinute: Int = 8 * 60 + 30,
        uidDomain: String = "plankeeper"
    ) {
        self.name = name
        self.stamp = stamp
        self.language = language
        self.alarmMinute = min(max(0, alarmMinute), 1439)
        self.uidDomain = uidDomain
    }

    /// The UID of an occurrence's event.
    public func uid(_ o: Occurrence) -> String { "\(o.planID)/\(o.itemID)/\(o.period)@\(uidDomain)" }

    /// `外科第二党支部 · 支部委员会会议（2026-11）`
    public func summary(_ o: Occurrence) -> String {
        language.pick("\(o.owner) · \(o.title)（\(o.period)）", "\(o.owner) · \(o.title) (\(o.period))")
    }

    /// How far ahead a reminder is, as a person says it: `提前 3 个工作日`,
    /// `7 days ahead`.
    public func ahead(_ offset: Offset) -> String {
        let n = offset.count
        switch offset.unit {
        case .days: return language.pick("提前 \(n) 天", n == 1 ? "1 day ahead" : "\(n) days ahead")
        case .workdays: return language.pick("提前 \(n) 个工作日", n == 1 ? "1 working day ahead" : "\(n) working days ahead")
        }
    }

    /// `-P6DT15H30M`: from the due day's 00:00 back to `minute` on a day
    /// `daysBefore` days earlier (positive when the alarm is on the due day).
    public static func trigger(daysBefore: Int, minute: Int) -> String {
        let total = minute - daysBefore * 1440
        if total == 0 { return "PT0S" }
        var m = abs(total)
        let d = m / 1440
        m %= 1440
        var out = total < 0 ? "-P" : "P"
        if d > 0 { out += "\(d)D" }
        if m > 0 {
            out += "T"
            if m / 60 > 0 { out += "\(m / 60)H" }
            if m % 60 > 0 { out += "\(m % 60)M" }
        }
        return out
    }

    /// The calendar, in due-date order.
    /// - Parameters:
    ///   - notes: per item, keyed `plan/item`: free text added to the description.
    ///   - done: the day each done occurrence was done (`StatusEvaluator`'s `doneOn`).
    public func render(
        _ occurrences: [Occurrence],
        planTitles: [String: String] = [:],
        notes: [String: String] = [:],
        done: [OccurrenceKey: CivilDate] = [:]
    ) -> String {
        let l = language
        var lines: [String] = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//plankeeper//Party-building work plans//\(Texts.calendarLanguageTag.text(in: l))",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:" + Self.escape(name),
            // A subscription refreshes daily: new plans and moved dates reach the phone.
            "REFRESH-INTERVAL;VALUE=DURATION:P1D",
            "X-PUBLISHED-TTL:P1D",
        ]
        let dtstamp = Self.utcStamp(stamp)
        for o in occurrences.sorted(by: StatusEvaluator.dueOrder) {
            lines.append("BEGIN:VEVENT")
            let doneOn = done[o.key]
            lines.append("UID:" + Self.escape(uid(o)))
            lines.append("DTSTAMP:" + dtstamp)
            lines.append("DTSTART;VALUE=DATE:" + Self.basic(o.due))
            lines.append("DTEND;VALUE=DATE:" + Self.basic(o.due.adding(days: 1)))
            lines.append("SUMMARY:" + Self.escape((doneOn == nil ? "" : "✓ ") + summary(o)))
            var description: [String] = []
            if let doneOn { description.append(l.pick("已完成：\(doneOn)", "Done: \(doneOn)")) }
            if let title = planTitles[o.planID] { description.append(l.pick("计划：", "Plan: ") + title) }
            description.append(l.pick("责任单位：", "Owner: ") + o.owner)
            description.append(
                l.pick(
                    "周期：\(o.period)（\(o.periodStart) 至 \(o.periodEnd)）",
                    "Period: \(o.period) (\(o.periodStart) to \(o.periodEnd))"
                )
            )
            description.append(l.pick("截止日期：", "Due: ") + o.due.description)
            if let r = o.requiredCount {
                let n = r.lowerBound == r.upperBound ? "\(r.lowerBound)" : "\(r.lowerBound)–\(r.upperBound)"
                description.append(
                    l.pick("要求次数：\(n) 次（至少 \(r.lowerBound) 次）", "Required: \(n) times (at least \(r.lowerBound))")
                )
            }
            if let note = notes["\(o.planID)/\(o.itemID)"], !note.isEmpty {
                description.append(l.pick("备注：", "Note: ") + note)
            }
            lines.append("DESCRIPTION:" + Self.escape(description.joined(separator: "\n")))
            lines.append("CATEGORIES:" + Self.escape(o.owner))
            lines.append("TRANSP:TRANSPARENT")
            var seen: Set<Int> = []
            for r in o.reminders where doneOn == nil {
                let days = r.date.distance(to: o.due)
                guard days >= 0, seen.insert(days).inserted else { continue }
                lines.append("BEGIN:VALARM")
                lines.append("ACTION:DISPLAY")
                lines.append("TRIGGER;RELATED=START:" + Self.trigger(daysBefore: days, minute: alarmMinute))
                lines.append(
                    "DESCRIPTION:"
                        + Self.escape(
                            ahead(r.offset) + l.pick("：", ": ") + summary(o) + l.pick("，\(o.due) 到期", ", due \(o.due)")
                        )
                )
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
        return basic(CivilDate(dayNumber: days)) + "T" + Format.pad2(rest / 3600) + Format.pad2(rest / 60 % 60)
            + Format.pad2(rest % 60) + "Z"
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
