import Diagnostics
import Foundation
import Synchronization
import Vocabulary
import YAMLSource

/// A plan file as read from disk by the caller: the core never opens files.
public struct PlanSource: Sendable {
    public var path: String
    public var bytes: [UInt8]
    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }
}

/// Every plan loaded from a set of files, with the checks that span files
/// (plan ids are unique among loaded plans; a template meets its roster).
/// Plans with errors are left out; the others stay usable.
public struct PlanCatalog: Sendable {
    public var plans: [Plan]
    public var diagnostics: [Diagnostic]
    /// Paths whose plan was left out because of an error. A template is
    /// listed when any of its branches' plans was left out, and a roster when
    /// it has an error, so a daemon can keep the last good version of what
    /// is missing.
    public var rejected: [String]
    /// The templates applied, in path order, for a summary line each.
    public var templates: [TemplateSummary]

    public init(
        plans: [Plan] = [],
        diagnostics: [Diagnostic] = [],
        rejected: [String] = [],
        templates: [TemplateSummary] = []
    ) {
        self.plans = plans
        self.diagnostics = diagnostics
        self.rejected = rejected
        self.templates = templates
    }

    /// Parses the sources in path order, on all cores when there are many.
    public static func load(_ sources: [PlanSource], parser: PlanParser) -> PlanCatalog {
        load(sources, parser: parser, reading: { _ in nil })
    }

    /// As `load(_:parser:)`; `read` is asked for a roster that a template
    /// names but that is not among `sources` (`plankeeper check t.yaml` with
    /// `roster: roster.yaml` beside it). It is the caller's file access: the
    /// catalog itself reads nothing.
    public static func load(
        _ sources: [PlanSource],
        parser: PlanParser,
        reading read: (String) -> [UInt8]?
    ) -> PlanCatalog {
        var cache = ParseCache()
        return load(sources, parser: parser, reading: read, cache: &cache)
    }

    /// As `load(_:parser:reading:)`, reusing the parse of every source whose
    /// bytes are those `cache` saw last time (the cache then holds this
    /// load's sources). A daemon reloading a city after one edit parses one
    /// file, not two thousand; the cross-file checks still see every file.
    public static func load(
        _ sources: [PlanSource],
        parser: PlanParser,
        reading read: (String) -> [UInt8]?,
        cache: inout ParseCache
    ) -> PlanCatalog {
        let sorted = sources.sorted { $0.path < $1.path }
        let parsed = cache.parse(sorted, parser: parser)
        var byPath: [String: Int] = [:]
        for (i, source) in sorted.enumerated() { byPath[Self.normalize(source.path)] = i }
        /// Rosters read through `read`, parsed once however many templates use them.
        var outside: [String: PlanParser.ParsedFile?] = [:]

        var catalog = PlanCatalog()
        var seen: [String: Plan] = [:]
        func add(_ plans: [Plan], from path: String, _ diagnostics: inout [Diagnostic]) -> Bool {
            var complete = true
            for var plan in plans {
                if let first = seen[plan.id] {
                    diagnostics.append(
                        .error(
                            plan.idLocation,
                            Message(
                                zh:
                                    "计划 id“\(plan.id)”重复：已在 \(first.idLocation) 使用；\(plan.origin == nil ? "本文件" : "该支部的计划")未加载",
                                en:
                                    "duplicate plan id '\(plan.id)': already used at \(first.idLocation); \(plan.origin == nil ? "this file" : "this branch's plan") is not loaded"
                            )
                        )
                    )
                    complete = false
                } else {
                    if plan.origin == nil { plan.file = path }
                    seen[plan.id] = plan
                    catalog.plans.append(plan)
                }
            }
            return complete
        }

        for (source, result) in zip(sorted, parsed) {
            var diagnostics = result.diagnostics
            var complete = true
            switch result {
            case .plan(let r):
                complete = r.plan.map { add([$0], from: source.path, &diagnostics) } ?? false
            case .roster(let roster, _):
                complete = !diagnostics.hasErrors && roster != nil
            case .template(nil, _):
                complete = false
            case .template(let template?, _):
                var rosterPath = Self.resolve(template.rosterReference.text, from: source.path)
                let found: PlanParser.ParsedFile?
                if let i = byPath[rosterPath] {
                    found = parsed[i]
                    rosterPath = sorted[i].path  // as the caller named it, like every other message
                } else {
                    if outside[rosterPath] == nil {
                        let file = read(rosterPath).map { parser.parseFile($0, file: rosterPath) }
                        outside[rosterPath] = .some(file)
                        // A roster outside the loaded paths reports its own problems once, here.
                        diagnostics += file?.diagnostics ?? []
                    }
                    found = outside[rosterPath] ?? nil
                }
                let node = template.rosterReference.node
                let at = SourceLocation(file: source.path, line: node.line, column: node.column)
                switch found {
                case .roster(let roster?, _)?:
                    let expansion = TemplateExpander(template: template, file: source.path, roster: roster).expand()
                    diagnostics += expansion.diagnostics
                    let before = catalog.plans.count
                    // A template with an error of its own is checked against the roster, but loads nothing.
                    let usable = !result.diagnostics.hasErrors
                    complete =
                        usable && add(expansion.plans, from: source.path, &diagnostics) && !expansion.incomplete
                        && !(found?.diagnostics.hasErrors ?? false)
                    catalog.templates.append(
                        TemplateSummary(
                            id: template.id,
                            file: source.path,
                            roster: rosterPath,
                            year: template.year,
                            branches: expansion.selected,
                            plans: catalog.plans.count - before
                        )
                    )
                case .roster(nil, _)?:
                    diagnostics.append(
                        .error(
                            at,
                            Message(
                                zh: "名册 \(rosterPath) 有错误，模板未展开",
                                en: "the roster \(rosterPath) has errors; the template is not applied"
                            )
                        )
                    )
                    complete = false
                case .plan(let r)? where r.diagnostics.hasErrors:
                    diagnostics.append(
                        .error(
                            at,
                            Message(
                                zh: "名册 \(rosterPath) 有错误，模板未展开",
                                en: "the roster \(rosterPath) has errors; the template is not applied"
                            )
                        )
                    )
                    complete = false
                case .plan?, .template?:
                    diagnostics.append(
                        .error(
                            at,
                            Message(
                                zh: "\(rosterPath) 不是名册文件（名册要有 name 和 branches 或 units）",
                                en: "\(rosterPath) is not a roster file (a roster has 'name' and 'branches' or 'units')"
                            )
                        )
                    )
                    complete = false
                case nil:
                    diagnostics.append(
                        .error(
                            at,
                            Message(
                                zh: "找不到名册文件 \(rosterPath)（路径相对于本模板所在目录）",
                                en:
                                    "cannot find the roster file \(rosterPath) (the path is relative to this template's folder)"
                            )
                        )
                    )
                    complete = false
                }
            }
            if !complete { catalog.rejected.append(source.path) }
            catalog.diagnostics.append(contentsOf: diagnostics.uniqued())
        }
        return catalog
    }

    /// `ref` as seen from the folder of `file`; both as the caller named
    /// them, so the result matches the paths of the other sources.
    static func resolve(_ ref: String, from file: String) -> String {
        if ref.hasPrefix("/") { return normalize(ref) }
        guard let slash = file.lastIndex(of: "/") else { return normalize(ref) }
        return normalize(String(file[...slash]) + ref)
    }

    /// `plans/./a/../roster.yaml` → `plans/roster.yaml`, by text alone (no
    /// file system: the core reads none).
    static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." {
                if let last = parts.last, last != ".." {
                    parts.removeLast()
                    continue
                }
                if absolute { continue }
            }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }

    static func parseAll(_ sources: [PlanSource], parser: PlanParser) -> [PlanParser.ParsedFile] {
        if sources.count < 64 {
            return sources.map { parser.parseFile($0.bytes, file: $0.path) }
        }
        let box = ResultBox(count: sources.count)
        // Plain threads rather than `concurrentPerform`: libdispatch's worker
        // threads would start its once-a-second monitor in the daemon
        // (Sources/CQuietExecutor explains).
        let threads = max(1, min(ProcessInfo.processInfo.activeProcessorCount, sources.count / 32))
        let next = Atomic<Int>(0)
        let work: @Sendable () -> Void = {
            while true {
                let i = next.add(1, ordering: .relaxed).oldValue
                guard i < sources.count else { return }
                box.set(i, parser.parseFile(sources[i].bytes, file: sources[i].path))
            }
        }
        let latch = Latch(count: threads - 1)
        for _ in 1..<threads {
            let thread = Thread {
                work()
                latch.countDown()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        work()
        latch.wait()
        return box.results.map { $0 ?? .plan(PlanParser.Result(plan: nil, diagnostics: [])) }
    }
}

/// Waits for a number of threads to finish.
private final class Latch: @unchecked Sendable {
    private let condition = NSCondition()
    private var remaining: Int
    init(count: Int) { remaining = count }
    func countDown() {
        condition.lock()
        remaining -= 1
        condition.broadcast()
        condition.unlock()
    }
    func wait() {
        condition.lock()
        while remaining > 0 { condition.wait() }
        condition.unlock()
    }
}

/// The parse of each file as last loaded, keyed by path and checked against
/// the content (not the modification time: an edit within the same second,
/// or a file restored from a backup, must not be missed). The content is
/// remembered as its length and two independent 64-bit hashes, not as the
/// bytes: a city's folder is megabytes the daemon would otherwise keep.
public struct ParseCache: Sendable {
    struct Fingerprint: Hashable {
        var count: Int
        var a: Int
        var b: Int
        init(_ bytes: [UInt8]) {
            count = bytes.count
            var h1 = Hasher()
            var h2 = Hasher()
            h1.combine(0x5EED_0001 as UInt32)
            h2.combine(0x5EED_0002 as UInt32)
            bytes.withUnsafeBytes { raw in
                h1.combine(bytes: raw)
                h2.combine(bytes: raw)
            }
            a = h1.finalize()
            b = h2.finalize()
        }
    }

    private var entries: [String: (bytes: Fingerprint, parsed: PlanParser.ParsedFile)] = [:]
    private var officialYears: Set<Int>?

    public init() {}

    /// How many files the last `parse` actually parsed (the others were reused).
    public private(set) var lastParsed = 0

    mutating func parse(_ sources: [PlanSource], parser: PlanParser) -> [PlanParser.ParsedFile] {
        // Which years have an official list changes what a file means.
        if officialYears != parser.officialYears { entries = [:] }
        officialYears = parser.officialYears
        var results = [PlanParser.ParsedFile?](repeating: nil, count: sources.count)
        var missing: [Int] = []
        let fingerprints = sources.map { Fingerprint($0.bytes) }
        for (i, source) in sources.enumerated() {
            if let entry = entries[source.path], entry.bytes == fingerprints[i] {
                results[i] = entry.parsed
            } else {
                missing.append(i)
            }
        }
        let fresh = PlanCatalog.parseAll(missing.map { sources[$0] }, parser: parser)
        for (i, parsed) in zip(missing, fresh) { results[i] = parsed }
        lastParsed = missing.count
        let parsed = results.map { $0 ?? .plan(PlanParser.Result(plan: nil, diagnostics: [])) }
        var next: [String: (bytes: Fingerprint, parsed: PlanParser.ParsedFile)] = [:]
        next.reserveCapacity(sources.count)
        for (i, p) in parsed.enumerated() { next[sources[i].path] = (fingerprints[i], p) }
        entries = next
        return parsed
    }
}

/// Each index is written by exactly one thread.
private final class ResultBox: @unchecked Sendable {
    var results: [PlanParser.ParsedFile?]
    private let lock = NSLock()
    init(count: Int) { results = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: PlanParser.ParsedFile) {
        lock.lock()
        results[i] = r
        lock.unlock()
    }
}
