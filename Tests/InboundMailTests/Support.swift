import Foundation
import WorkCalendar

@testable import InboundMail

enum Fixture {
    static func bytes(_ name: String) throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return Array(try Data(contentsOf: url))
    }

    static func message(_ name: String) throws -> InboundMessage { InboundMessage.parse(try bytes(name)) }

    /// The day the fixtures' replies were written.
    static let today = CivilDate(year: 2026, month: 11, day: 20)!

    static func date(_ text: String) -> CivilDate { CivilDate(iso: text)! }

    /// A raw message from lines (joined with CRLF).
    static func raw(_ lines: String...) -> [UInt8] { Array(lines.joined(separator: "\r\n").utf8) }
}
