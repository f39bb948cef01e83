import Diagnostics
import Vocabulary
import WorkCalendar

/// One owner's work plan for one year, as validated from a plan file.
public struct Plan: Sendable, Equatable {
    public var id: String
    public var title: String
    public var owner: String
    public var year: Int
    /// Role → people, in file order (`secretary: 王五 <wangwu@…>`).
    public var contacts: [String: [Address]]
    public var items: [Item]
    /// Where the plan came from and where its `id` is written, for diagnostics
    /// that name a plan (duplicate ids, errors after a reload).
    public var file: String
    public var idLocation: SourceLocation
    /// The organisation units above the owner, top down: for a branch of a
    /// city's hospital `["某市卫生健康委员会", "某市第一人民医院党委"]`. Filled from
    /// the roster when the plan is expanded from a template, so supervisors'
    /// reports can aggregate by commission, then hospital, then branch; empty
    /// for a plan written by hand (it sits directly under whoever loads it).
    public var units: [String]
    /// Set when the plan is one branch's copy of a template: which template
    /// and which roster entry it came from, so a report or a diagnostic can
    /// send people to the file they actually edit.
    public var origin: TemplateOrigin?

    public init(
        id: String,
        title: String,
        owner: String,
        year: Int,
        contacts: [String: [Address]],
        items: [Item],
        file: String,
        idLocation: SourceLocation,
        units: [String] = [],
        origin: TemplateOrigin? = nil
    ) {
        self.id = id
        self.title = title
        self.owner = owner
        self.year = year
        self.contacts = contacts
        self.items = items
        self.file = file
        self.idLocation = idLocation
        self.units = units
        self.origin = origin
    }
}

/// Where a template-expanded plan comes from: its `id` is
/// `"\(template)-\(branch)"`, its `file` the template's path, and the branch's
/// entry sits at `branchLocation` in the roster.
public struct TemplateOrigin: Sendable, Hashable {
    /// The template's id (`template:` in the template file).
    public var template: String
    /// The branch's id in the roster.
    public var branch: String
    /// The branch's tags in the roster (临床, 机关, 离退休, …), for reports that compare like with like.
    public var tags: [String]
    /// The position of the branch's entry in the roster file.
    public var branchLocation: SourceLocation

    public init(template: String, branch: String, tags: [String], branchLocation: SourceLocation) {
        self.template = template
        self.branch = branch
        self.tags = tags
        self.branchLocation = branchLocation
    }
}

/// One obligation in a plan: what, when, and who hears about it.
public struct Item: Sendable, Equatable {
    public var id: String
    public var title: String
    public var schedule: Schedule
    public var shift: Shift
    public var notices: NoticeSettings
    /// Free text shown in notices (an extension: `note:`).
    public var note: String?
    public var location: SourceLocation

    public init(
        id: String,
        title: String,
        schedule: Schedule,
        shift: Shift,
        notices: NoticeSettings,
        note: String?,
        location: SourceLocation
    ) {
        self.id = id
        self.title = title
        self.schedule = schedule
        self.shift = shift
        self.notices = notices
        self.note = note
        self.location = location
    }
}

/// The four ways a plan says when something is due.
public enum Schedule: Sendable, Hashable {
    /// Once in each period of the year, on a day rule.
    case every(Period, DayRule)
    /// N working days before the break that contains a holiday.
    case before(Holiday, workdays: Int)
    /// A one-off deadline.
    case date(CivilDate)
    /// A count to reach in each period (红色教育 2–3 times a year).
    case times(min: Int, max: Int, within: Period)
}

/// Which day of a period an `every` item is due.
public enum DayRule: Sendable, Hashable {
    /// Day N of the period's last month, clamped to its last day.
    case day(Int)
    /// A fixed date, which must lie inside the period.
    case monthDay(month: Int, day: Int)
    case lastDay
    case lastWorkday
    case firstWorkday
    /// The Nth (1–4) weekday of the period's last month.
    case nthWeekday(Int, Weekday)
    /// The last such weekday of the period's last month.
    case lastWeekday(Weekday)
}

/// What to do with a due date that falls on an off day.
public enum Shift: String, Sendable, CaseIterable, Hashable {
    case earlier
    case later
    case none
}

/// `7d` (calendar days) or `3wd` (working days).
public struct Offset: Sendable, Hashable, CustomStringConvertible {
    public enum Unit: String, Sendable, Hashable {
        case days = "d"
        case workdays = "wd"
    }
    public var count: Int
    public var unit: Unit

    public init(_ count: Int, _ unit: Unit) {
        self.count = count
        self.unit = unit
    }

    public var description: String { "\(count)\(unit.rawValue)" }

    public init?(parsing text: String) {
        let unit: Unit
        let digits: Substring
        if text.hasSuffix("wd") {
            unit = .workdays
            digits = text.dropLast(2)
        } else if text.hasSuffix("d") {
            unit = .days
            digits = text.dropLast(1)
        } else {
            return nil
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let n = Int(digits), n >= 0 else { return nil }
        self.init(n, unit)
    }
}

/// Who is told what, and when: reminders before the due date, the roles told,
/// and the escalation once an occurrence is far enough overdue.
public struct NoticeSettings: Sendable, Hashable {
    public var remind: [Offset]
    public var notify: [String]
    public var escalate: Escalation?
    /// How often an overdue notice repeats until the item is done.
    public var overdueRepeat: Offset

    public init(
        remind: [Offset] = [],
        notify: [String] = [],
        escalate: Escalation? = nil,
        overdueRepeat: Offset = Offset(5, .workdays)
    ) {
        self.remind = remind
        self.notify = notify
        self.escalate = escalate
        self.overdueRepeat = overdueRepeat
    }
}

public struct Escalation: Sendable, Hashable {
    public var after: Offset
    public var to: [String]
    public init(after: Offset, to: [String]) {
        self.after = after
        self.to = to
    }
}
