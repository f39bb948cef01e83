import Testing
import Vocabulary

@Suite struct PeriodLabelTests {
    @Test func labelsRoundTrip() throws {
        for text in ["2026-01", "2026-11", "2026-Q1", "2026-Q4", "2026-H1", "2026-H2", "2026"] {
            #expect(try #require(PeriodLabel(text)).label == text)
        }
        #expect(PeriodLabel("2026-q4")?.label == "2026-Q4")
        #expect(PeriodLabel.all(.quarter, year: 2026).map(\.label) == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"])
        #expect(PeriodLabel.containing(year: 2026, month: 8, kind: .halfYear).label == "2026-H2")
    }

    /// One Chinese and one English name per period, everywhere.
    @Test func namesInBothLanguages() {
        let cases: [(String, String, String)] = [
            ("2026-11", "2026 年 11 月", "November 2026"), ("2026-Q4", "2026 年第四季度", "Q4 2026"),
            ("2026-H2", "2026 年下半年", "H2 2026"), ("2026-H1", "2026 年上半年", "H1 2026"), ("2026", "2026 年度", "2026"),
        ]
        for (label, zh, en) in cases {
            #expect(PeriodLabel.name(of: label, in: .zh) == zh)
            #expect(PeriodLabel.name(of: label, in: .en) == en)
        }
        // What is not a label is shown as written, never guessed at.
        #expect(PeriodLabel.name(of: "2026-13", in: .zh) == "2026-13")
        #expect(PeriodLabel.name(of: "spring", in: .en) == "spring")
    }

    @Test func orderIsEarlierStartThenLongerFirst() throws {
        let year = try #require(PeriodLabel("2026"))
        let h1 = try #require(PeriodLabel("2026-H1"))
        let q1 = try #require(PeriodLabel("2026-Q1"))
        let january = try #require(PeriodLabel("2026-01"))
        let q2 = try #require(PeriodLabel("2026-Q2"))
        #expect([q2, january, q1, h1, year].sorted() == [year, h1, q1, january, q2])
        #expect(q1.previous.label == "2025-Q4" && q1.previous.next == q1)
    }
}
