import Diagnostics
import Mustache
import Reports
import Vocabulary

/// The page templates (embedded in the binary at build time, so the .deb's
/// one binary needs no data folder) and the one place pages are rendered.
///
/// Mustache escapes every `{{value}}` for HTML; the templates use no
/// triple-brace (unescaped) value, which a test checks, so text from plans,
/// notes and file names can never become markup.
public struct Pages: Sendable {
    let library: MustacheLibrary

    static let sources: [(String, [UInt8])] = [
        ("layout", PackageResources.layout_mustache),
        ("error", PackageResources.error_mustache),
        ("signin", PackageResources.signin_mustache),
        ("signin-sent", PackageResources.signin_sent_mustache),
        ("signin-confirm", PackageResources.signin_confirm_mustache),
        ("me", PackageResources.me_mustache),
        ("todo", PackageResources.todo_mustache),
        ("record", PackageResources.record_mustache),
        ("recorded", PackageResources.recorded_mustache),
        ("ledger", PackageResources.ledger_mustache),
        ("board", PackageResources.board_mustache),
        ("report", PackageResources.report_mustache),
    ]

    static let css = PackageResources.desk_css
    static let reportCSS = Array(ReportTemplates.css.utf8)
    static let script = PackageResources.desk_js
    /// Changes whenever the CSS or the script does, so browsers may cache them for a year.
    static let assetVersion = String(StableHash.of(bytes: css + script + reportCSS), radix: 36)

    /// Parses every template; a template that does not parse is a build
    /// defect that the tests catch.
    public init() throws {
        HTMLText.register()
        var library = MustacheLibrary()
        for (name, bytes) in Self.sources {
            try library.register(String(decoding: bytes, as: UTF8.self), named: name)
        }
        // The period report's body: the same template as `report --format html`.
        for (name, text) in ReportTemplates.sources where name == "report-body" {
            try library.register(text, named: name)
        }
        self.library = library
    }

    /// The template's text, for tests that read them.
    static func source(_ name: String) -> String? {
        sources.first { $0.0 == name }.map { String(decoding: $0.1, as: UTF8.self) }
    }

    func render(_ name: String, _ model: [String: Any]) -> String {
        library.render(model, withTemplate: name) ?? ""
    }
}

/// What every page's frame (header, navigation, footer) needs.
struct Chrome {
    var language: Language
    var viewer: Viewer?
    var formToken: String
    var path: String
    var today: String
    var current: String

    var model: [String: Any] {
        var m: [String: Any] = [
            "htmlLang": Texts.htmlLang.text(in: language),
            "t": Words.table(language),
            "assetVersion": Pages.assetVersion,
            "formToken": formToken,
            "path": path,
            "otherLang": Texts.otherLanguageCode.text(in: language),
            "today": today,
            "signedIn": viewer != nil,
            "supervisor": viewer?.isSupervisor ?? false,
        ]
        m["nav" + current] = true
        if let viewer { m["viewerName"] = viewer.displayName }
        return m
    }
}
