import Testing
@testable import WebDesk

/// An instant the test sets, so windows are crossed without waiting.
struct StepInstant: InstantProtocol {
    var offset: Duration
    func advanced(by duration: Duration) -> StepInstant { StepInstant(offset: offset + duration) }
    func duration(to other: StepInstant) -> Duration { other.offset - offset }
    static func < (a: StepInstant, b: StepInstant) -> Bool { a.offset < b.offset }
}

@Suite struct RateLimiterTests {
    /// The answers to `(key, second)` events, in order.
    func answers(_ limiter: inout RateLimiter<StepInstant>, _ events: [(String, Int)]) -> [Bool] {
        events.map { key, s in limiter.allow(key, at: StepInstant(offset: .seconds(s))) }
    }

    @Test func allowsCountPerWindowThenRefuses() {
        var limiter = RateLimiter<StepInstant>(count: 3, window: .seconds(60))
        let got = answers(&limiter, [("a", 0), ("a", 1), ("a", 2), ("a", 10), ("b", 10)])
        // The fourth in a minute is refused; another key has its own allowance.
        #expect(got == [true, true, true, false, true])
    }

    @Test func theWindowSlides() {
        var limiter = RateLimiter<StepInstant>(count: 2, window: .seconds(60))
        // The first event leaves the window at 60 s: one more is allowed then, not two.
        let got = answers(&limiter, [("a", 0), ("a", 30), ("a", 59), ("a", 60), ("a", 61)])
        #expect(got == [true, true, false, true, false])
    }

    @Test func refusedEventsAreNotCounted() {
        var limiter = RateLimiter<StepInstant>(count: 1, window: .seconds(10))
        let got = answers(&limiter, (0...10).map { ("a", $0) })
        #expect(got == [true] + Array(repeating: false, count: 9) + [true])
    }

    @Test func memoryStaysBoundedUnderAFloodOfKeys() {
        var limiter = RateLimiter<StepInstant>(count: 5, window: .seconds(3600), maxKeys: 100)
        _ = answers(&limiter, (0..<10_000).map { ("flood-\($0)", $0) })
        #expect(limiter.keyCount <= 100)
    }
}
