import Testing
@testable import WorkCalendar

/// Published almanac dates (万年历 / Hong Kong Observatory tables), 2024–2035:
/// year, 除夕, 春节, 清明, 端午, 中秋. Also in Tests/crosscheck/festival-table.tsv,
/// where the Python cross-check confirms them with lunar-python.
private let published: [(Int, String, String, String, String, String)] = [
    (2024, "2024-02-09", "2024-02-10", "2024-04-04", "2024-06-10", "2024-09-17"),
    (2025, "2025-01-28", "2025-01-29", "2025-04-04", "2025-05-31", "2025-10-06"),
    (2026, "2026-02-16", "2026-02-17", "2026-04-05", "2026-06-19", "2026-09-25"),
    (2027, "2027-02-05", "2027-02-06", "2027-04-05", "2027-06-09", "2027-09-15"),
    (2028, "2028-01-25", "2028-01-26", "2028-04-04", "2028-05-28", "2028-10-03"),
    (2029, "2029-02-12", "2029-02-13", "2029-04-04", "2029-06-16", "2029-09-22"),
    (2030, "2030-02-02", "2030-02-03", "2030-04-05", "2030-06-05", "2030-09-12"),
    (2031, "2031-01-22", "2031-01-23", "2031-04-05", "2031-06-24", "2031-10-01"),
    (2032, "2032-02-10", "2032-02-11", "2032-04-04", "2032-06-12", "2032-09-19"),
    (2033, "2033-01-30", "2033-01-31", "2033-04-04", "2033-06-01", "2033-09-08"),
    (2034, "2034-02-18", "2034-02-19", "2034-04-05", "2034-06-20", "2034-09-27"),
    (2035, "2035-02-07", "2035-02-08", "2035-04-05", "2035-06-10", "2035-09-16"),
]

@Suite struct ChineseFestivalsTests {
    @Test("lunar festivals and 清明 match the published table", arguments: published.map(\.0))
    func matchesPublishedTable(year: Int) {
        let row = published.first { $0.0 == year }!
        #expect(ChineseFestivals.springFestivalEve(year).description == row.1)
        #expect(Holiday.springFestival.date(in: year).description == row.2)
        #expect(Holiday.qingming.date(in: year).description == row.3)
        #expect(Holiday.dragonBoat.date(in: year).description == row.4)
        #expect(Holiday.midAutumn.date(in: year).description == row.5)
    }

    @Test func qingmingIsAlwaysAprilFourthOrFifthThisCentury() {
        for year in 2000...2099 {
            let q = ChineseFestivals.qingming(year)
            #expect(q.month == 4 && (4...5).contains(q.day), "\(year): \(q)")
        }
    }

    @Test func statutorySpringFestivalIsFourDaysFrom2025() {
        #expect(
            Holiday.springFestival.statutoryDays(in: 2027).map(\.description) == [
                "2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08",
            ]
        )
        #expect(Holiday.labourDay.statutoryDays(in: 2027).count == 2)
        #expect(Holiday.nationalDay.statutoryDays(in: 2027).count == 3)
    }

    @Test func holidayNamesAndAliases() {
        #expect(Holiday(name: "五一") == .labourDay)
        #expect(Holiday(name: "国庆节") == .nationalDay)
        #expect(Holiday(name: "圣诞节") == nil)
    }
}
