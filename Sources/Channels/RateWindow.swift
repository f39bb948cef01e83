/// A service's limit: at most `count` messages in any `seconds`-long window.
/// Written in the configuration as `20/1m`, `1000/1h`, `30/60s`.
public struct RateWindow: Sendable, Hashable, CustomStringConvertible {
    public var count: Int
    public var seconds: Int64

    public init(_ count: Int, per seconds: Int64) {
        self.count = max(1, count)
        self.seconds = max(1, seconds)
    }

    /// `20/1m`, `1000/1h`, `5/30s`; nil for anything else.
    public init?(text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let n = Int(parts[0]), n >= 1, n <= 1_000_000 else { return nil }
        let unit = parts[1]
        guard let last = unit.last else { return nil }
        let factor: Int64
        switch last {
        case "s": factor = 1
        case "m": factor = 60
        case "h": factor = 3600
        default: return nil
        }
        let digits = unit.dropLast()
        let amount = digits.isEmpty ? 1 : Int64(digits)
        guard let amount, amount >= 1, amount <= 24 * 3600 else { return nil }
        self.init(n, per: amount * factor)
    }

    public var description: String {
        if seconds % 3600 == 0 { return "\(count)/\(seconds / 3600)h" }
        if seconds % 60 == 0 { return "\(count)/\(seconds / 60)m" }
        return "\(count)/\(seconds)s"
    }
}
