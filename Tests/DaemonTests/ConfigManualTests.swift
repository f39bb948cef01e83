import Foundation
import Testing

@testable import Config

/// Every key the configuration accepts is described in plankeeper.yaml(5),
/// the page `man 5 plankeeper.yaml` opens on a server: a key added to the
/// parser and not to the page fails here.
@Suite struct ConfigManualTests {
    static let manual = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().appendingPathComponent("../../man/plankeeper.yaml.5").standardized

    @Test func everyKeyHasItsEntry() throws {
        let page = try String(contentsOf: Self.manual, encoding: .utf8)
        let keys = DaemonConfig.topKeys + DaemonConfig.mailKeys + DaemonConfig.smtpKeys + DaemonConfig.reportKeys
        let missing = Set(keys).filter { key in
            !page.contains("\n.BR \(key.replacingOccurrences(of: "-", with: "\\-")): ")
        }
        #expect(
            missing.isEmpty,
            "keys of the configuration not described in man/plankeeper.yaml.5: \(missing.sorted())"
        )
    }
}
