import Diagnostics
import Vocabulary
import WorkCalendar
import YAMLSource

extension PlanReader {
    struct ParsedItem {
        var item: Item
        var id: (value: String, node: YAMLNode)
    }

    private static func m(_ zh: String, _ en: String) -> Message { Message(zh: zh, en: en) }

    /// An item as written, before it meets a set of contacts. A plain plan
    /// finishes it at once; a template finishes one copy per branch, since
    /// each branch brings its own people for the same roles.
    struct ItemDraft {
        var id: String
        var idNode: YAMLNode
        var title: String?
        var note: String?
        var schedule: Schedule
        var own: NoticeFields
        var node: YAMLNode
        /// Roles named by this item's `notify` and `escalate.to` (templates only).
        var roleUses: [RoleUse]
    }

    mutating func item(
        _ node: YAMLNode,
        year: Int?,
        contacts: [String: [Address]],
        defaults: NoticeFields?
    ) -> ParsedItem? {
        guard let draft = itemDraft(node, year: year, contacts: contacts) else { return nil }
        let item = Self.finish(draft, defaults: defaults, contacts: contacts, location: reader.location(node))
        return ParsedItem(item: item, id: (draft.id, draft.idNode))
    }

    mutating func itemDraft(_ node: YAMLNode, year: Int?, contacts: [String: [Address]]) -> ItemDraft? {
        guard let map = reader.mapping(node, what: Self.m("工作事项", "an item"), known: PlanParser.itemKeys) else {
            return nil
        }
        return itemDraft(node, map, year: year, contacts: contacts)
    }

    /// The item from its keys, which a template's per-branch `change` may
    /// have laid over the keys written in the template; `node` is the item
    /// as the template writes it, for messages about the item as a whole.
    mutating func itemDraft(
        _ node: YAMLNode,
        _ map: [String: YAMLNode.Pair],
        year: Int?,
        contacts: [String: [Address]]
    ) -> ItemDraft? {
        let before = reader.diagnostics.count
        let usesBefore = roleUses.count
        var idValue: (String, YAMLNode)?
        if let pair = map["id"] {
            if let id = identifier(pair.value, what: Self.m("事项 id", "item id")) { idValue = (id, pair.value) }
        } else {
            reader.error(node, Self.m("工作事项缺少必填的键“id”", "item is missing required key 'id'"))
        }
        let title = map["title"].flatMap { reader.label($0.value, what: Self.m("title（标题）", "'title'")) }
        let note = map["note"].flatMap { reader.string($0.value, what: Self.m("note（说明）", "'note'")) }
        let schedule = self.schedule(node, map, year: year)
        let own = noticeFields(map, contacts: contacts)
        let uses = Array(roleUses[usesBefore...])
        guard reader.diagnostics.count == before || !Array(reader.diagnostics[before...]).hasErrors,
            let (id, idNode) = idValue, let schedule
        else { return nil }

        if case .before = schedule, let shiftKey = map["shift"]?.key {
            reader.warning(
                shiftKey,
                Self.m(
                    "shift 对 before 日程不起作用：到期日本身就是工作日",
                    "'shift' has no effect on a 'before' schedule: its due date is a working day already"
                )
            )
        }
        return ItemDraft(
            id: id,
            idNode: idNode,
            title: title,
            note: note,
            schedule: schedule,
            own: own,
            node: node,
            roleUses: uses
        )
    }

    /// The item's own settings over the plan's defaults; without an explicit
    /// `notify`, everyone in `contacts` but those only meant for escalation.
    /// `implicitRoles` narrows that "everyone" for a template's branch (see `RosterBranch.ownRoles`).
    static func finish(
        _ d: ItemDraft,
        defaults: NoticeFields?,
        contacts: [String: [Address]],
        implicitRoles: Set<String>? = nil,
        location: SourceLocation
    ) -> Item {
        let own = d.own
        let defaults = defaults ?? NoticeFields()
        let escalate = own.escalate ?? defaults.escalate ?? nil
        let everyone = contacts.keys.filter { implicitRoles?.contains($0) ?? true }
        let notify =
            own.notify ?? defaults.notify
            ?? everyone.sorted().filter { role in
                !(escalate?.to ?? []).contains(role)
            }
        let notices = NoticeSettings(
            remind: own.remind ?? defaults.remind ?? [],
            notify: notify,
            escalate: escalate,
            overdueRepeat: own.overdueRepeat ?? defaults.overdueRepeat ?? Offset(5, .workdays)
        )
        return Item(
            id: d.id,
            title: d.title ?? d.id,
            schedule: d.schedule,
            shift: own.shift ?? defaults.shift ?? .earlier,
            notices: notices,
            note: d.note,
            location: location
        )
    }

    // MARK: Schedules

    mutating func schedule(_ node: YAMLNode, _ map: [String: YAMLNode.Pair], year: Int?) -> Schedule? {
        // The schedule keys present, in the order they are written.
        let present = map.filter { PlanParser.scheduleKeys.contains($0.key) }.values
            .sorted { ($0.key.line, $0.key.column) < ($1.key.line, $1.key.column) }
        guard let first = present.first, let kind = first.key.scalar else {
            reader.error(
                node,
                Self.m(
                    "工作事项没有日程；请写 every+due、before+workdays、date 或 times+within 之一",
                    "item has no schedule; give one of every+due, before+workdays, date, or times+within"
                )
            )
            return nil
        }
        if present.count > 1 {
            let second = present[1]
            reader.error(
                second.key,
                Self.m(
                    "一个工作事项只能有一种日程：已有“\(kind)”，又写了“\(second.key.scalar ?? "")”",
                    "an item has exactly one schedule: it has '\(kind)' and also '\(second.key.scalar ?? "")'"
                )
            )
            return nil
        }
        // Companion keys that belong to another schedule kind.
        for (owner, companion) in PlanParser.companion where owner != kind {
            if let pair = map[companion] {
                reader.error(
                    pair.key,
                    Self.m(
                        "“\(companion)”只能与“\(owner)”一起使用",
                        "'\(companion)' goes with '\(owner)', not with '\(kind)'"
                    )
                )
                return nil
            }
        }
        if let companion = PlanParser.companion[kind], map[companion] == nil {
            reader.error(node, Self.m("“\(kind)”需要同时写“\(companion)”", "'\(kind)' needs '\(companion)' too"))
            return nil
        }
        switch kind {
        case "every":
            guard let period = period(first.value) else { return nil }
            guard let rule = dayRule(map["due"]!.value, period: period, year: year) else { return nil }
            return .every(period, rule)
        case "before":
            let holiday = self.holiday(first.value, year: year)
            let n = reader.integer(
                map["workdays"]!.value,
                what: Self.m("workdays（提前的工作日数）", "'workdays'"),
                range: 1...60
            )
            guard let holiday, let n else { return nil }
            return .before(holiday, workdays: n)
        case "date":
            guard let s = reader.string(first.value, what: Self.m("date（日期）", "'date'")) else { return nil }
            guard let date = CivilDate(iso: s) else {
                reader.error(
                    first.value,
                    Self.m(
                        "日期“\(s)”无效；应写作 YYYY-MM-DD，例如 2026-06-30",
                        "'\(s)' is not a valid date; write YYYY-MM-DD, e.g. 2026-06-30"
                    )
                )
                return nil
            }
            if let year, date.year != year {
                reader.warning(
                    first.value,
                    Self.m("日期 \(s) 不在计划年度 \(year) 内", "date \(s) is outside the plan's year \(year)")
                )
            }
            return .date(date)
        default:  // times
            guard let s = reader.string(first.value, what: Self.m("times（次数）", "'times'")) else { return nil }
            let within = period(map["within"]!.value)
            guard let (lo, hi) = Self.countRange(s) else {
                reader.error(
                    first.value,
                    Self.m(
                        "次数“\(s)”无效；应写作 N 或 MIN..MAX（如 2..3），且 1 ≤ MIN ≤ MAX",
                        "'\(s)' is not a valid count; write N or MIN..MAX (e.g. 2..3) with 1 ≤ MIN ≤ MAX"
                    )
                )
                return nil
            }
            guard let within else { return nil }
            return .times(min: lo, max: hi, within: within)
        }
    }

    static func countRange(_ s: String) -> (Int, Int)? {
        let parts = s.components(separatedBy: "..")
        let values = parts.map { Int($0.trimmingCharacters(in: .whitespaces)) }
        switch values.count {
        case 1:
            guard let n = values[0], n >= 1, n <= 1000 else { return nil }
            return (n, n)
        case 2:
            guard let lo = values[0], let hi = values[1], lo >= 1, lo <= hi, hi <= 1000 else { return nil }
            return (lo, hi)
        default:
            return nil
        }
    }

    mutating func period(_ node: YAMLNode) -> Period? {
        guard let s = reader.string(node, what: Self.m("周期", "a period")) else { return nil }
        if let p = Period(rawValue: s) { return p }
        let names = Period.allCases.map(\.rawValue)
        reader.error(
            node,
            Self.m(
                "未知的周期“\(s)”\(suggest(s, names))；可用 month（月）、quarter（季度）、half-year（半年）、year（年）",
                "unknown period '\(s)'\(suggestEN(s, names)); use month, quarter, half-year or year"
            )
        )
        return nil
    }

    mutating func holiday(_ node: YAMLNode, year: Int?) -> Holiday? {
        guard let s = reader.string(node, what: Self.m("节日", "a holiday")) else { return nil }
        guard let h = Holiday(name: s) else {
            let names = Holiday.allCases.map(\.rawValue)
            reader.error(
                node,
                Self.m(
                    "未知的节日“\(s)”\(suggest(s, names))；可用：\(names.joined(separator: "、"))",
                    "unknown holiday '\(s)'\(suggestEN(s, names)); use one of \(names.joined(separator: ", "))"
                )
            )
            return nil
        }
        if h == .newYear, let year, !officialYears.contains(year + 1) {
            reader.warning(
                node,
                Self.m(
                    "元旦指 \(year + 1)-01-01，而 \(year + 1) 年还没有官方节假日安排；暂按周末和法定节日计算",
                    "元旦 means \(year + 1)-01-01, and \(year + 1) has no official holiday list yet; using weekends and statutory days"
                )
            )
        }
        return h
    }

    static let ruleWords =
        ["last-day", "last-workday", "first-workday"]
        + ["1st", "2nd", "3rd", "4th", "last"].flatMap { n in Weekday.allCases.map { "\(n)-\($0.shortName)" } }

    mutating func dayRule(_ node: YAMLNode, period: Period, year: Int?) -> DayRule? {
        guard let s = reader.string(node, what: Self.m("due（到期日规则）", "'due'")) else { return nil }
        if s.allSatisfy(\.isASCII), let n = Int(s) {
            guard (1...31).contains(n) else {
                reader.error(
                    node,
                    Self.m("到期日“\(s)”超出范围；日期应为 1–31", "due day '\(s)' is out of range; use a day from 1 to 31")
                )
                return nil
            }
            return .day(n)
        }
        switch s {
        case "last-day": return .lastDay
        case "last-workday": return .lastWorkday
        case "first-workday": return .firstWorkday
        default: break
        }
        let u = Array(s.utf8)
        if u.count == 5, u[2] == UInt8(ascii: "-"), let mm = Int(s.prefix(2)), let dd = Int(s.suffix(2)),
            s.allSatisfy({ $0.isASCII })
        {
            let probeYear = year ?? 2000  // a leap year: 02-29 is judged against the real year when known
            guard CivilDate(year: probeYear, month: mm, day: dd) != nil else {
                reader.error(
                    node,
                    Self.m(
                        "日期“\(s)”在 \(year.map(String.init) ?? "") 年不存在",
                        "'\(s)' is not a date\(year.map { " in \($0)" } ?? "")"
                    )
                )
                return nil
            }
            if period != .year {
                reader.error(
                    node,
                    Self.m(
                        "固定日期“\(s)”只落在一个\(periodZH(period))里，不在每个周期之内；请用 every: year，或用 N、last-workday 等规则",
                        "fixed date '\(s)' lies inside only one \(period.rawValue), not every period; use every: year, or a rule like N or last-workday"
                    )
                )
                return nil
            }
            return .monthDay(month: mm, day: dd)
        }
        let parts = s.split(separator: "-", maxSplits: 1).map(String.init)
        if parts.count == 2, let wd = Weekday(shortName: parts[1]) {
            switch parts[0] {
            case "1st": return .nthWeekday(1, wd)
            case "2nd": return .nthWeekday(2, wd)
            case "3rd": return .nthWeekday(3, wd)
            case "4th": return .nthWeekday(4, wd)
            case "last": return .lastWeekday(wd)
            case "5th":
                reader.error(
                    node,
                    Self.m(
                        "并非每个月都有第 5 个\(wd.chineseName)；请用 last-\(wd.shortName)",
                        "not every month has a 5th \(wd.englishName); use last-\(wd.shortName)"
                    )
                )
                return nil
            default: break
            }
        }
        reader.error(
            node,
            Self.m(
                "无法识别的到期日规则“\(s)”\(suggest(s, Self.ruleWords))；可用：N（1–31）、MM-DD、last-day、last-workday、first-workday、1st-fri、last-fri 等",
                "unknown due rule '\(s)'\(suggestEN(s, Self.ruleWords)); use N (1–31), MM-DD, last-day, last-workday, first-workday, 1st-fri, last-fri, …"
            )
        )
        return nil
    }

    func periodZH(_ p: Period) -> String {
        switch p {
        case .month: "月"
        case .quarter: "季度"
        case .halfYear: "半年"
        case .year: "年"
        }
    }
}

import Foundation
