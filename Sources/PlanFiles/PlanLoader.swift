import Diagnostics
import Foundation
import PlanFormat
import Scheduling
import Vocabulary
import WorkCalendar

/// The edge between files and the pure core: finds plan files, reads them
/// with a size cap, reads the admin's holiday folder, and hands bytes to the
/// parser. Everything it cannot read becomes a diagnostic, never a crash.
public struct PlanLoader {
    public struct Loaded: Sendable {
        public var catalog: PlanCatalog
        public var calendar: WorkdayCalendar
        public var holidayDiagnostics: [Diagnostic]
        public var fileCount: Int
        /// The admin's holiday lists the calendar was built from.
        public var adminYears: [HolidayYear] = []

        public var diagnostics: [Diagnostic] { holidayDiagnostics + catalog.diagnostics }
        public var expander: ScheduleExpander { ScheduleExpander(calendar: calendar) }
    }

    public static func planFiles(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        let fm = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw UsageError(description: "\(path): no such file or directory（文件或目录不存在）")
            }
            if isDirectory.boolValue {
                let names = (try? fm.contentsOfDirectory(atPath: path)) ?? []
                let base = path.hasSuffix("/") ? String(path.dropLast()) : path
                files += names.filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && !$0.hasPrefix(".") }
                    .sorted().map { "\(base)/\($0)" }
            } else {
                files.append(path)
            }
        }
        return files
    }

    /// Reads at most the size cap plus one byte, so a huge file is refused
    /// without loading it; a FIFO, socket, device or folder is refused
    /// without blocking (`RegularFile`).
    public static func read(_ path: String) -> Result<[UInt8], Diagnostic> {
        RegularFile.read(path, limit: 1 << 20)
    }

    /// The admin's holiday folder: `--holidays`, else `$PLANKEEPER_HOLIDAYS`,
    /// else `/etc/plankeeper/holidays` when it exists.
    public static func holidayFolder(_ option: String?) -> String? {
        if let option { return option }
        if let env = ProcessInfo.processInfo.environment["PLANKEEPER_HOLIDAYS"], !env.isEmpty { return env }
        let standard = "/etc/plankeeper/holidays"
        return FileManager.default.fileExists(atPath: standard) ? standard : nil
    }

    /// A folder that does not exist (yet) holds no years: the admin creates it
    /// when the first list is needed.
    public static func adminHolidays(_ folder: String?) -> ([HolidayYear], [Diagnostic]) {
        guard let folder, FileManager.default.fileExists(atPath: folder) else { return ([], []) }
        var years: [HolidayYear] = []
        var diagnostics: [Diagnostic] = []
        let files: [String]
        do {
            files = try planFiles([folder])
        } catch {
            return (
                [],
                [
                    .error(
                        SourceLocation(file: folder, line: 1, column: 1),
                        Message(zh: "节假日目录不存在", en: "holiday folder does not exist")
                    )
                ]
            )
        }
        for file in files {
            switch read(file) {
            case .failure(let d): diagnostics.append(d)
            case .success(let bytes):
                let (year, ds) = HolidayYear.parse(bytes, file: file)
                diagnostics += ds
                if let year { years.append(year) }
            }
        }
        return (years.sorted { $0.year < $1.year }, diagnostics)
    }

    public static func load(paths: [String], holidays: String?) throws -> Loaded {
        var cache = ParseCache()
        return try load(paths: paths, holidays: holidays, cache: &cache)
    }

    /// As `load(paths:holidays:)`, parsing only the files whose bytes differ
    /// from what `cache` saw (the daemon's reload after an edit).
    public static func load(paths: [String], holidays: String?, cache: inout ParseCache) throws -> Loaded {
        let (admin, holidayDiagnostics) = adminHolidays(holidayFolder(holidays))
        let official = Set(ShippedHolidays.years.map(\.year) + admin.map(\.year))
        let files = try planFiles(paths)
        var sources: [PlanSource] = []
        var readErrors: [Diagnostic] = []
        var unreadable: [String] = []
        for file in files {
            switch read(file) {
            case .success(let bytes): sources.append(PlanSource(path: file, bytes: bytes))
            case .failure(let d):
                readErrors.append(d)
                unreadable.append(file)
            }
        }
        // A template may name a roster outside the given paths (`check t.yaml`): read it on request.
        var catalog = PlanCatalog.load(
            sources,
            parser: PlanParser(officialYears: official),
            reading: { try? read($0).get() },
            cache: &cache
        )
        catalog.diagnostics = readErrors + catalog.diagnostics
        catalog.rejected += unreadable
        let range = WorkdayCalendar.years(forPlanYears: catalog.plans.map(\.year))
        let calendar = WorkdayCalendar.standard(adminYears: admin, covering: range)
        return Loaded(
            catalog: catalog,
            calendar: calendar,
            holidayDiagnostics: holidayDiagnostics,
            fileCount: files.count,
            adminYears: admin
        )
    }
}
