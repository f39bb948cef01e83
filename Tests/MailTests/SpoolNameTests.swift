import Testing
@testable import Outbox
@testable import Spool

@Suite struct SpoolNameTests {
    let base = (
        plan: "surgery-2-2026", item: "committee", period: "2026-11", kind: "reminder", offset: "7d",
        recipient: "wangwu@hospital.example"
    )

    func name(
        plan: String? = nil,
        item: String? = nil,
        period: String? = nil,
        kind: String? = nil,
        offset: String? = nil,
        recipient: String? = nil
    ) -> String {
        SpoolName.make(
            plan: plan ?? base.plan,
            item: item ?? base.item,
            period: period ?? base.period,
            kind: kind ?? base.kind,
            offset: offset ?? base.offset,
            recipient: recipient ?? base.recipient
        )
    }

    /// The name is the exactly-once token across restarts and upgrades: if
    /// this golden value changes, every spooled notice would be sent again.
    @Test func stableAcrossRunsAndVersions() {
        // Checked with an FNV-1a written in Python.
        #expect(name() == "surgery-2-2026_committee_2026-11_reminder_7d_d2e16bd35f09a4b2")
        #expect(name() == name())
    }

    @Test func everyFieldAndTheRecipientCount() {
        let variants = [
            name(), name(plan: "surgery-2-2027"), name(item: "assembly"), name(period: "2026-12"), name(kind: "due"),
            name(offset: "3wd"), name(recipient: "zhangsan@hospital.example"),
            // Field boundaries cannot be shifted to forge the same key.
            name(plan: "surgery-2-2026_committee", item: ""), name(item: "committee_2026-11", period: ""),
            // Fields that sanitise to the same readable text still differ in the hash.
            name(item: "会议"), name(item: "党课"),
        ]
        #expect(Set(variants).count == variants.count)
        #expect(name(recipient: " WangWu@Hospital.Example ") == name())
    }

    @Test func hostileFieldsGiveSafeShortNames() {
        var rng = SplitMix64(state: 7)
        let pool = ["/", ":", ".", "..", " ", "\n", "\0", "党", "😀", "a", "Z", "9", "-", "_", "%", "*"]
        for _ in 0..<500 {
            func field() -> String {
                (0..<Int.random(in: 0...120, using: &rng)).map { _ in pool.randomElement(using: &rng)! }.joined()
            }
            let made = SpoolName.make(
                plan: field(),
                item: field(),
                period: field(),
                kind: field(),
                offset: field(),
                recipient: field()
            )
            #expect(made.utf8.count <= 200)
            #expect(!made.hasPrefix("."))
            #expect(
                made.unicodeScalars.allSatisfy { s in
                    switch s {
                    case "a"..."z", "A"..."Z", "0"..."9", ".", "-", "_": true
                    default: false
                    }
                },
                "\(made)"
            )
            #expect(Spool.isValid(made))
        }
    }
}
