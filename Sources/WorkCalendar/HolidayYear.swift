import Diagnostics
import Vocabulary
import YAMLSource

/// One year's official arrangement (放假调休安排): the days off and the weekend
/// days worked in exchange. It is data, published by the State Council each
/// November, so it lives in files an admin can add without a new build.
public struct HolidayYear: Sendable, Equatable {
    public var year: Int
    /// The notice the list comes from, shown by `calendar` so the admin can check it.
    public var source: String
    /// Off days with the holiday they belong to ("国庆、中秋").
    public var offDays: [CivilDate: String]
    /// Saturdays and Sundays that are working days (调休上班), with the holiday they pay for.
    public var makeupDays: [CivilDate: String]
    /// Where the list was read from: a file path, or "built-in".
    public var origin: String

    public init(
        year: Int,
        source: String,
        offDays: [CivilDate: String],
        makeupDays: [CivilDate: String],
        origin: String
    ) {
        self.year = year
        self.source = source
        self.offDays = offDays
        self.makeupDays = makeupDays
        self.origin = origin
    }
}

extension HolidayYear {
    static let topKeys = ["year", "source", "holidays"]
    static let entryKeys = ["name", "off", "workdays"]

    /// Reads a holiday file:
    /// ```yaml
    /// year: 2026
    /// source: 国务院办公厅关于2026年部分节假日安排的通知
    /// holidays:
    ///   - name: 春节
    ///     off: 02-15..02-23          # a day, a range, or a list of them
    ///     workdays: [02-14, 02-28]   # weekend days worked (调休上班)
    /// ```
    /// Days are `MM-DD` in the file's year, or `YYYY-MM-DD`.
    public static func parse(_ bytes: [UInt8], file: String) -> (HolidayYear?, [Diagnostic]) {
        let root: YAMLNode
        switch YAMLDocument.parse(bytes, file: file) {
        case .failure(let d): return (nil, [d])
        case .success(nil):
            return (
                nil,
                [
                    .error(
                        SourceLocation(file: file, line: 1, column: 1),
                        Message(zh: "节假日文件为空", en: "the holiday file is empty")
                    )
                ]
            )
        case .success(let node?): root = node
        }
        var r = NodeReader(file: file)
        guard let top = r.mapping(root, what: Message(zh: "节假日文件", en: "a holiday file"), known: topKeys) else {
            return (nil, r.diagnostics)
        }
        guard let yearPair = top["year"] else {
            r.error(root, Message(zh: "缺少 year（年份）", en: "missing key 'year'"))
            return (nil, r.diagnostics)
        }
        guard let year = r.integer(yearPair.value, what: Message(zh: "year", en: "'year'"), range: 1900...2200) else {
            return (nil, r.diagnostics)
        }
        let source = top["source"].flatMap { r.singleLine($0.value, what: Message(zh: "source", en: "'source'")) } ?? ""
        var off: [CivilDate: String] = [:]
        var makeup: [CivilDate: String] = [:]
        if let list = top["holidays"].flatMap({
            r.list($0.value, what: Message(zh: "holidays", en: "'holidays'"), allowScalar: false)
        }) {
            for entry in list {
                guard let fields = r.mapping(entry, what: Message(zh: "节假日条目", en: "a holiday entry"), known: entryKeys)
                else { continue }
                guard let namePair = fields["name"],
                    let name = r.singleLine(namePair.value, what: Message(zh: "name", en: "'name'"))
                else {
                    if fields["name"] == nil { r.error(entry, Message(zh: "缺少 name（节日名称）", en: "missing key 'name'")) }
                    continue
                }
                if let offPair = fields["off"] {
                    for day in days(offPair.value, year: year, reader: &r) {
                        if let other = off[day] {
                            r.error(
                                offPair.value,
                                Message(
                                    zh: "\(day) 已列为“\(other)”的休息日",
                                    en: "\(day) is already an off day of '\(other)'"
                                )
                            )
                        }
                        off[day] = name
                    }
                } else {
                    r.error(entry, Message(zh: "缺少 off（休息日）", en: "missing key 'off'"))
                }
                if let workPair = fields["workdays"] {
                    for day in days(workPair.value, year: year, reader: &r) {
                        if !day.isWeekend {
                            r.warning(
                                workPair.value,
                                Message(
                                    zh: "\(day) 是\(day.weekday.chineseName)，本来就是工作日",
                                    en: "\(day) is a \(day.weekday.englishName), a working day anyway"
                                )
                            )
                        }
                        makeup[day] = name
                    }
                }
            }
        }
        for (day, name) in makeup where off[day] != nil {
            r.error(
                root,
                Message(
                    zh: "\(day) 同时是休息日和调休工作日（\(name)）",
                    en: "\(day) is both an off day and a make-up working day (\(name))"
                )
            )
        }
        if r.diagnostics.hasErrors { return (nil, r.diagnostics) }
        return (HolidayYear(year: year, source: source, offDays: off, makeupDays: makeup, origin: file), r.diagnostics)
    }

    /// `MM-DD`, `YYYY-MM-DD`, `A..B`, or a list of those.
    static func days(_ node: YAMLNode, year: Int, reader r: inout NodeReader) -> [CivilDate] {
        guard let items = r.list(node, what: Message(zh: "日期", en: "dates")) else { return [] }
        var result: [CivilDate] = []
        for item in items {
            guard let text = r.string(item, what: Message(zh: "日期", en: "a date")) else { continue }
            let parts = text.components(separatedBy: "..")
            let bounds = parts.map { date($0.trimmingCharacters(in: .whitespaces), year: year) }
            guard parts.count <= 2, let first = bounds.first ?? nil, let last = bounds.last ?? nil, first <= last else {
                r.error(
                    item,
                    Message(
                        zh: "无法识别的日期“\(text)”；应写作 MM-DD、YYYY-MM-DD 或 MM-DD..MM-DD",
                        en: "bad date '\(text)'; write MM-DD, YYYY-MM-DD or MM-DD..MM-DD"
                    )
                )
                continue
            }
            guard last.dayNumber - first.dayNumber < 40 else {
                r.error(item, Message(zh: "日期范围“\(text)”过长", en: "date range '\(text)' is implausibly long"))
                continue
            }
            result.append(contentsOf: first...last)
        }
        return result
    }

    static func date(_ text: String, year: Int) -> CivilDate? {
        if text.utf8.count == 5 { return CivilDate(iso: "\(year)-\(text)") }
        return CivilDate(iso: text)
    }
}

import Foundation
