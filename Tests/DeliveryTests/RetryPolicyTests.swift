import Testing
@testable import Delivery
import Vocabulary

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy()

    @Test func backoffDoublesFromThirtySecondsToAnHour() {
        let delays = (1...10).map { policy.delay(afterAttempt: $0) }
        #expect(delays == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600])
        #expect(delays[0] < 60, "the first retry comes within a minute")
        #expect(policy.delay(afterAttempt: Int.max) == 3600)
        #expect(policy.delay(afterAttempt: 0) == 30)
        #expect(policy.delay(afterAttempt: -5) == 30)
    }

    @Test func unreasonableSettingsAreClamped() {
        let odd = RetryPolicy(firstDelay: 0, maximumDelay: -1, giveUpAfter: -10)
        #expect(odd.firstDelay == 1 && odd.maximumDelay == 1 && odd.giveUpAfter == 0)
        let huge = RetryPolicy(firstDelay: Int64.max / 2, maximumDelay: Int64.max, giveUpAfter: 0)
        #expect(huge.delay(afterAttempt: 70) == Int64.max)  // no overflow trap
    }

    @Test func statesAcrossAnOutage() {
        let t0: Int64 = 1_795_000_000
        guard case .retry(let first) = policy.afterTemporaryFailure(nil, reason: "down", now: t0) else {
            Issue.record("first failure retries")
            return
        }
        #expect(first == RetryState(attempts: 1, firstAttempt: t0, nextAttempt: t0 + 30, reason: "down"))
        guard case .retry(let second) = policy.afterTemporaryFailure(first, reason: "still down", now: t0 + 31) else {
            Issue.record("second failure retries")
            return
        }
        #expect(second == RetryState(attempts: 2, firstAttempt: t0, nextAttempt: t0 + 31 + 60, reason: "still down"))
    }

    @Test func givesUpThreeDaysAfterTheFirstFailure() {
        let t0: Int64 = 1_795_000_000
        let state = RetryState(attempts: 80, firstAttempt: t0, nextAttempt: t0 + 3 * 86400 - 1, reason: "x")
        if case .giveUp = policy.afterTemporaryFailure(state, reason: "x", now: t0 + 3 * 86400 - 1) {
            Issue.record("one second short of three days still retries")
        }
        #expect(
            policy.afterTemporaryFailure(state, reason: "x", now: t0 + 3 * 86400) == .giveUp(attempts: 81, since: t0)
        )
        // A message never tried before is never given up on its first failure, however old.
        if case .giveUp = RetryPolicy(giveUpAfter: 60).afterTemporaryFailure(nil, reason: "x", now: t0) {
            Issue.record("the give-up clock starts at the first attempt")
        }
    }

    @Test func stateFileRoundTripAndDamage() {
        let state = RetryState(
            attempts: 3,
            firstAttempt: 1_795_000_000,
            nextAttempt: 1_795_000_240,
            reason: "sendmail 退出码 75\n（EX_TEMPFAIL）"
        )
        let text = state.text
        #expect(text == "attempts 3\nfirst 1795000000\nnext 1795000240\nreason sendmail 退出码 75 （EX_TEMPFAIL）\n")
        #expect(
            RetryState(text: text)
                == RetryState(
                    attempts: 3,
                    firstAttempt: 1_795_000_000,
                    nextAttempt: 1_795_000_240,
                    reason: "sendmail 退出码 75 （EX_TEMPFAIL）"
                )
        )
        #expect(RetryState(text: "") == nil)
        #expect(RetryState(text: "attempts x\nfirst 1\nnext 2\n") == nil)
        #expect(RetryState(text: "attempts -1\nfirst 1\nnext 2\n") == nil)
        #expect(RetryState(text: "attempts 1\nfirst 1\n") == nil)
        #expect(RetryState(text: "attempts 1\nfirst 1\nnext 99999999999999999999999\n") == nil)
    }

    @Test func durationsForLogLines() {
        #expect(Texts.duration(30).zh == "30 秒")
        #expect(Texts.duration(600).zh == "10 分钟")
        #expect(Texts.duration(3600 * 5).en == "5 h")
        #expect(Texts.duration(3 * 86400).zh == "3 天")
        #expect(Texts.duration(-4).en == "0 s")
        #expect(Timestamp.iso(1_795_000_000) == "2026-11-18T11:06:40Z")
    }
}
