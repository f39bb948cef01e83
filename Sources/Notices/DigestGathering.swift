import WorkCalendar

/// What both digests keep while a tick gathers them: the oldest `limit`
/// lines, and a count of every line, in all and per branch.
///
/// A digest on an open year can stand for tens of thousands of occurrences
/// and a city has thousands of digests; keeping each whole was most of a
/// catching-up tick's memory. The lines are sorted and cut whenever twice
/// the limit have gathered, so memory stays proportional to the limit and
/// the work to n log(limit), and the lines kept are exactly the first
/// `limit` of the whole digest in `order`.
struct DigestGathering<Line: Sendable>: Sendable {
    private(set) var lines: [Line] = []
    private(set) var total = 0
    private(set) var escalated = 0
    private var tallies: [String: BranchTally] = [:]

    mutating func add(
        _ line: Line,
        owner: String,
        due: CivilDate,
        escalated isEscalated: Bool,
        limit: Int?,
        order: (Line, Line) -> Bool
    ) {
        total += 1
        if isEscalated { escalated += 1 }
        if var tally = tallies[owner] {
            tally.overdue += 1
            if isEscalated { tally.escalated += 1 }
            tally.oldestDue = min(tally.oldestDue, due)
            tallies[owner] = tally
        } else {
            tallies[owner] = BranchTally(owner: owner, overdue: 1, escalated: isEscalated ? 1 : 0, oldestDue: due)
        }
        lines.append(line)
        if let limit, lines.count >= 2 * max(1, limit) { cut(to: limit, order: order) }
    }

    /// Sorted, and no longer than `limit`.
    mutating func cut(to limit: Int?, order: (Line, Line) -> Bool) {
        lines.sort(by: order)
        if let limit, lines.count > max(0, limit) { lines.removeSubrange(max(0, limit)...) }
    }

    /// Most overdue first, ties by name.
    var branches: [BranchTally] {
        tallies.values.sorted { $0.overdue != $1.overdue ? $0.overdue > $1.overdue : $0.owner < $1.owner }
    }
}
