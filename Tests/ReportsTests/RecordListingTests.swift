import Foundation
import Records
import Reports
import Testing

@Suite struct RecordListingTests {
    let records = [
        ListedRecord(
            plan: "surgery-2-2026",
            item: "committee",
            period: "2026-11",
            doneOn: "2026-11-19",
            recordedAt: 1_795_161_600,
            utcOffset: 8 * 3600,
            by: "王五",
            source: .mail,
            note: "=HYPERLINK(\"x\")\n7 人参加",
            evidence: [
                RecordEvidence(
                    name: "签到表.jpg",
                    type: "image/jpeg",
                    size: 332,
                    sha256: String(repeating: "ab", count: 32)
                )
            ]
        ),
        ListedRecord(
            plan: "surgery-2-2026",
            item: "lecture",
            period: "2026-Q4",
            doneOn: "2026-10-09",
            recordedAt: 0,
            utcOffset: -3600,
            by: nil,
            source: .cli,
            note: nil,
            evidence: []
        ),
    ]

    @Test func jsonHasTheDocumentedKeysInOrder() throws {
        let text = RecordListing.json(records)
        let array = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(array.count == 2)
        #expect(array[0]["done_on"] as? String == "2026-11-19")
        #expect(array[0]["recorded_at"] as? String == "2026-11-20T16:00:00+08:00")
        #expect(array[0]["source"] as? String == "mail")
        #expect(array[0]["by"] as? String == "王五")
        let evidence = try #require(array[0]["evidence"] as? [[String: Any]])
        #expect(evidence.first?["name"] as? String == "签到表.jpg" && evidence.first?["size"] as? Int == 332)
        #expect(array[1]["by"] is NSNull && array[1]["note"] is NSNull)
        #expect(array[1]["recorded_at"] as? String == "1969-12-31T23:00:00-01:00")
        // The keys come in the documented order, every time.
        let line = try #require(text.split(separator: "\n").dropFirst().first)
        let positions = RecordListing.columns.map { key in line.firstRange(of: "\"\(key)\": ")?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
        #expect(RecordListing.json([]) == "[]\n")
    }

    @Test func csvHasTheSameColumnsAndDefusesFormulas() {
        let text = RecordListing.csv(records)
        #expect(text.hasPrefix("\u{FEFF}plan,item,period,done_on,recorded_at,by,source,note,evidence\r\n"))
        #expect(text.contains("\"'=HYPERLINK(\"\"x\"\")\n7 人参加\""))
        #expect(text.contains("签到表.jpg (image/jpeg, 332 bytes, \(String(repeating: "ab", count: 32)))"))
        #expect(text.hasSuffix("surgery-2-2026,lecture,2026-Q4,2026-10-09,1969-12-31T23:00:00-01:00,,cli,,\r\n"))
    }
}
