import Foundation
import Testing
import TextLayout

@Suite struct DisplayWidthTests {
    @Test func chineseIsTwoColumnsWide() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("支部委员会") == 10)
        #expect(DisplayWidth.of("2026 年 1 月") == 12)
        #expect(DisplayWidth.of("（调休）") == 8)
        #expect(DisplayWidth.of("e\u{301}") == 1)
        // What mail's label columns measure (one table for both since issue 14).
        #expect(DisplayWidth.of("事项：") == 6)
        #expect(DisplayWidth.of("Due date: ") == 10)
        #expect(DisplayWidth.of("\u{3000}") == 2)
        #expect(DisplayWidth.of("😀𠀋") == 4)
        // Hangul Jamo Extended-A is East Asian Wide; a soft hyphen is one column, as wcwidth says.
        #expect(DisplayWidth.of("\u{A960}") == 2)
        #expect(DisplayWidth.of("\u{00AD}") == 1)
        #expect(DisplayWidth.of("\u{200B}") == 0)
    }

    @Test func tablesAlignMixedText() {
        var t = TextTable()
        t.add("外科第二党支部", "2026", "x")
        t.add("icu", "2025", "y")
        let lines = t.render(colour: false)
        let second = lines.map { line in
            // Display column where "2026"/"2025" starts.
            DisplayWidth.of(String(line[..<line.range(of: "202")!.lowerBound]))
        }
        #expect(second[0] == second[1])
    }
}
