import Foundation
import Ledger
import Testing

@Suite struct SessionLedgerTests {
    func session(_ id: String, _ address: String, at t: Int64) -> WebSession {
        WebSession(idHash: id, address: address, csrf: "c-\(id)", createdAt: t, lastSeen: t, client: "10.1.2.3")
    }

    @Test func aSessionLivesWhileUsedAndEndsAfterTheIdleLimit() throws {
        let ledger = try Ledger.inMemory()
        try ledger.createSession(session("h1", "WangWu@Hospital.example", at: 1000))
        let found = try #require(try ledger.session(idHash: "h1", now: 2000, idleSeconds: 3600))
        #expect(found.address == "wangwu@hospital.example")
        #expect(found.csrf == "c-h1")
        // Used at 2000 (< touchAfter since 1000): lastSeen unchanged; at 1000 + 3601 it has expired.
        #expect(try ledger.session(idHash: "h1", now: 1000 + 3601, idleSeconds: 3600) == nil)
        // And it is gone for good.
        #expect(try ledger.session(idHash: "h1", now: 1001, idleSeconds: 3600) == nil)
    }

    @Test func useKeepsASessionAlive() throws {
        let ledger = try Ledger.inMemory()
        try ledger.createSession(session("h1", "a@x.example", at: 0))
        // Touched after an hour of quiet...
        _ = try ledger.session(idHash: "h1", now: 5000, idleSeconds: 86_400, touchAfter: 3600)
        // ...so a day after creation it is still alive (a day after the touch it would not be).
        #expect(try ledger.session(idHash: "h1", now: 86_400 + 100, idleSeconds: 86_400) != nil)
    }

    @Test func signOutEverywhereEndsOnlyThatPersonsSessions() throws {
        let ledger = try Ledger.inMemory()
        try ledger.createSession(session("h1", "a@x.example", at: 0))
        try ledger.createSession(session("h2", "A@x.example", at: 0))
        try ledger.createSession(session("h3", "b@x.example", at: 0))
        #expect(try ledger.sessionCount(address: "a@x.example") == 2)
        #expect(try ledger.deleteSessions(address: "a@X.example") == 2)
        #expect(try ledger.session(idHash: "h1", now: 1, idleSeconds: 100) == nil)
        #expect(try ledger.session(idHash: "h3", now: 1, idleSeconds: 100) != nil)
    }

    @Test func aOneTimeTokenIsUsedOnce() throws {
        let ledger = try Ledger.inMemory()
        #expect(try !ledger.isTokenUsed(hash: "n1"))
        #expect(try ledger.useToken(hash: "n1", purpose: "sign-in", expiresAt: 900, now: 0))
        #expect(try ledger.isTokenUsed(hash: "n1"))
        #expect(try !ledger.useToken(hash: "n1", purpose: "sign-in", expiresAt: 900, now: 10))
        // Rows of expired tokens are dropped (they can no longer be presented anyway).
        _ = try ledger.useToken(hash: "n2", purpose: "sign-in", expiresAt: 2000, now: 1000)
        #expect(try !ledger.isTokenUsed(hash: "n1"))
    }

    @Test func languageAndAttendees() throws {
        let ledger = try Ledger.inMemory()
        #expect(try ledger.webLanguage(address: "a@x.example") == nil)
        try ledger.setWebLanguage(address: "A@x.example", language: "en")
        try ledger.setWebLanguage(address: "a@x.example", language: "zh")
        #expect(try ledger.webLanguage(address: "a@X.example") == "zh")
        let record = try ledger.addRecord(
            NewRecord(plan: "p", item: "i", period: "2026-11", doneOn: "2026-11-20", recordedAt: 0)
        )
        try ledger.setAttendees(recordID: record.id, attendees: "王五、陈刚")
        #expect(try ledger.attendees(recordIDs: [record.id, 999]) == [record.id: "王五、陈刚"])
        #expect(try ledger.record(id: record.id) == record)
        #expect(try ledger.record(id: 999) == nil)
    }
}
