import Config
import PlanFormat
import Testing
import Vocabulary
@testable import WebDesk

@Suite struct AccessTests {
    let access: Access = {
        var config = DaemonConfig()
        config.plans = TestDesk.fixturePlans
        config.holidays = nil
        config.web.admins = ["it@hospital.example"]
        config.reports = [
            DaemonConfig.ReportSchedule(period: .quarter, to: [.init(name: "纪委", address: "jiwei@hospital.example")])
        ]
        let plans = DeskPlans(config: config)
        plans.reload()
        return plans.snapshot.access
    }()

    @Test func contactsRecordForTheirOwnPlanOnly() throws {
        let wang = try #require(access.viewer("WangWu@hospital.example"))
        #expect(wang.name == "王五")
        #expect(wang.mayRecord("surgery-2026") && !wang.mayRecord("medicine-2026"))
        #expect(wang.maySee("surgery-2026") && !wang.maySee("medicine-2026"))
        #expect(!wang.isSupervisor)
    }

    @Test func theEscalationOfficeSupervisesAndRecordsNothing() throws {
        let office = try #require(access.viewer("dangban@hospital.example"))
        #expect(office.records.isEmpty)
        #expect(office.supervises == ["surgery-2026", "medicine-2026"])
        #expect(office.isSupervisor && office.maySee("medicine-2026"))
    }

    @Test func adminsAndReportRecipientsSeeEverything() throws {
        for address in ["it@hospital.example", "JIWEI@hospital.example"] {
            let v = try #require(access.viewer(address))
            #expect(v.seesAll && v.maySee("anything") && v.records.isEmpty)
        }
    }

    @Test func strangersAreUnknown() {
        #expect(access.viewer("mallory@evil.example") == nil)
        #expect(!access.isKnown("mallory@evil.example"))
    }
}
