import Testing
import Vocabulary

/// The stable hash names spool files, derives Message-IDs and MIME
/// boundaries, keys backlog digests and identifies the ledger's notice marks.
/// If one of these values changes, every notice already spooled or marked
/// would go out again: they were taken from the spool and the ledger that
/// `plankeeper tick --now 2026-11-18T09:00` (and 2026-10-09T09:00) wrote on
/// the sample plans before the hash was written once for all (issue 14).
@Suite struct StableHashTests {
    @Test func fnv1aTestVectors() {
        #expect(StableHash.of("") == 0xcbf2_9ce4_8422_2325)
        #expect(StableHash.of("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(StableHash.of("foobar") == 0x8594_4171_f739_67e8)
        #expect(StableHash.of(bytes: Array("foobar".utf8)) == StableHash.of("foobar"))
    }

    @Test func incrementalIsTheSameAsWhole() {
        var hash = StableHash()
        hash.add(Array("foo".utf8))
        hash.add(UInt8(ascii: "b"))
        hash.add("ar".utf8)
        #expect(hash.value == StableHash.of("foobar"))
    }

    /// `Message-ID: <bdee9207136e5282.plankeeper@hospital.example>` of the
    /// spooled reminder `basics-2026-admin-1_committee_2026-11_reminder_7d_1381cedc81379b36`.
    @Test func aNoticesMessageIDIsTheHashOfItsKey() {
        let key = "basics-2026-admin-1/committee/2026-11/reminder/7d/qianjing@hospital.example"
        #expect(String(StableHash.of(key), radix: 16) == "bdee9207136e5282")
    }

    /// The backlog digest `digest_04f6911e0376fcfc_2026-11-18_backlog__43a630e68361ff55`
    /// to dangban@ had `Message-ID: <5ad52263ce7b5965.plankeeper@hospital.example>`.
    @Test func aBacklogDigestsMessageIDIsTheHashOfItsKey() {
        let key = "backlog/2026-11-18/04f6911e0376fcfc/dangban@hospital.example"
        #expect(String(StableHash.of(key), radix: 16) == "5ad52263ce7b5965")
    }

    /// September's report mail of 2026-10-09: `Message-ID:
    /// <ef32e1234d1bab4.report.plankeeper@hospital.example>` and the boundary
    /// `=_plankeeper_ef32e1234d1bab4` (both unpadded), from its spool name.
    @Test func aReportsMessageIDAndBoundaryAreTheHashOfItsSpoolName() {
        #expect(String(StableHash.of("report_month_2026-09_html__fc9a742d8c7a2d6b"), radix: 16) == "ef32e1234d1bab4")
    }

    @Test func hexIsSixteenDigitsZeroPadded() {
        #expect(StableHash.hex(0xef3_2e12_34d1_bab4) == "0ef32e1234d1bab4")
        #expect(StableHash.hex(0) == "0000000000000000")
        #expect(StableHash.hex(.max) == "ffffffffffffffff")
    }
}
