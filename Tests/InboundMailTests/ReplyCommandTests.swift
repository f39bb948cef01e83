import Testing
import WorkCalendar

@testable import InboundMail

@Suite struct ReplyCommandTests {
    let today = Fixture.today  // 2026-11-20

    func parse(_ text: String, numbered: Bool = false, today: CivilDate? = nil) -> ReplyCommand {
        ReplyCommand.parse(ReplyText(text), today: today ?? self.today, numbered: numbered)
    }

    func done(_ date: String, _ note: String? = nil, lines: [Int] = []) -> ReplyCommand {
        .done(date: Fixture.date(date), lines: lines, note: note)
    }

    @Test func keywordsAlone() {
        for word in ["完成", "已完成", "办结", "已办结", "已办", "done", "Done", "DONE", "完成了", "完成！", "完成。", "ｄｏｎｅ"] {
            #expect(parse(word) == done("2026-11-20"), "\(word)")
        }
    }

    @Test func datesInEveryCommonForm() {
        let cases = [
            "完成 11-19": "2026-11-19", "完成 2026-11-19": "2026-11-19", "完成 2026/11/19": "2026-11-19",
            "完成 2026.11.19": "2026-11-19", "完成 2026年11月19日": "2026-11-19", "完成 11月19日": "2026-11-19",
            "完成 11月19号": "2026-11-19", "完成 11/19": "2026-11-19", "完成 今天": "2026-11-20",
            "完成 昨天": "2026-11-19", "完成昨天": "2026-11-19", "完成 前天": "2026-11-18", "done yesterday": "2026-11-19",
            "完成 １１－１９": "2026-11-19", "完成：11-19": "2026-11-19", "完成，11月19日": "2026-11-19",
        ]
        for (text, date) in cases { #expect(parse(text) == done(date), "\(text)") }
    }

    @Test func aDateWithoutAYearIsTheRecentOne() {
        let january = CivilDate(year: 2027, month: 1, day: 5)!
        #expect(parse("完成 12-28", today: january) == done("2026-12-28"))
        // Within a month ahead it stays this year (and the record rules refuse a future date).
        #expect(parse("完成 11-25") == done("2026-11-25"))
        #expect(parse("完成 02-29", today: CivilDate(year: 2028, month: 3, day: 1)!) == done("2028-02-29"))
    }

    @Test func impossibleDatesGetHelp() {
        #expect(parse("完成 2026-02-30") == .help(.invalidDate("2026-02-30")))
        #expect(parse("完成 13-01") == .help(.invalidDate("13-01")))
        #expect(parse("完成 11月31日") == .help(.invalidDate("11月31日")))
        #expect(parse("完成 02-29") == .help(.invalidDate("02-29")))  // 2026 has none
    }

    @Test func theRestIsTheNote() {
        #expect(parse("完成 11-19 会议在三楼召开\n\n\n7 人参加") == done("2026-11-19", "会议在三楼召开\n\n7 人参加"))
        #expect(parse("完成，附签到表") == done("2026-11-20", "附签到表"))
        #expect(parse("完成 3人参加") == done("2026-11-20", "3人参加"))
        #expect(parse("完成 2026年度第四次会议") == done("2026-11-20", "2026年度第四次会议"))
        let long = parse("完成 " + String(repeating: "记", count: 2_000))
        guard case .done(_, _, let note?) = long else {
            Issue.record("no note")
            return
        }
        #expect(note.count == ReplyCommand.noteLimit)
        #expect(note.hasSuffix("…"))
    }

    @Test func aGreetingMayComeFirst() {
        #expect(parse("您好，\n完成 11-19") == done("2026-11-19"))
        #expect(parse("王老师：\n\n已办") == done("2026-11-20"))
        #expect(parse("Hi,\ndone") == done("2026-11-20"))
    }

    @Test func wordsThatOnlyContainAKeywordAreNotCommands() {
        for text in ["还没完成", "完成情况如下", "未完成，下周补", "请问怎么登记完成", "doneness", "已办公", "好的"] {
            guard case .help(.noKeyword) = parse(text) else {
                Issue.record("\(text) was read as a command: \(parse(text))")
                continue
            }
        }
        // The keyword must be on one of the first lines, not after a paragraph.
        #expect(parse("我们这个月的会议因为疫情推迟到了下个月，届时再告知。\n完成") == .help(.noKeyword(firstLine: "我们这个月的会议因为疫情推迟到了下个月，届时再告知。")))
        #expect(parse("") == .help(.empty))
        #expect(parse("\n\n") == .help(.empty))
    }

    @Test func undo() {
        #expect(parse("撤销") == .undo(lines: []))
        #expect(parse("undo") == .undo(lines: []))
        #expect(parse("撤回，登记错了") == .undo(lines: []))
    }

    @Test func digestRepliesNameLines() {
        #expect(parse("完成 1 3 5-7", numbered: true) == done("2026-11-20", lines: [1, 3, 5, 6, 7]))
        #expect(parse("完成 1,3，5、7", numbered: true) == done("2026-11-20", lines: [1, 3, 5, 7]))
        #expect(parse("完成 3 1 3", numbered: true) == done("2026-11-20", lines: [1, 3]))
        // In a digest, 11-20 is a range; a date needs a form that cannot be one.
        #expect(parse("完成 11-13", numbered: true) == done("2026-11-20", lines: Array(11...13)))
        #expect(parse("完成 1 2 昨天 补登", numbered: true) == done("2026-11-19", "补登", lines: [1, 2]))
        #expect(parse("完成 1 2026-11-18", numbered: true) == done("2026-11-18", lines: [1]))
        #expect(parse("完成 1 11月18日", numbered: true) == done("2026-11-18", lines: [1]))
        #expect(parse("撤销 2", numbered: true) == .undo(lines: [2]))
    }

    @Test func digestRepliesWithoutUsableLinesGetHelp() {
        #expect(parse("完成", numbered: true) == .help(.noLines))
        #expect(parse("撤销", numbered: true) == .help(.noLines))
        #expect(parse("完成 0", numbered: true) == .help(.noLines))
        #expect(parse("完成 5-3", numbered: true) == .help(.noLines))
        #expect(parse("完成 1-999999", numbered: true) == .help(.noLines))
        #expect(parse("完成 3号楼", numbered: true) == .help(.noLines))
    }
}
