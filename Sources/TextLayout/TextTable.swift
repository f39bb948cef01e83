/// A plain-text table whose columns line up in a terminal whatever mix of
/// Chinese and Latin text they hold. Cells may carry ANSI styling, which is
/// not counted as width.
public struct TextTable: Sendable {
    public enum Alignment: Sendable { case left, right }

    public struct Cell: Sendable {
        public var text: String
        public var style: Style
        public init(_ text: String, _ style: Style = .plain) {
            self.text = text
            self.style = style
        }
    }

    public var alignments: [Alignment]
    public var rows: [[Cell]] = []
    /// Spaces between columns.
    public var gap = 2

    public init(alignments: [Alignment] = []) { self.alignments = alignments }

    public mutating func add(_ cells: [Cell]) { rows.append(cells) }
    public mutating func add(_ texts: String...) { rows.append(texts.map { Cell($0) }) }

    public func render(indent: String = "", colour: Bool) -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], DisplayWidth.of(cell.text)) }
        }
        return rows.map { row in
            var line = indent
            for (i, cell) in row.enumerated() {
                let last = i == row.count - 1
                let right = i < alignments.count && alignments[i] == .right
                let padded =
                    (last && !right) ? cell.text : DisplayWidth.padded(cell.text, to: widths[i], alignRight: right)
                line += colour ? cell.style.apply(padded) : padded
                if !last { line += String(repeating: " ", count: gap) }
            }
            return line
        }
    }
}

/// A few ANSI styles, applied only when writing to a terminal.
public enum Style: Sendable {
    case plain, bold, dim, red, green, yellow, blue, cyan, boldRed

    public func apply(_ s: String) -> String {
        let code: String
        switch self {
        case .plain: return s
        case .bold: code = "1"
        case .dim: code = "2"
        case .red: code = "31"
        case .green: code = "32"
        case .yellow: code = "33"
        case .blue: code = "34"
        case .cyan: code = "36"
        case .boldRed: code = "1;31"
        }
        return "\u{1B}[\(code)m\(s)\u{1B}[0m"
    }
}
