/// The kinds of period a plan counts in. The raw values are the plan and
/// configuration words (`every: half-year`).
public enum Period: String, Sendable, CaseIterable, Hashable {
    case month
    case quarter
    case halfYear = "half-year"
    case year

    public var monthsLong: Int {
        switch self {
        case .month: 1
        case .quarter: 3
        case .halfYear: 6
        case .year: 12
        }
    }
}
