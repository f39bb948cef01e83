/// The seven public holidays of the People's Republic of China, the ones a
/// `before:` schedule can name.
public enum Holiday: String, Sendable, CaseIterable, Hashable {
    case newYear = "元旦"
    case springFestival = "春节"
    case qingming = "清明"
    case labourDay = "劳动节"
    case dragonBoat = "端午"
    case midAutumn = "中秋"
    case nationalDay = "国庆"

    /// Names people also write, accepted as the same holiday.
    static let aliases: [String: Holiday] = [
        "元旦节": .newYear, "新年": .newYear,
        "春节假期": .springFestival,
        "清明节": .qingming,
        "五一": .labourDay, "五一劳动节": .labourDay, "劳动节假期": .labourDay,
        "端午节": .dragonBoat,
        "中秋节": .midAutumn,
        "国庆节": .nationalDay, "十一": .nationalDay,
    ]

    public init?(name: String) {
        guard let h = Holiday(rawValue: name) ?? Holiday.aliases[name] else { return nil }
        self = h
    }

    public var chineseName: String { rawValue }

    public var englishName: String {
        switch self {
        case .newYear: "New Year's Day"
        case .springFestival: "Spring Festival"
        case .qingming: "Qingming Festival"
        case .labourDay: "Labour Day"
        case .dragonBoat: "Dragon Boat Festival"
        case .midAutumn: "Mid-Autumn Festival"
        case .nationalDay: "National Day"
        }
    }

    /// The holiday's own day in a Gregorian year (for 春节, lunar 1/1).
    public func date(in year: Int) -> CivilDate {
        switch self {
        case .newYear: CivilDate(year: year, month: 1, day: 1)!
        case .springFestival: ChineseFestivals.lunarDate(month: 1, day: 1, gregorianYear: year)
        case .qingming: ChineseFestivals.qingming(year)
        case .labourDay: CivilDate(year: year, month: 5, day: 1)!
        case .dragonBoat: ChineseFestivals.lunarDate(month: 5, day: 5, gregorianYear: year)
        case .midAutumn: ChineseFestivals.lunarDate(month: 8, day: 15, gregorianYear: year)
        case .nationalDay: CivilDate(year: year, month: 10, day: 1)!
        }
    }

    /// The statutory days off by the State Council's 全国年节及纪念日放假办法
    /// (2025 revision: 春节 four days from 除夕, 劳动节 two days), used for
    /// years whose yearly arrangement has not been published.
    public func statutoryDays(in year: Int) -> [CivilDate] {
        let day = date(in: year)
        switch self {
        case .springFestival:
            return year >= 2025 ? (-1...2).map { day.adding(days: $0) } : (0...2).map { day.adding(days: $0) }
        case .labourDay:
            return year >= 2025 ? [day, day.adding(days: 1)] : [day]
        case .nationalDay:
            return (0...2).map { day.adding(days: $0) }
        default:
            return [day]
        }
    }
}
