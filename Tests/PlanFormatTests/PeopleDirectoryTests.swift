import Diagnostics
import PlanFormat
import Testing
import Vocabulary

@Suite struct PeopleDirectoryTests {
    func parse(_ text: String) -> (PeopleDirectory?, [Diagnostic]) {
        PeopleDirectory.parse(Array(text.utf8), file: "people.yaml")
    }

    func errors(_ text: String) -> [String] {
        parse(text).1.filter { $0.severity == .error }.map { $0.rendered(in: .en) }
    }

    @Test func readsPeopleAndFindsThemByIdAndAddress() throws {
        let (directory, diagnostics) = parse(
            """
            people:
              - id: wangwu
                name: 王五
                email: WangWu@Hospital.example
                wecom: WangWu
                dingtalk: "0123456789"
                mobile: "13800001111"
              - id: dangban
                name: 党委办公室
                email: dangban@hospital.example
            """
        )
        #expect(diagnostics.isEmpty)
        let d = try #require(directory)
        #expect(d.people.map(\.id) == ["wangwu", "dangban"])
        let wangwu = try #require(d.person(id: "wangwu"))
        #expect(
            wangwu.name == "王五" && wangwu.wecom == "WangWu" && wangwu.dingtalk == "0123456789"
                && wangwu.mobile == "13800001111"
        )
        #expect(wangwu.location == SourceLocation(file: "people.yaml", line: 2, column: 5))
        #expect(d.person(email: "wangwu@hospital.EXAMPLE")?.id == "wangwu")
        #expect(d.person(email: "nobody@hospital.example") == nil)
        #expect(wangwu.field("wecom") == "WangWu")
        #expect(wangwu.field("feishu") == nil)
        #expect(d.person(id: "dangban")?.wecom == nil)
    }

    @Test func malformedValuesAtTheirPositions() {
        #expect(
            errors(
                """
                people:
                  - id: Wang_Wu
                    name: 王五
                  - id: lisi
                    name: 李四
                    email: lisi-at-hospital
                    wecom: "-lisi"
                    mobile: 1380000111
                  - id: zhaoliu
                    name: 赵六
                    dingtalk: 赵六
                    mobile: "23800001111"
                    phone: x
                """
            ) == [
                "people.yaml:2:9: error: person id 'Wang_Wu' is not valid: use lowercase letters, digits and '-', starting with a letter or digit, at most 64 characters",
                "people.yaml:6:12: error: email address 'lisi-at-hospital' is not valid; write user@host, e.g. wangwu@hospital.example",
                "people.yaml:7:12: error: WeCom id '-lisi' is not valid; a WeCom UserID has letters, digits and _-@. only, starts with a letter or digit, at most 64 characters",
                "people.yaml:8:13: error: mobile number '1380000111' is not valid; must be an 11-digit mainland China mobile number, e.g. \"13800001111\" (quoted)",
                "people.yaml:13:5: error: unknown key 'phone'; expected one of: id, name, email, wecom, dingtalk, mobile",
                "people.yaml:11:15: error: DingTalk id '赵六' is not valid; a DingTalk userid has letters, digits and _-@. only, starts with a letter or digit, at most 64 characters",
                "people.yaml:12:13: error: mobile number '23800001111' is not valid; must be an 11-digit mainland China mobile number, e.g. \"13800001111\" (quoted)",
            ]
        )
    }

    @Test func duplicatesPointAtTheFirst() {
        let e = errors(
            """
            people:
              - id: wangwu
                name: 王五
                email: wangwu@hospital.example
                wecom: WangWu
                mobile: "13800001111"
              - id: wangwu
                name: 王五（重复）
              - id: wangwu2
                name: 王五二
                email: WANGWU@hospital.example
                wecom: wangwu
                mobile: "13800001111"
            """
        )
        #expect(
            e == [
                "people.yaml:7:9: error: duplicate person id 'wangwu' (first written at line 2, column 9)",
                "people.yaml:11:12: error: duplicate email address 'WANGWU@hospital.example' (first written at line 4, column 12)",
                "people.yaml:12:12: error: duplicate WeCom id 'wangwu' (first written at line 5, column 12)",
                "people.yaml:13:13: error: duplicate mobile number '13800001111' (first written at line 6, column 13)",
            ]
        )
        #expect(parse("people:\n  - id: a\n    name: A\n    email: a@h.example\n  - id: a\n    name: B\n").0 == nil)
    }

    @Test func requiredKeysAndShape() {
        #expect(
            errors("people:\n  - id: a\n  - name: B\n") == [
                "people.yaml:2:5: error: a person needs 'name'",
                "people.yaml:3:5: error: a person needs 'id'",
            ]
        )
        #expect(
            errors("- id: a\n") == [
                "people.yaml:1:1: error: the people directory must be a mapping (key: value), not a list"
            ]
        )
        #expect(errors("peple: []\n").first == "people.yaml:1:1: error: unknown key 'peple'; did you mean 'people'?")
        #expect(parse("").0?.isEmpty == true)
        #expect(parse("people: []\n").0?.isEmpty == true)
    }

    @Test func aPersonWithoutAnyAddressIsAWarning() throws {
        let (d, diagnostics) = parse("people:\n  - id: a\n    name: A\n")
        #expect(d?.person(id: "a") != nil)
        #expect(
            diagnostics.map { $0.rendered(in: .en) } == [
                "people.yaml:2:5: warning: 'a' has no way to be reached (email, wecom, dingtalk or mobile)"
            ]
        )
    }

    @Test func resolvesReferencesWithSuggestions() throws {
        let d = PeopleDirectory([
            Person(
                id: "wangwu",
                name: "王五",
                email: "wangwu@h.example",
                location: SourceLocation(file: "people.yaml", line: 2, column: 5)
            )
        ])
        #expect(PeopleDirectory.reference("@wangwu") == "wangwu")
        #expect(PeopleDirectory.reference("王五 <wangwu@h.example>") == nil)
        let at = SourceLocation(file: "plans/x.yaml", line: 6, column: 14)
        #expect(try d.resolve("wangwu", at: at).get().name == "王五")
        guard case .failure(let typo) = d.resolve("wangwo", at: at) else {
            Issue.record("resolved a typo")
            return
        }
        #expect(
            typo.rendered(in: .en)
                == "plans/x.yaml:6:14: error: no '@wangwo' in the people directory; did you mean '@wangwu'?"
        )
        guard case .failure(let unknown) = d.resolve("zhangsan", at: at) else {
            Issue.record("resolved nobody")
            return
        }
        #expect(unknown.rendered(in: .zh) == "plans/x.yaml:6:14: error: 人员目录中没有“@zhangsan”；请先在 people 文件中添加此人")
    }
}
