import TextLayout

/// `--help` laid out for an 80-column terminal, measured in display
/// columns (a Chinese character is two), whatever width the terminal has.
///
/// argument-parser wraps help to the terminal's width counting characters:
/// a Chinese help line is wider on screen than it thinks, and the examples
/// that were written one per line were broken in the middle (a command cut
/// before `--now` no longer pastes). So the help is asked for unwrapped
/// (`columns` huge) and laid out here: the overview, the usage line and
/// the option table are wrapped by `LineWrap`, with the table's hanging
/// indent; the command's discussion (the text and the examples, written by
/// hand within 80 columns, which a test checks) is printed as written.
enum HelpLayout {
    static let width = 80
    /// Where argument-parser starts the description column of its tables.
    static let labelColumn = 26
    /// Asking argument-parser for this many columns means "do not wrap".
    static let unwrapped = 100_000

    static func layout(_ text: String, width: Int = width) -> String {
        var out: [String] = []
        var inTable = false
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            if line.hasPrefix("OVERVIEW: ") {
                out += hanging(line, indent: "OVERVIEW: ".count, width: width)
                inTable = false
            } else if line.hasPrefix("USAGE: ") {
                out += usage(line, width: width)
                inTable = false
            } else if isSectionHeader(line) {
                out.append(line)
                inTable = true
            } else if inTable && line.hasPrefix("  ") {
                out += row(line, width: width)
            } else {
                if line.isEmpty { inTable = false }
                out.append(line)
            }
        }
        return out.joined(separator: "\n")
    }

    /// `ARGUMENTS:`, `OPTIONS:`, `SUBCOMMANDS:` and titled option groups:
    /// an upper-case line ending in a colon.
    static func isSectionHeader(_ line: String) -> Bool {
        guard line.hasSuffix(":"), !line.hasPrefix(" "), line.count > 1 else { return false }
        return line.dropLast().allSatisfy { $0.isUppercase || $0 == " " || $0 == "-" }
    }

    /// A paragraph whose continuation lines are indented `indent` columns.
    static func hanging(_ line: String, indent: Int, width: Int) -> [String] {
        guard DisplayWidth.of(line) > width else { return [line] }
        let head = String(line.prefix(indent))
        let body = LineWrap.wrap(String(line.dropFirst(indent)), width: width - indent)
        let pad = String(repeating: " ", count: indent)
        return body.enumerated().map { ($0.offset == 0 ? head : pad) + $0.element }
    }

    /// `USAGE: plankeeper done [--config <FILE>] …`, broken between whole
    /// `[…]` and `<…>` groups, continuation lines under the first argument.
    static func usage(_ line: String, width: Int) -> [String] {
        guard DisplayWidth.of(line) > width else { return [line] }
        var tokens: [String] = []
        var current = ""
        var depth = 0
        for character in line {
            if character == "[" || character == "<" { depth += 1 }
            if character == "]" || character == ">" { depth = max(0, depth - 1) }
            if character == " " && depth == 0 {
                if !current.isEmpty { tokens.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        // "USAGE:", the command path (words without brackets), then arguments.
        var prefixCount = 1
        while prefixCount < tokens.count, !tokens[prefixCount].hasPrefix("["), !tokens[prefixCount].hasPrefix("<"),
            !tokens[prefixCount].hasPrefix("-")
        {
            prefixCount += 1
        }
        let head = tokens[..<prefixCount].joined(separator: " ")
        let indent = min(DisplayWidth.of(head) + 1, width / 2)
        var lines: [String] = []
        var pending = head
        for token in tokens[prefixCount...] {
            if DisplayWidth.of(pending) + 1 + DisplayWidth.of(token) > width, DisplayWidth.of(pending) > indent {
                lines.append(pending)
                pending = String(repeating: " ", count: indent) + token
            } else {
                pending += " " + token
            }
        }
        lines.append(pending)
        return lines
    }

    /// One row of an argument table: the label, then the description from
    /// column 26, wrapped under itself. A continuation line (only spaces
    /// before column 26) is wrapped the same way.
    static func row(_ line: String, width: Int) -> [String] {
        guard DisplayWidth.of(line) > width else { return [line] }
        // An option's own discussion, indented under it: wrapped under itself.
        let leading = line.prefix { $0 == " " }.count
        if leading > 2 && leading < labelColumn {
            let pad = String(repeating: " ", count: leading)
            return LineWrap.wrap(String(line.dropFirst(leading)), width: width - leading).map { pad + $0 }
        }
        let characters = Array(line)
        let labelEnd = min(labelColumn, characters.count)
        let label = String(characters[..<labelEnd])
        // A label longer than the column: argument-parser puts the text on
        // the next line already; keep the label line, wrap what follows it.
        guard label.last == " " || label.allSatisfy({ $0 == " " }) else {
            return [line]
        }
        let description = String(characters[labelEnd...])
        let pad = String(repeating: " ", count: labelColumn)
        let wrapped = LineWrap.wrap(description, width: width - labelColumn)
        return wrapped.enumerated().map { ($0.offset == 0 ? label : pad) + $0.element }
    }
}
