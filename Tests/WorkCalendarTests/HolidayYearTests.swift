import Diagnostics
import Testing
@testable import WorkCalendar

@Suite struct HolidayYearTests {
    @Test func parsesRangesListsAndFullDates() throws {
        let text = """
            year: 2027
            source: 测试通知
            holidays:
              - name: 元旦
                off: [2027-01-01, 01-02..01-03]
              - name: 春节
                off: 02-05..02-11
                workdays: [01-31, 02-20]
            """
        let (year, diagnostics) = HolidayYear.parse(Array(text.utf8), file: "2027.yaml")
        #expect(diagnostics.isEmpty)
        let y = try #require(year)
        #expect(y.year == 2027)
        #expect(y.offDays.count == 10)
        #expect(y.makeupDays.count == 2)
        let calendar = WorkdayCalendar.standard(adminYears: [y], covering: 2027...2027)
        #expect(calendar.hasOfficialList(for: 2027))
        #expect(calendar.isWorkday(CivilDate(iso: "2027-02-20")!))
        #expect(!calendar.isWorkday(CivilDate(iso: "2027-02-10")!))
    }

    @Test func reportsBadDatesWithPositions() {
        let text = """
            year: 2027
            holidays:
              - name: 春节
                off: 02-30..03-02
            """
        let (year, diagnostics) = HolidayYear.parse(Array(text.utf8), file: "h.yaml")
        #expect(year == nil)
        #expect(diagnostics.map(\.location.description) == ["h.yaml:4:10"])
    }

    @Test func warnsAboutWeekdayMakeupDays() {
        let text = """
            year: 2027
            holidays:
              - name: 春节
                off: 02-06
                workdays: [02-03]
            """
        let (year, diagnostics) = HolidayYear.parse(Array(text.utf8), file: "h.yaml")
        #expect(year != nil)
        #expect(diagnostics.map(\.severity) == [.warning])
    }
}
