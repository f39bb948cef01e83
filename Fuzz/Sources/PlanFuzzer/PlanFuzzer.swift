#if canImport(Glibc)
import Glibc
#endif
import Diagnostics
import PlanFormat
import Scheduling
import WorkCalendar

/// One fuzz input is one or two files: the bytes up to a line `#~roster~`
/// are a file in a plans folder (a plan, a roster or a template), the bytes
/// after it the roster that a template's `roster:` names. Without the marker
/// a template gets `defaultRoster`, so mutations of a template alone still
/// reach the expander. Everything the CLI does with a file runs: parse,
/// check across files, expand templates, schedule every plan, render every
/// diagnostic in both languages. Any trap is a bug; so is a broken invariant
/// below, which aborts to make libFuzzer keep the input.
let marker: [UInt8] = Array("\n#~roster~\n".utf8)

let defaultRoster: [UInt8] = Array("""
    name: 某市卫生健康委员会
    contacts:
      commission: 市卫健委 <wjw@example.org>
    units:
      - name: 某市第一人民医院党委
        contacts:
          office: 党委办公室 <office@example.org>
        branches:
          - {id: pediatrics, name: 儿科党支部, tags: [临床], contacts: {secretary: 周敏 <zm@example.org>, groups: 吴磊 <wl@example.org>}}
          - {id: retired, name: 离退休党支部, tags: [离退休], contacts: {secretary: 黄建国 <hjg@example.org>}}
          - {id: admin-1, name: 机关第一党支部, tags: [机关], contacts: {secretary: 孙涛 <st@example.org>}}

    """.utf8)

let parser = PlanParser(officialYears: [2024, 2025, 2026])

/// Calendars as the loader builds them (the plans' years ± 1), kept across
/// inputs: building one computes lunar festivals, too slow to repeat per input.
nonisolated(unsafe) var calendars: [ClosedRange<Int>: WorkdayCalendar] = [:]

func split(_ bytes: [UInt8]) -> ([UInt8], [UInt8]?) {
    guard bytes.count >= marker.count else { return (bytes, nil) }
    for i in 0...(bytes.count - marker.count) where bytes[i] == marker[0] && Array(bytes[i..<(i + marker.count)]) == marker {
        return (Array(bytes[..<i]) + [0x0A], Array(bytes[(i + marker.count)...]))
    }
    return (bytes, nil)
}

func check(_ condition: Bool, _ what: @autoclosure () -> String) {
    if !condition {
        print("invariant broken: \(what())")
        abort()
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let (file, roster) = split(Array(UnsafeBufferPointer(start: data, count: size)))
    let files = ["plans/f.yaml", "plans/roster.yaml"]
    let catalog = PlanCatalog.load([PlanSource(path: files[0], bytes: file)], parser: parser) { path in
        path == files[1] ? (roster ?? defaultRoster) : nil
    }

    for d in catalog.diagnostics {
        check(files.contains(d.location.file), "diagnostic in an unknown file: \(d.location)")
        check(d.location.line >= 1 && d.location.column >= 1, "position before the file's start: \(d.location)")
        check(!d.message.zh.isEmpty && !d.message.en.isEmpty, "a message missing in one language")
        _ = d.rendered(in: .zh)
        _ = d.rendered(in: .en)
    }
    check(catalog.diagnostics.hasErrors || catalog.rejected.isEmpty, "a file left out without an error saying why")
    check(Set(catalog.plans.map(\.id)).count == catalog.plans.count, "two loaded plans share an id")

    guard let low = catalog.plans.map(\.year).min(), let high = catalog.plans.map(\.year).max() else { return 0 }
    let range = (low - 1)...(high + 1)
    let calendar = calendars[range] ?? WorkdayCalendar.standard(covering: range)
    calendars[range] = calendar
    let expander = ScheduleExpander(calendar: calendar)
    for plan in catalog.plans {
        check(plan.items.allSatisfy { !$0.id.isEmpty }, "an item without an id")
        for item in plan.items {
            // A one-off `date:` may lie in another year (the parser warns); every other kind stays near the plan's year.
            let dated: Bool
            if case .date = item.schedule { dated = true } else { dated = false }
            for o in expander.occurrences(of: item, in: plan) {
                check(o.periodStart <= o.periodEnd, "period \(o.period) ends before it starts")
                check(dated || abs(o.due.year - plan.year) <= 1, "\(plan.id)/\(o.itemID) due \(o.due) far from \(plan.year)")
                check(o.reminders.allSatisfy { $0.date <= o.due }, "\(plan.id)/\(o.itemID) reminded after its due date")
            }
        }
    }
    return 0
}
