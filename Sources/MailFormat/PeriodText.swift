/// Plan periods (`2026-11`, `2026-Q4`, `2026-H2`, `2026`) as a reader says
/// them. Anything else is shown as written: a period the formatter does not
/// know must still reach the reader unchanged rather than be guessed at.
enum PeriodText {
    static func render(_ period: String, language: MailLanguage) -> String {
        let u = Array(period.utf8)
        func number(_ s: ArraySlice<UInt8>) -> Int? {
            guard !s.isEmpty, s.count <= 4, s.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
            return s.reduce(0) { $0 * 10 + Int($1 - 48) }
        }
        guard u.count >= 4, let year = number(u[0..<4]) else { return period }
        if u.count == 4 { return language == .zh ? "\(year) 年度" : "year \(year)" }
        guard u.count >= 6, u[4] == UInt8(ascii: "-") else { return period }
        let rest = u[5...]
        if rest.count == 2, let month = number(rest), (1...12).contains(month) {
            return language == .zh ? "\(year) 年 \(month) 月" : "\(monthNames[month - 1]) \(year)"
        }
        if rest.count == 2, let n = number(rest.dropFirst()) {
            switch (rest.first, n) {
            case (UInt8(ascii: "Q"), 1...4):
                return language == .zh ? "\(year) 年第\(["一", "二", "三", "四"][n - 1])季度" : "Q\(n) \(year)"
            case (UInt8(ascii: "H"), 1...2):
                return language == .zh
                    ? "\(year) 年\(n == 1 ? "上" : "下")半年" : "\(n == 1 ? "first" : "second") half of \(year)"
            default: break
            }
        }
        return period
    }

    private static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]
}
