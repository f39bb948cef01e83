import Testing

@testable import TextLayout

@Suite struct LineWrapTests {
    @Test func everyLineFitsInDisplayColumnsAndNothingIsLost() {
        let text = "配置文件 (configuration file; default $PLANKEEPER_CONFIG or /etc/plankeeper/plankeeper.yaml)."
        let lines = LineWrap.wrap(text, width: 36)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 36 }, "\(lines)")
        #expect(lines.joined(separator: " ") == text)
        #expect(lines.first == "配置文件 (configuration file;")
    }

    @Test func chineseWithoutSpacesBreaksBetweenCharactersButNotBeforePunctuation() {
        let lines = LineWrap.wrap("日期不在周期内也登记，并记入日志", width: 20)
        #expect(lines == ["日期不在周期内也登", "记，并记入日志"])
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 20 })
        // "也登记" fills 6 columns, but "，" may not start a line: "记" goes down with it.
        let tight = LineWrap.wrap("也登记，并记入", width: 6)
        #expect(tight == ["也登", "记，并", "记入"])
    }

    @Test func aLineThatFitsIsKeptAsItIs() {
        #expect(
            LineWrap.wrap("plankeeper done surgery-2-2026 committee 2026-11", width: 80)
                == ["plankeeper done surgery-2-2026 committee 2026-11"]
        )
    }

    @Test func aWordWiderThanTheLineIsCut() {
        let lines = LineWrap.wrap("/etc/plankeeper/plankeeper.yaml", width: 10)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 10 })
        #expect(lines.joined() == "/etc/plankeeper/plankeeper.yaml")
    }

    @Test func newlinesAreKept() {
        #expect(LineWrap.wrap("一\n二", width: 10) == ["一", "二"])
    }
}
