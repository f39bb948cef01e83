import Testing
@testable import WebDesk

@Suite struct SystemdSocketsTests {
    @Test func descriptorsForThisProcessOnly() {
        #expect(SystemdSockets.descriptors(environment: ["LISTEN_PID": "42", "LISTEN_FDS": "1"], pid: 42) == [3])
        #expect(SystemdSockets.descriptors(environment: ["LISTEN_PID": "42", "LISTEN_FDS": "2"], pid: 42) == [3, 4])
        #expect(SystemdSockets.descriptors(environment: ["LISTEN_PID": "41", "LISTEN_FDS": "1"], pid: 42).isEmpty)
        #expect(SystemdSockets.descriptors(environment: ["LISTEN_FDS": "1"], pid: 42).isEmpty)
        #expect(SystemdSockets.descriptors(environment: ["LISTEN_PID": "42", "LISTEN_FDS": "x"], pid: 42).isEmpty)
        #expect(SystemdSockets.descriptors(environment: ["LISTEN_PID": "42", "LISTEN_FDS": "0"], pid: 42).isEmpty)
    }
}
