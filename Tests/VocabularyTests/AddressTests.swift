import Testing
import Vocabulary

@Suite struct AddressTests {
    @Test func parsesNameAndAddress() {
        #expect(
            Address.parse("王五 <wangwu@hospital.example>") == Address(name: "王五", address: "wangwu@hospital.example")
        )
        // Blanks around the whole and before `<`, full-width ones too.
        #expect(Address.parse("\u{3000} 党委办公室\u{3000}<dangban@hospital.example> ")?.name == "党委办公室")
        #expect(Address.parse("Wang, Wu <wangwu@hospital.example>")?.name == "Wang, Wu")
    }

    @Test func refusesWhatIsNotAMailbox() {
        for bad in [
            "", "王五", "<wangwu@hospital.example>", "王五 <wangwu>", "王五 <@hospital.example>", "王五 <wangwu@>",
            "王五 <wang wu@hospital.example>", "王五 <wangwu@-hospital.example>", "王五 <wangwu@hospital.example->",
            "\"王五\" <wangwu@hospital.example>", "王五 <wangwu@hospital.example", "王五 <王五@hospital.example>",
            "王五 <wangwu@hospital..example>",
        ] {
            #expect(Address.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func aBareAddressOnlyWhereNoNameIsRequired() {
        #expect(Address.parse("office@hospital.example") == nil)
        #expect(
            Address.parse("office@hospital.example", requireName: false)
                == Address(name: "", address: "office@hospital.example")
        )
        #expect(Address.parse("<office@hospital.example>", requireName: false)?.address == "office@hospital.example")
        #expect(Address.parse("office", requireName: false) == nil)
    }

    @Test func addressesCompareWithoutCase() {
        let a = Address(name: "王五", address: "WangWu@Hospital.Example")
        let b = Address(name: "王五", address: "wangwu@hospital.example")
        #expect(a == b)
        #expect(Set([a, b]).count == 1)
        #expect(a != Address(name: "王 五", address: "wangwu@hospital.example"))
        #expect(a.description == "王五 <WangWu@Hospital.Example>")
    }

    @Test func aConfiguredSenderIsSplitWithoutJudgingIt() {
        let from = Address(mailbox: "党建工作计划提醒 <plankeeper@hospital.example>", defaultName: "plankeeper")
        #expect(from == Address(name: "党建工作计划提醒", address: "plankeeper@hospital.example"))
        #expect(from.domain == "hospital.example")
        #expect(
            Address(mailbox: "plankeeper@localhost", defaultName: "plankeeper")
                == Address(name: "plankeeper", address: "plankeeper@localhost")
        )
        #expect(Address(name: "", address: "nobody").domain == "nobody")
    }
}
