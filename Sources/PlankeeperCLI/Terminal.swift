import Diagnostics
import Foundation
import Vocabulary

/// Where output goes: buffered stdout, stderr, and whether each is a terminal
/// (colour only then, and never when NO_COLOR is set).
enum Terminal {
    static let stdoutIsTTY = isatty(1) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    static let stderrIsTTY = isatty(2) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil

    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Diagnostics in `FILE:LINE:COLUMN: error: …` form, sorted by position.
    static func print(_ diagnostics: [Diagnostic], language: Language) {
        var out = ""
        for d in diagnostics {
            var line = d.rendered(in: language)
            if stderrIsTTY {
                let tag = d.severity == .error ? "\u{1B}[1;31merror:\u{1B}[0m" : "\u{1B}[1;33mwarning:\u{1B}[0m"
                line = "\u{1B}[1m\(d.location):\u{1B}[0m \(tag) \(d.message.text(in: language))"
            }
            out += line + "\n"
        }
        if !out.isEmpty { FileHandle.standardError.write(Data(out.utf8)) }
    }
}

/// Minimal JSON string escaping for output written by hand (fast for
/// hundreds of thousands of occurrences, and key order stays as documented).
enum JSON {
    /// Appends `s` quoted, in place (the schedule of a city is 150,000
    /// objects: no temporary string per field).
    static func append(_ s: String, to out: inout String) {
        if !needsEscape(s) {
            out += "\""
            out += s
            out += "\""
        } else {
            out += string(s)
        }
    }

    /// Whether `s` has a byte JSON must escape; nearly all strings do not.
    static func needsEscape(_ s: String) -> Bool {
        s.utf8.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
    }

    static func string(_ s: String) -> String {
        // Nearly every string (ids, dates, Chinese titles) needs no escape:
        // copy it whole instead of scalar by scalar.
        if !needsEscape(s) {
            return "\"" + s + "\""
        }
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
