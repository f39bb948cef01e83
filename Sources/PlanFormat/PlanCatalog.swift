import Diagnostics
import Foundation

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
/// (plan ids are unique among loaded plans). Plans with errors are left out;
/// the others stay usable.
public struct PlanCatalog: Sendable {
    public var plans: [Plan]
    public var diagnostics: [Diagnostic]
    /// Paths whose plan was left out because of an error.
    public var rejected: [String]

    public init(plans: [Plan] = [], diagnostics: [Diagnostic] = [], rejected: [String] = []) {
        self.plans = plans
        self.diagnostics = diagnostics
        self.rejected = rejected
    }

    /// Parses the sources in path order, on all cores when there are many.
    public static func load(_ sources: [PlanSource], parser: PlanParser) -> PlanCatalog {
        let sorted = sources.sorted { $0.path < $1.path }
        let results = parseAll(sorted, parser: parser)
        var catalog = PlanCatalog()
        var seen: [String: Plan] = [:]
        for (source, result) in zip(sorted, results) {
            var diagnostics = result.diagnostics
            if var plan = result.plan {
                if let first = seen[plan.id] {
                    diagnostics.append(.error(plan.idLocation, Message(
                        zh: "计划 id“\(plan.id)”重复：已在 \(first.idLocation) 使用；本文件未加载",
                        en: "duplicate plan id '\(plan.id)': already used at \(first.idLocation); this file is not loaded")))
                    catalog.rejected.append(source.path)
                } else {
                    plan.file = source.path
                    seen[plan.id] = plan
                    catalog.plans.append(plan)
                }
            } else {
                catalog.rejected.append(source.path)
            }
            catalog.diagnostics.append(contentsOf: diagnostics)
        }
        return catalog
    }

    private static func parseAll(_ sources: [PlanSource], parser: PlanParser) -> [PlanParser.Result] {
        if sources.count < 64 {
            return sources.map { parser.parse($0.bytes, file: $0.path) }
        }
        let box = ResultBox(count: sources.count)
        DispatchQueue.concurrentPerform(iterations: sources.count) { i in
            box.set(i, parser.parse(sources[i].bytes, file: sources[i].path))
        }
        return box.results.map { $0! }
    }
}

/// Each index is written by exactly one iteration of `concurrentPerform`.
private final class ResultBox: @unchecked Sendable {
    var results: [PlanParser.Result?]
    private let lock = NSLock()
    init(count: Int) { results = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: PlanParser.Result) {
        lock.lock()
        results[i] = r
        lock.unlock()
    }
}
