import Config
import Daemon
import PlanFiles
import Foundation
import PlankeeperTestSupport
import Spool
import Testing
import Vocabulary

/// `notice-mail: combined` (the default): a person's notices due at the same
/// moment come in one mail, spooled once; `separate` keeps one mail each.
@Suite struct CombinedMailTests {
    static let plans = """
        id: a-2026
        owner: 外科第二党支部
        year: 2026
        contacts:
          secretary: 王五 <wangwu@hospital.example>
        defaults:
          remind: [7d]
          notify: [secretary]
        items:
          - {id: committee, title: 支部委员会会议, every: month, due: 25}
          - {id: group, title: 党小组会, date: 2026-11-25}
          - {id: lecture, title: 党课, date: 2026-11-18}

        """

    func run(
        _ configure: @escaping (inout DaemonConfig) -> Void
    ) throws -> (TickRunner.Report, [String], Scratch, TickRunner) {
        let dir = try Scratch()
        try dir.write("plans/a.yaml", Self.plans)
        let tick = try TickRunnerTests.runner(dir) {
            $0.notices.trackFrom = "2026-11-01"
            configure(&$0)
        }
        var state = PlanState()
        _ = state.reload(folder: dir.path + "/plans", holidays: nil, window: CivilDateWindow.year)
        let report = try tick.run(
            plans: state.plans,
            calendar: state.calendar,
            at: TickRunnerTests().instant("2026-11-18T09:00")
        )
        // January to October are history: one backlog digest, left aside here.
        #expect(report.digests.count == 1)
        return (report, try tick.spool.list(.new).filter { !$0.contains("_backlog_") }, dir, tick)
    }

    @Test func threeNoticesToOnePersonAreOneMail() throws {
        let (report, names, dir, tick) = try run { _ in }
        // 11-18: the 7d reminders of the committee and the group meeting, and the lecture's due day.
        #expect(report.sent.count == 3 && report.combined == 1)
        #expect(names.count == 1 && names[0].hasPrefix("combined_"))
        let text = String(
            decoding: try Data(contentsOf: URL(fileURLWithPath: dir.path + "/spool/new/" + names[0])),
            as: UTF8.self
        )
        #expect(text.contains("X-Plankeeper-Kind: combined\r\n") && text.contains("X-Plankeeper-Count: 3\r\n"))
        #expect(
            text.contains("a-2026/committee/2026-11") && text.contains("a-2026/group/2026")
                && text.contains("a-2026/lecture/2026")
        )
        // Run again: nothing more.
        var state = PlanState()
        _ = state.reload(folder: dir.path + "/plans", holidays: nil, window: CivilDateWindow.year)
        let again = try tick.run(
            plans: state.plans,
            calendar: state.calendar,
            at: TickRunnerTests().instant("2026-11-18T10:00")
        )
        let after = try tick.spool.list(.new).filter { !$0.contains("_backlog_") }
        #expect(again.sent.isEmpty && after.count == 1)
    }

    @Test func separateKeepsOneMailEach() throws {
        let (report, names, _, _) = try run { $0.notices.noticeMail = .separate }
        #expect(report.sent.count == 3 && report.combined == 0)
        #expect(names.count == 3 && !names.contains { $0.hasPrefix("combined_") })
    }
}

import WorkCalendar

enum CivilDateWindow {
    static let year = CivilDate(iso: "2026-11-01")!...CivilDate(iso: "2027-10-31")!
}
