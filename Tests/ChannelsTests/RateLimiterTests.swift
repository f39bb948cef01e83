import Channels
import Testing

@Suite struct RateLimiterTests {
    @Test func parsesWindows() {
        #expect(RateWindow(text: "20/1m") == RateWindow(20, per: 60))
        #expect(RateWindow(text: "1000/1h") == RateWindow(1000, per: 3600))
        #expect(RateWindow(text: "30/m") == RateWindow(30, per: 60))
        #expect(RateWindow(text: "5/90s") == RateWindow(5, per: 90))
        for bad in ["", "20", "20/", "0/1m", "x/1m", "20/1d", "20/0m", "-1/1m", "20/1m/2"] {
            #expect(RateWindow(text: bad) == nil, "\(bad)")
        }
        #expect(RateWindow(1000, per: 3600).description == "1000/1h")
        #expect(RateWindow(20, per: 60).description == "20/1m")
        #expect(RateWindow(5, per: 90).description == "5/90s")
    }

    @Test func twentyAMinuteAtTheBoundary() {
        var limiter = RateLimiter(windows: [RateWindow(20, per: 60)])
        for _ in 0..<20 {
            #expect(limiter.allows("robot", now: 1000))
            limiter.record("robot", at: 1000)
        }
        #expect(!limiter.allows("robot", now: 1000))
        // The 21st not before the first has left the window, with the one-second margin.
        #expect(limiter.earliest("robot", now: 1000) == 1061)
        #expect(!limiter.allows("robot", now: 1060))
        #expect(limiter.allows("robot", now: 1061))
        #expect(limiter.allows("another", now: 1000))
    }

    @Test func spreadSendsFreeOneSlotAtATime() {
        var limiter = RateLimiter(windows: [RateWindow(3, per: 60)])
        limiter.record("r", at: 0)
        limiter.record("r", at: 10)
        limiter.record("r", at: 20)
        #expect(limiter.earliest("r", now: 25) == 61)
        limiter.record("r", at: 61)
        #expect(limiter.earliest("r", now: 61) == 71)
    }

    @Test func everyWindowHolds() {
        var limiter = RateLimiter(windows: [RateWindow(30, per: 60), RateWindow(1000, per: 3600)])
        var t: Int64 = 0
        var sent = 0
        // Send as early as allowed for two hours of the limiter's clock.
        while t < 7200 {
            t = limiter.earliest("wangwu", now: t)
            if t >= 7200 { break }
            limiter.record("wangwu", at: t)
            sent += 1
        }
        let history = limiter.history("wangwu")
        #expect(history.count <= 1000)
        #expect(sent == 2000)
        // No 30 within any 61 s, no 1,000 within any 3,601 s.
        var all: [Int64] = []
        var limiter2 = RateLimiter(windows: [RateWindow(30, per: 60), RateWindow(1000, per: 3600)])
        t = 0
        while all.count < 2000 {
            t = limiter2.earliest("p", now: t)
            limiter2.record("p", at: t)
            all.append(t)
        }
        for i in 30..<all.count { #expect(all[i] - all[i - 30] >= 61) }
        for i in 1000..<all.count { #expect(all[i] - all[i - 1000] >= 3601) }
    }

    @Test func holdsAreKept() {
        var limiter = RateLimiter(windows: [RateWindow(20, per: 60)])
        limiter.hold("robot", until: 600)
        #expect(limiter.earliest("robot", now: 0) == 600)
        limiter.hold("robot", until: 300)  // an earlier hold does not shorten it
        #expect(limiter.earliest("robot", now: 0) == 600)
        #expect(limiter.earliest("robot", now: 700) == 700)
    }
}

@Suite struct SendQueueTests {
    @Test func fortyFiveToOneRobotGoInThreeMinutesNoneDropped() {
        var queue = SendQueue<Int>(limiter: RateLimiter(windows: [RateWindow(20, per: 60)]))
        for i in 0..<45 { queue.enqueue(i, destination: "robot") }
        var sentAt: [Int: Int64] = [:]
        var now: Int64 = 0
        while true {
            switch queue.next(now: now) {
            case .send(let id, let destination):
                #expect(destination == "robot")
                sentAt[id] = now
                queue.sent(id, at: now)
            case .wait(let until):
                #expect(until > now)
                now = until
            case .empty:
                #expect(sentAt.count == 45)
                #expect((0..<20).allSatisfy { sentAt[$0] == 0 })
                #expect((20..<40).allSatisfy { sentAt[$0] == 61 })
                #expect((40..<45).allSatisfy { sentAt[$0] == 122 })
                return
            }
        }
    }

    @Test func oneBusyRobotNeverDelaysAnother() {
        var queue = SendQueue<String>(limiter: RateLimiter(windows: [RateWindow(2, per: 60)]))
        for i in 0..<5 { queue.enqueue("a\(i)", destination: "a") }
        queue.enqueue("b0", destination: "b")
        var order: [String] = []
        while case .send(let id, _) = queue.next(now: 0) {
            order.append(id)
            queue.sent(id, at: 0)
        }
        #expect(order == ["a0", "a1", "b0"])
        #expect(queue.next(now: 0) == .wait(until: 61))
        #expect(queue.count == 3)
    }

    @Test func backOffAndHoldsGiveLaterTimesFirstInFirstOut() {
        var queue = SendQueue<Int>(limiter: RateLimiter(windows: [RateWindow(20, per: 60)]))
        queue.enqueue(1, destination: "r")
        queue.enqueue(2, destination: "r")
        queue.postpone(1, until: 30)
        // 2 waits behind 1: a group reads its notices in order.
        #expect(queue.next(now: 0) == .wait(until: 30))
        #expect(queue.earliest(2, now: 0) == 30)
        #expect(queue.next(now: 30) == .send(1, destination: "r"))
        queue.attempted(1, at: 30, retryAt: 90)
        #expect(queue.next(now: 30) == .wait(until: 90))
        queue.hold("r", until: 630)
        #expect(queue.next(now: 90) == .wait(until: 630))
        queue.remove(1)
        #expect(queue.next(now: 630) == .send(2, destination: "r"))
        queue.sent(2, at: 630)
        #expect(queue.next(now: 630) == .empty)
        #expect(queue.isEmpty)
    }

    @Test func enqueueingTwiceKeepsOne() {
        var queue = SendQueue<Int>(limiter: RateLimiter(windows: [RateWindow(20, per: 60)]))
        queue.enqueue(7, destination: "r")
        queue.enqueue(7, destination: "r")
        #expect(queue.count == 1)
    }

    @Test func twoThousandRobotsAtHalfPastEightAllGoAtOnce() {
        // 2,066 branches' robots, three notices each: every robot within its own 20 a minute.
        var queue = SendQueue<Int>(limiter: RateLimiter(windows: [RateWindow(20, per: 60)]))
        for branch in 0..<2066 {
            for n in 0..<3 { queue.enqueue(branch * 3 + n, destination: "robot-\(branch)") }
        }
        var sent = 0
        while case .send(let id, _) = queue.next(now: 1000) {
            queue.sent(id, at: 1000)
            sent += 1
        }
        #expect(sent == 6198)
        #expect(queue.next(now: 1000) == .empty)
    }
}
