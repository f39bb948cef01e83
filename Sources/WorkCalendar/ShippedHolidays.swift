/// The official lists shipped inside the binary (from `Holidays/*.yaml`,
/// embedded at build time), so an installed binary needs no data folder.
/// Admins add or override years with files of the same format.
public enum ShippedHolidays {
    public static let files: [(name: String, bytes: [UInt8])] = [
        ("cn-2024.yaml", PackageResources.cn_2024_yaml),
        ("cn-2025.yaml", PackageResources.cn_2025_yaml),
        ("cn-2026.yaml", PackageResources.cn_2026_yaml),
    ]

    /// Parsed once; a shipped file that fails to parse is a build defect the
    /// tests catch, and it is skipped rather than trapping at run time.
    public static let years: [HolidayYear] = files.compactMap { file in
        var (year, _) = HolidayYear.parse(file.bytes, file: "built-in:" + file.name)
        year?.origin = "built-in"
        return year
    }
}
