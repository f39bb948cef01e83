import Testing
import TextLayout

@Suite struct CSVTests {
    @Test func quotesWhatNeedsIt() {
        #expect(CSV.field("plain") == "plain")
        #expect(CSV.field("a,b") == "\"a,b\"")
        #expect(CSV.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSV.field("two\nlines") == "\"two\nlines\"")
        #expect(CSV.field("cr\rhere") == "\"cr\rhere\"")
        #expect(CSV.row(["1", "外科第二党支部", ""]) == "1,外科第二党支部,\r\n")
    }

    /// A cell Excel would run as a formula is defused; a negative number is not.
    @Test func formulasAreDefused() {
        #expect(CSV.field("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(CSV.field("+1+2") == "'+1+2")
        #expect(CSV.field("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSV.field("-cmd") == "'-cmd")
        #expect(CSV.field("-3") == "-3")
        #expect(CSV.field("2026-11-20") == "2026-11-20")
    }
}
