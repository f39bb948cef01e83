import Foundation
import Testing
@testable import WebDesk

@Suite struct TemplateTests {
    @Test func noTemplateWritesUnescapedValues() throws {
        for (name, _) in Pages.sources {
            let text = try #require(Pages.source(name))
            #expect(!text.contains("{{{"), "\(name) has a triple-brace value")
            #expect(!text.contains("{{&"), "\(name) has an unescaped value")
            #expect(!text.contains("style="), "\(name) has an inline style, which the CSP refuses")
            #expect(
                !text.contains("onclick") && !text.contains("onsubmit") && !text.contains("javascript:"),
                "\(name) has inline script"
            )
        }
    }

    @Test func everyWordATemplateUsesExistsInBothLanguages() throws {
        for (name, _) in Pages.sources {
            let text = try #require(Pages.source(name))
            var rest = Substring(text)
            while let range = rest.range(of: "{{t.") {
                let after = rest[range.upperBound...]
                let key = String(after.prefix { $0.isLetter || $0.isNumber })
                #expect(Words.zh[key] != nil && Words.en[key] != nil, "\(name) uses t.\(key)")
                rest = after
            }
        }
    }

    @Test func everyPostFormCarriesTheTokenFirst() throws {
        for (name, _) in Pages.sources {
            let text = try #require(Pages.source(name))
            for form in text.components(separatedBy: "<form").dropFirst()
            where form.prefix(200).contains("method=\"post\"") {
                let firstInput = form.components(separatedBy: "<input").dropFirst().first ?? ""
                #expect(firstInput.contains("name=\"_csrf\""), "\(name): a POST form whose first field is not _csrf")
            }
        }
    }
}

@Suite struct HTMLTextTests {
    @Test func escapesTheFiveCharactersMustacheDoes() {
        #expect(HTMLText.escape(#"<a href="x">'&'</a>"#) == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        #expect(HTMLText.escape("外科第二党支部 · 2026-11") == "外科第二党支部 · 2026-11")
        #expect(HTMLText.escape("") == "")
        #expect(HTMLText.escape("会议<纪要>") == "会议&lt;纪要&gt;")
    }

    @Test func everyDeskTemplateUsesIt() throws {
        for (name, _) in Pages.sources {
            #expect(try #require(Pages.source(name)).hasPrefix("{{% CONTENT_TYPE: HTML5 }}"), "\(name)")
        }
    }
}
