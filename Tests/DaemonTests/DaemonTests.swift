import Config
import Daemon
import Diagnostics
import Foundation
import Ledger
import Logging
import Notices
import PlanFiles
import PlankeeperTestSupport
import Scheduling
import Spool
import Testing
import Vocabulary
import WorkCalendar

private func plan(id: String, due: String) -> String {
    """
    id: \(id)
    owner: 外科第二党支部
    year: 2026
    contacts:
      secretary: 王五 <wangwu@hospital.example>
      office: 党委办公室 <dangban@hospital.example>
    defaults:
      remind: [7d]
      notify: [secretary]
      escalate: {after: 3wd, to: [office]}
    items:
      - id: committee
        title: 支部委员会会议
        every: month
        due: \(due)

    """
}

private func window() -> ClosedRange<CivilDate> {
    CivilDate(iso: "2026-11-01")!...CivilDate(iso: "2027-10-31")!
}

@Suite struct PlanStateTests {
    @Test func aBrokenEditKeepsTheLastGoodVersionAndAGoodEditReplacesIt() throws {
        let dir = try Scratch()
        try dir.write("plans/a.yaml", plan(id: "a-2026", due: "25"))
        try dir.write("plans/b.yaml", plan(id: "b-2026", due: "20"))
        var state = PlanState()
        let first = state.reload(folder: dir.path + "/plans", holidays: nil, window: window())
        #expect(first.planCount == 2)
        #expect(first.keptOld.isEmpty)

        // Broken: an unknown day rule. The old a-2026 stays, b-2026 is untouched.
        try dir.write("plans/a.yaml", plan(id: "a-2026", due: "last-thux"))
        let broken = state.reload(folder: dir.path + "/plans", holidays: nil, window: window())
        #expect(broken.keptOld == [dir.path + "/plans/a.yaml"])
        #expect(
            broken.diagnostics.contains { $0.severity == .error && $0.location.line == 15 && $0.location.column == 10 }
        )
        #expect(broken.diff.changes.isEmpty)
        #expect(state.plans.map(\.id).sorted() == ["a-2026", "b-2026"])
        let dueNov = state.occurrences().first { $0.planID == "a-2026" && $0.period == "2026-11" }?.due
        #expect(dueNov == CivilDate(iso: "2026-11-25"))

        // Fixed with a new day: the new version is in force and the diff says what moved.
        try dir.write("plans/a.yaml", plan(id: "a-2026", due: "last-wed"))
        let fixed = state.reload(folder: dir.path + "/plans", holidays: nil, window: window())
        #expect(fixed.keptOld.isEmpty)
        #expect(
            state.occurrences().first { $0.planID == "a-2026" && $0.period == "2026-11" }?.due
                == CivilDate(iso: "2026-11-25")
        )
        #expect(
            state.occurrences().first { $0.planID == "a-2026" && $0.period == "2026-12" }?.due
                == CivilDate(iso: "2026-12-30")
        )
        #expect(!fixed.diff.changes.isEmpty)
    }

    @Test func aRemovedFileRemovesItsPlanAndAMissingFolderKeepsEverything() throws {
        let dir = try Scratch()
        try dir.write("plans/a.yaml", plan(id: "a-2026", due: "25"))
        try dir.write("plans/b.yaml", plan(id: "b-2026", due: "20"))
        var state = PlanState()
        _ = state.reload(folder: dir.path + "/plans", holidays: nil, window: window())
        try FileManager.default.removeItem(atPath: dir.path + "/plans/b.yaml")
        let removed = state.reload(folder: dir.path + "/plans", holidays: nil, window: window())
        #expect(state.plans.map(\.id) == ["a-2026"])
        // b-2026's occurrences inside the window: 2026-11 and 2026-12.
        #expect(removed.diff.changes.count == 2)

        try FileManager.default.removeItem(atPath: dir.path + "/plans")
        let gone = state.reload(folder: dir.path + "/plans", holidays: nil, window: window())
        #expect(state.plans.map(\.id) == ["a-2026"])
        #expect(gone.diagnostics.contains { $0.severity == .error })
    }
}

@Suite struct IncrementalReloadTests {
    @Test func aReloadParsesOnlyTheEditedFileAndDiffsOnlyItsPlan() throws {
        let dir = try Scratch()
        for i in 0..<20 { try dir.write("plans/p\(i).yaml", plan(id: "p\(i)-2026", due: "20")) }
        let folder = dir.path + "/plans"
        var state = PlanState()
        let first = state.reload(folder: folder, holidays: nil, window: window())
        #expect(first.filesParsed == 20 && first.plansChanged == 20)
        let count = state.occurrences().count

        // Nothing changed: nothing parsed, nothing expanded, nothing to report.
        let same = state.reload(folder: folder, holidays: nil, window: window())
        #expect(same.filesParsed == 0 && same.plansChanged == 0 && same.diff.isEmpty)

        // One file edited: 20th → 25th. 2026-11-20 and 2026-12-18 (the 20th is a
        // Sunday, shifted earlier) move to 11-25 and 12-25.
        try dir.write("plans/p7.yaml", plan(id: "p7-2026", due: "25"))
        let edited = state.reload(folder: folder, holidays: nil, window: window())
        #expect(edited.filesParsed == 1 && edited.plansChanged == 1)
        #expect(Set(edited.diff.changes.map(\.key.plan)) == ["p7-2026"])
        #expect(edited.diff.changes.count == 2)
        #expect(state.occurrences().count == count)

        // A new file and a removed one: only they are expanded and diffed.
        try FileManager.default.removeItem(atPath: folder + "/p3.yaml")
        try dir.write("plans/q.yaml", plan(id: "q-2026", due: "10"))
        let moved = state.reload(folder: folder, holidays: nil, window: window())
        #expect(moved.filesParsed == 1 && moved.plansChanged == 2)
        #expect(Set(moved.diff.changes.map(\.key.plan)) == ["p3-2026", "q-2026"])

        // Incremental and from scratch agree, occurrence for occurrence.
        var fresh = PlanState()
        _ = fresh.reload(folder: folder, holidays: nil, window: window())
        #expect(fresh.occurrences() == state.occurrences())
    }

    @Test func aNewHolidayListReexpandsEveryPlan() throws {
        let dir = try Scratch()
        try dir.write("plans/a.yaml", plan(id: "a-2026", due: "25"))
        try dir.write("plans/b.yaml", plan(id: "b-2026", due: "20"))
        let folder = dir.path + "/plans"
        var state = PlanState()
        _ = state.reload(folder: folder, holidays: dir.path + "/holidays", window: window())
        // An admin list for 2027 (the plans' year + 1 is in the calendar's range).
        try dir.write(
            "holidays/cn-2027.yaml",
            """
            year: 2027
            source: test
            holidays:
              - name: 元旦
                off: 01-01..01-03

            """
        )
        let again = state.reload(folder: folder, holidays: dir.path + "/holidays", window: window())
        #expect(again.filesParsed == 2 && again.plansChanged == 2)
        #expect(state.calendar.hasOfficialList(for: 2027))
    }
}

@Suite struct TickRunnerTests {
    func runner(_ dir: Scratch) throws -> TickRunner { try Self.runner(dir) }

    /// A tick on the scratch folder's plans, spool and ledger, spool only.
    static func runner(_ dir: Scratch, configure: (inout DaemonConfig) -> Void = { _ in }) throws -> TickRunner {
        var config = DaemonConfig()
        config.plans = dir.path + "/plans"
        config.state = dir.path + "/state"
        config.spool = dir.path + "/spool"
        config.holidays = nil
        config.mail.transport = .none
        configure(&config)
        let ledger = try Ledger.open(folder: config.state)
        let spool = try Spool(directory: config.spool)
        return TickRunner(
            config: config,
            ledger: ledger,
            spool: spool,
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        )
    }

    func instant(_ iso: String) -> Date {
        // Asia/Shanghai is UTC+8 all year.
        ISO8601DateFormatter().date(from: iso + ":00+08:00")!
    }

    @Test func spoolsEachNoticeOnceAndDoneSilencesTheRest() throws {
        let dir = try Scratch()
        try dir.write("plans/a.yaml", plan(id: "a-2026", due: "25"))
        let tick = try runner(dir)
        var state = PlanState()
        _ = state.reload(folder: dir.path + "/plans", holidays: nil, window: window())

        // 2026-11-18 09:00: the 7d reminder of 11-25; January–October go to backlog digests.
        let first = try tick.run(plans: state.plans, calendar: state.calendar, at: instant("2026-11-18T09:00"))
        #expect(first.sent.map(\.kind.rawValue) == ["reminder"])
        #expect(first.digests.count == 2)
        let spooled = try tick.spool.list(.new)
        #expect(spooled.count == 1 + 2 + first.overdueDigests.count)

        // The same instant again: nothing new, nothing rewritten.
        let again = try tick.run(plans: state.plans, calendar: state.calendar, at: instant("2026-11-18T09:00"))
        #expect(again.sent.isEmpty && again.digests.isEmpty && again.overdueDigests.isEmpty)
        #expect(try tick.spool.list(.new).sorted() == spooled.sorted())

        // Recorded as done before the due day: no due notice on 11-25.
        _ = try tick.ledger.addRecord(
            NewRecord(plan: "a-2026", item: "committee", period: "2026-11", doneOn: "2026-11-20", recordedAt: 0)
        )
        let dueDay = try tick.run(plans: state.plans, calendar: state.calendar, at: instant("2026-11-25T09:00"))
        #expect(!dueDay.sent.contains { $0.occurrence.period == "2026-11" })
        #expect(dueDay.next != nil)
    }

    @Test func theOverdueDigestGoesToTheEscalationRoleOnceADay() throws {
        let dir = try Scratch()
        try dir.write("plans/a.yaml", plan(id: "a-2026", due: "25"))
        // Tracked since January: its overdue months are not history, so the digest lists them.
        let tick = try Self.runner(dir) { $0.notices.trackFrom = "2026-01-01" }
        var state = PlanState()
        _ = state.reload(folder: dir.path + "/plans", holidays: nil, window: window())
        let monday = try tick.run(plans: state.plans, calendar: state.calendar, at: instant("2026-11-23T09:00"))
        #expect(monday.overdueDigests.map(\.recipient.address) == ["dangban@hospital.example"])
        #expect(monday.overdueDigests.first?.lines.count == 10)  // January to October
        let names = try tick.spool.list(.new).filter { $0.hasPrefix("digest_overdue_2026-11-23") }
        #expect(names.count == 1)
        let later = try tick.run(plans: state.plans, calendar: state.calendar, at: instant("2026-11-23T15:00"))
        #expect(later.overdueDigests.isEmpty)
        let tuesday = try tick.run(plans: state.plans, calendar: state.calendar, at: instant("2026-11-24T09:00"))
        #expect(tuesday.overdueDigests.count == 1)
    }
}

@Suite struct DigestLimitTests {
    func parse(_ yaml: String) -> (DaemonConfig?, [String]) {
        let (config, diagnostics) = DaemonConfig.parse(Array(yaml.utf8), path: "/etc/plankeeper/plankeeper.yaml")
        return (config, diagnostics.map { $0.rendered(in: .en) })
    }

    @Test func digestLimitIsANumberOrAllAndDefaultsTo200() {
        #expect(parse("language: zh\n").0?.digestLimit == 200)
        #expect(parse("digest-limit: 50\n").0?.digestLimit == 50)
        let all = parse("digest-limit: all\n")
        #expect(all.0 != nil && all.0?.digestLimit == nil)
        let (bad, diagnostics) = parse("language: zh\ndigest-limit: 0\n")
        #expect(bad == nil)
        #expect(
            diagnostics.contains {
                $0.hasPrefix(
                    "/etc/plankeeper/plankeeper.yaml:2:15: error: digest-limit must be a whole number from 1 to 100000"
                )
            }
        )
    }

    @Test func aDigestOverTheLimitListsTheOldestAndCountsTheRestPerBranch() throws {
        let dir = try Scratch()
        try dir.write("plans/a.yaml", plan(id: "a-2026", due: "25"))
        let tick = try TickRunnerTests.runner(dir) {
            $0.digestLimit = 3
            $0.notices.trackFrom = "2026-01-01"
        }
        var state = PlanState()
        _ = state.reload(folder: dir.path + "/plans", holidays: nil, window: window())
        let report = try tick.run(
            plans: state.plans,
            calendar: state.calendar,
            at: TickRunnerTests().instant("2026-11-23T09:00")
        )
        let digest = try #require(report.overdueDigests.first)
        #expect(digest.total == 10 && digest.lines.map(\.occurrence.period) == ["2026-01", "2026-02", "2026-03"])
        let name = try #require(try tick.spool.list(.new).first { $0.hasPrefix("digest_overdue_2026-11-23") })
        let text = String(
            decoding: try Data(contentsOf: URL(fileURLWithPath: dir.path + "/spool/new/" + name)),
            as: UTF8.self
        )
        #expect(text.contains("X-Plankeeper-Count: 10\r\n"))
        let body = try #require(Self.decodedPart(text))
        #expect(body.contains("您督办的计划中有 10 项工作已过截止日期"))
        #expect(body.contains("外科第二党支部（10 项）"))
        #expect(body.contains("正文列出截止最早的 3 项，全部 10 项见附件 CSV 文件"))
        #expect(body.contains("  3. ") && !body.contains("  4. "))
        #expect(!body.contains("plankeeper done"))
        // The attachment lists all ten, after its header row.
        let csv = try #require(Self.decodedPart(text, type: "text/csv"))
        #expect(csv.hasPrefix("\u{FEFF}支部,工作事项"))
        #expect(csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 11)
        let html = try #require(Self.decodedPart(text, type: "text/html"))
        #expect(html.contains("<table") && html.contains("支部委员会会议"))
    }

    @Test func aBacklogOverTheLimitListsTheOldestAndKeepsItsCount() throws {
        let dir = try Scratch()
        try dir.write("plans/a.yaml", plan(id: "a-2026", due: "25"))
        let tick = try TickRunnerTests.runner(dir) {
            $0.digestLimit = 4
            $0.overdueDigest = .off
        }
        var state = PlanState()
        _ = state.reload(folder: dir.path + "/plans", holidays: nil, window: window())
        // A first start in November: the year's old notices go into backlog digests.
        let report = try tick.run(
            plans: state.plans,
            calendar: state.calendar,
            at: TickRunnerTests().instant("2026-11-23T09:00")
        )
        let secretary = try #require(report.digests.first { $0.recipient.address == "wangwu@hospital.example" })
        #expect(secretary.total > 4 && secretary.lines.count == 4 && secretary.isTruncated)
        #expect(secretary.branches.map(\.overdue) == [secretary.total])
        let texts = try tick.spool.list(.new).filter { $0.contains("_backlog_") }.map {
            String(decoding: try Data(contentsOf: URL(fileURLWithPath: dir.path + "/spool/new/" + $0)), as: UTF8.self)
        }
        let mail = try #require(texts.first { $0.contains("wangwu@hospital.example") })
        #expect(mail.contains("X-Plankeeper-Count: \(secretary.total)\r\n"))
        let body = try #require(Self.decodedBody(mail))
        #expect(body.contains("共有 \(secretary.total) 项工作已逾期"))
        #expect(body.contains("以下逐条列出截止最早的 4 项；其余 \(secretary.total - 4) 项未逐条列出"))
        #expect(body.contains("  4. ") && !body.contains("  5. "))
        #expect(body.contains("截止 2026-01-23"))  // the oldest is listed
    }

    /// The base64 text/plain part of a multipart message (the first part).
    static func decodedPart(_ message: String, type: String = "text/plain") -> String? {
        guard let type = message.range(of: "Content-Type: \(type);"),
            let header = message[type.upperBound...].range(of: "\r\n\r\n")
        else { return nil }
        let rest = message[header.upperBound...]
        let end = rest.range(of: "\r\n--")?.lowerBound ?? rest.endIndex
        return Data(base64Encoded: rest[..<end].replacingOccurrences(of: "\r\n", with: "")).map {
            String(decoding: $0, as: UTF8.self)
        }
    }

    /// The base64 body of a single-part message.
    static func decodedBody(_ message: String) -> String? {
        guard let split = message.range(of: "\r\n\r\n") else { return nil }
        let encoded = message[split.upperBound...].replacingOccurrences(of: "\r\n", with: "")
        return Data(base64Encoded: encoded).map { String(decoding: $0, as: UTF8.self) }
    }
}

@Suite struct LocalClockTests {
    /// The hand-written `Date:` header says what Foundation's formatter says.
    @Test(arguments: ["Asia/Shanghai", "UTC", "America/St_Johns", "Asia/Kathmandu"])
    func rfc5322DateMatchesFoundation(zone: String) throws {
        let clock = LocalClock(identifier: zone)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = clock.timeZone
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        for seconds in [0, 1_779_590_400, 1_795_480_259, 1_767_225_599, 1_741_000_000, -86_401] {
            let instant = Date(timeIntervalSince1970: TimeInterval(seconds))
            #expect(clock.rfc5322(instant) == formatter.string(from: instant), "\(seconds)")
        }
    }
}
