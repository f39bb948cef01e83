import Foundation
import PlankeeperTestSupport
import Testing

@Suite(.serialized) struct CLITests {
    @Test func checkSamplePlansSucceeds() throws {
        let r = try Binary.run(["check", "plans"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        // 4 hand-written plans, and plans/roster.yaml's 5 branches under basics-2026 plus its 2 clinical ones under clinical-2026.
        #expect(lines.count == 4 + 5 + 2)
        #expect(lines.contains { $0.hasPrefix("surgery-2-2026 ") && $0.contains("外科第二党支部") && $0.contains("2026") })
        #expect(lines.contains { $0.hasPrefix("basics-2026-retired ") && $0.contains("离退休党支部") })
        #expect(
            r.stderr.contains("模板 basics-2026（plans/basics-2026.yaml）应用于名册 plans/roster.yaml：5 个支部，5 个计划可用"),
            "\(r.stderr)"
        )
        #expect(!r.stderr.contains("error:"))
    }

    @Test func checkReportsPositionsAndExitsOne() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pk-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "id: good\nowner: 内科\nyear: 2026\nitems:\n  - id: a\n    every: month\n    due: 25\n".write(
            to: dir.appendingPathComponent("a.yaml"),
            atomically: true,
            encoding: .utf8
        )
        try "id: bad\nowner: 外科\nyear: 2026\nitems:\n  - id: a\n    evry: month\n    due: 25\n".write(
            to: dir.appendingPathComponent("b.yml"),
            atomically: true,
            encoding: .utf8
        )
        let r = try Binary.run(["check", dir.path, "--lang", "en"])
        #expect(r.status == 1)
        #expect(
            r.stderr.contains("\(dir.path)/b.yml:6:5: error: unknown key 'evry'; did you mean 'every'?"),
            "\(r.stderr)"
        )
        #expect(r.stdout.contains("good"))
        #expect(!r.stdout.contains("bad"))

        // schedule still schedules the good plan and leaves the bad one out.
        let s = try Binary.run(["schedule", "--format", "json", dir.path])
        #expect(s.status == 1)
        let json = try JSONSerialization.jsonObject(with: Data(s.stdout.utf8)) as! [[String: Any]]
        #expect(json.count == 12)
        #expect(Set(json.map { $0["plan"] as! String }) == ["good"])
    }

    @Test func badUsageExitsTwo() throws {
        #expect(try Binary.run(["check"]).status == 2)
        #expect(try Binary.run(["check", "/nonexistent/plans"]).status == 2)
        #expect(try Binary.run(["schedule", "--from", "2026-13-01", "plans"]).status == 2)
        #expect(try Binary.run(["calendar", "2026", "--month", "13"]).status == 2)
        #expect(try Binary.run(["frobnicate"]).status == 2)
        #expect(try Binary.run(["check", "--lang", "fr", "plans"]).status == 2)
    }

    @Test func helpTeachesWithExamples() throws {
        for command in ["check", "schedule", "calendar"] {
            let r = try Binary.run([command, "--help"])
            #expect(r.status == 0)
            #expect(r.stdout.contains("plankeeper \(command)"), "\(command)")
        }
    }

    @Test func scheduleJSONFollowsTheContract() throws {
        let r = try Binary.run(["schedule", "--format", "json", "plans"])
        #expect(r.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        #expect(json.count > 200)
        let dateShape = try Regex("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
        let periodShape = try Regex("^[0-9]{4}(-[0-9]{2}|-Q[1-4]|-H[12])?$")
        for o in json {
            for key in ["plan", "item", "title", "period", "due"] { #expect(o[key] is String, "\(key)") }
            #expect((o["due"] as! String).wholeMatch(of: dateShape) != nil)
            #expect((o["period"] as! String).wholeMatch(of: periodShape) != nil)
        }
        let filtered = try Binary.run([
            "schedule", "--format", "json", "--from", "2026-11-01", "--to", "2026-11-30", "plans",
        ])
        let november = try #require(
            try JSONSerialization.jsonObject(with: Data(filtered.stdout.utf8)) as? [[String: Any]]
        )
        #expect(!november.isEmpty)
        #expect(november.allSatisfy { ($0["due"] as! String).hasPrefix("2026-11-") })
        #expect(november.count == json.filter { ($0["due"] as! String).hasPrefix("2026-11-") }.count)
    }

    @Test func scheduleTextAlignsAndMarksMakeupDays() throws {
        let r = try Binary.run(["schedule", "plans/nursing-2025.yaml", "--from", "2025-09-01", "--to", "2025-09-30"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("2025 年 9 月"))
        #expect(r.stdout.contains("周日（调休）"))
        let en = try Binary.run([
            "schedule", "plans/nursing-2025.yaml", "--lang", "en", "--from", "2025-09-01", "--to", "2025-09-30",
        ])
        #expect(en.stdout.contains("September 2025"))
        #expect(en.stdout.contains("Sun (make-up workday)"))
    }

    @Test func calendarMarksOffAndMakeupDays() throws {
        let r = try Binary.run(["calendar", "2026", "--month", "2"])
        #expect(r.status == 0)
        #expect(r.stdout.contains(" 14+"))
        #expect(r.stdout.contains(" 28+"))
        #expect(r.stdout.contains(" 17*"))
        let j = try Binary.run(["calendar", "2026", "--format", "json"])
        let days = try #require(try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [[String: Any]])
        #expect(days.count == 365)
        #expect(days.filter { $0["kind"] as? String == "makeup" }.count == 6)
        let y2027 = try Binary.run(["calendar", "2027"])
        #expect(y2027.stdout.contains("2027"))
        #expect(y2027.stdout.contains("没有官方节假日安排"))
    }

    @Test func adminHolidayFolderAddsAYearWithoutARebuild() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pk-hol-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try """
        year: 2027
        source: 测试用 2027 年安排
        holidays:
          - name: 春节
            off: 02-05..02-12
            workdays: [02-20]
        """.write(to: dir.appendingPathComponent("cn-2027.yaml"), atomically: true, encoding: .utf8)
        let r = try Binary.run(["calendar", "2027", "--month", "2", "--holidays", dir.path])
        #expect(r.status == 0)
        #expect(r.stdout.contains(" 20+"))
        #expect(r.stdout.contains(" 12*"))
        #expect(r.stdout.contains("测试用 2027 年安排"))
        let env = try Binary.run(
            ["calendar", "2027", "--month", "2", "--format", "json"],
            environment: ["PLANKEEPER_HOLIDAYS": dir.path]
        )
        #expect(env.stdout.contains("\"date\": \"2027-02-20\", \"workday\": true, \"kind\": \"makeup\""))
    }
}
