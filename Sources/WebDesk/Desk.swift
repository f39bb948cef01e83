import Config
import Crypto
import Journal
import PlanFiles
import Diagnostics
import Foundation
import Hummingbird
import Ledger
import Notices
import Outbox
import Logging
import NIOPosix
import Scheduling
import Spool
import Synchronization
import WorkCalendar
import Vocabulary

/// The web desk: everything its pages share (the plans, the ledger, the
/// spool, the signer of sign-in links, the evidence store, the limiters),
/// and the router that serves them. One per `plankeeper serve` process;
/// tests make one over a temporary folder and an in-memory plan set.
public final class Desk: Sendable {
    /// What the desk reads from the configuration.
    public struct Settings: Sendable {
        public var web: DaemonConfig.WebSettings
        /// Default language of pages and mail (a person may choose the other).
        public var language: Language
        public var timezone: String
        /// `Name <address>` of the mails the desk sends (sign-in links).
        public var mailFrom: String
        /// Overdue occurrences stay on 我的待办 this many days after their plan's year.
        public var overdueHorizonDays: Int
        /// The whole configuration, for the notice policy's idea of history
        /// (`track-from`, `catch-up`, `send-at`).
        public var config: DaemonConfig

        public init(config: DaemonConfig) {
            self.config = config
            web = config.web
            language = config.language
            timezone = config.timezone
            mailFrom = config.mail.from
            overdueHorizonDays = config.overdueHorizonDays
        }
    }

    let settings: Settings
    let ledger: Ledger
    let spool: Spool
    public let plans: DeskPlans
    let links: any DeskTokens
    let evidence: any EvidenceFiles
    let pages: Pages
    let logger: Logger
    /// The wall clock (injected: tests move it to see a link expire).
    let now: @Sendable () -> Date
    /// A monotonic clock for the rate limiters.
    let monotonic: @Sendable () -> ContinuousClock.Instant
    let clientLimiter: Mutex<RateLimiter<ContinuousClock.Instant>>
    let addressLimiter: Mutex<RateLimiter<ContinuousClock.Instant>>
    /// Sessions recently read from the ledger, by id hash, with when they were
    /// read: a page view then costs no query. Only this process writes
    /// sessions; its sign-outs drop their entries, and an entry is trusted
    /// for at most `sessionCacheSeconds`.
    let sessionCache = Mutex<[String: (session: WebSession, readAt: ContinuousClock.Instant)]>([:])
    static let sessionCacheSeconds = 30
    /// Occurrences due in a month or quarter, per plan load (see `periodOccurrences`).
    let periodCache = Mutex<[String: [Occurrence]]>([:])
    /// 我的待办 pages kept while their person, day, plans and records hold.
    let todoPages = PageCache()
    /// Mails being spooled after their page was answered (see `sendLater`).
    let pendingMail = Mutex<[Task<Void, Never>]>([])

    public init(
        settings: Settings,
        ledger: Ledger,
        spool: Spool,
        plans: DeskPlans,
        links: any DeskTokens,
        evidence: any EvidenceFiles,
        logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() },
        monotonic: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) throws {
        self.settings = settings
        self.ledger = ledger
        self.spool = spool
        self.plans = plans
        self.links = links
        self.evidence = evidence
        self.logger = logger
        self.now = now
        self.monotonic = monotonic
        pages = try Pages()
        let limits = settings.web.limits
        clientLimiter = Mutex(
            RateLimiter(count: limits.signInPerClient.count, window: .seconds(limits.signInPerClient.seconds))
        )
        addressLimiter = Mutex(
            RateLimiter(count: limits.signInPerAddress.count, window: .seconds(limits.signInPerAddress.seconds))
        )
    }

    // MARK: - Shared helpers

    var clock: LocalClock { LocalClock(identifier: settings.timezone) }
    var today: CivilDate { clock.local(now()).date }
    var unixNow: Int64 { Int64(now().timeIntervalSince1970) }

    /// Cookie names: with https, the `__Host-` prefix makes the browser
    /// refuse them unless Secure, host-only and for the whole site.
    var sessionCookie: String { settings.web.isHTTPS ? "__Host-pk_session" : "pk_session" }
    var formCookie: String { settings.web.isHTTPS ? "__Host-pk_form" : "pk_form" }
    let languageCookie = "pk_lang"

    func cookie(_ name: String, _ value: String, maxAge: Int?) -> String {
        var parts = ["\(name)=\(value)", "Path=/", "HttpOnly", "SameSite=Lax"]
        if let maxAge { parts.append("Max-Age=\(maxAge)") }
        if settings.web.isHTTPS { parts.append("Secure") }
        return parts.joined(separator: "; ")
    }

    /// Runs a ledger call on NIO's blocking pool: SQLite may wait up to
    /// `ledger-wait` for another process's lock, and that must not stall the
    /// threads that serve other requests. A lock held longer is `busy`.
    func db<T: Sendable>(_ body: @escaping @Sendable (Ledger) throws -> T) async throws -> T {
        let ledger = self.ledger
        do {
            return try await NIOThreadPool.singleton.runIfActive { try body(ledger) }
        } catch let error as LedgerError where error.code == .busy {
            logger.warning("ledger busy: \(error)", metadata: [JournalField.priority: "4"])
            throw DeskError.busy
        }
    }

    /// A read on the calling thread: in WAL mode readers never wait for a
    /// writer, so a read is a fraction of a millisecond and the hop to the
    /// blocking pool (two thread switches) would cost more than the query.
    func read<T: Sendable>(_ body: @Sendable (Ledger) throws -> T) throws -> T {
        do {
            return try body(ledger)
        } catch let error as LedgerError where error.code == .busy {
            throw DeskError.busy
        }
    }

    /// Random bytes from the system's generator (getrandom), as hex.
    static func randomHex(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        var out = ""
        for _ in 0..<count { out += String(UInt8.random(in: 0...255, using: &generator), radix: 16).leftPadded(to: 2) }
        return out
    }

    static func sha256Hex(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }

    /// A local path to come back to after signing in: `/…` but never `//…`
    /// (another host) nor anything with a backslash or a control character.
    static func safeNext(_ text: String?) -> String {
        guard let text, text.hasPrefix("/"), !text.hasPrefix("//"), text.utf8.count <= 512,
            !text.unicodeScalars.contains(where: { $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F })
        else { return "/" }
        return text
    }

    /// The person's language: their cookie, else the configuration's.
    func language(_ request: Request) -> Language {
        request.cookies[languageCookie].flatMap { Language(rawValue: $0.value) } ?? settings.language
    }

    /// The session of a cookie's hash, from the cache or the ledger.
    func session(idHash: String) throws -> WebSession? {
        let now = monotonic()
        if let cached = sessionCache.withLock({ $0[idHash] }),
            cached.readAt.advanced(by: .seconds(Self.sessionCacheSeconds)) > now,
            unixNow - cached.session.lastSeen <= Int64(settings.web.sessionIdleSeconds)
        {
            return cached.session
        }
        let unix = unixNow
        let idle = Int64(settings.web.sessionIdleSeconds)
        let found = try read { try $0.session(idHash: idHash, now: unix, idleSeconds: idle) }
        sessionCache.withLock { cache in
            if cache.count > 10_000 { cache.removeAll(keepingCapacity: true) }
            cache[idHash] = found.map { ($0, now) }
        }
        return found
    }

    /// Drops cached sessions: one, or every one of an address.
    func forgetSessions(idHash: String? = nil, address: String? = nil) {
        sessionCache.withLock { cache in
            if let idHash { cache[idHash] = nil }
            if let address { cache = cache.filter { $0.value.session.address != address.lowercased() } }
        }
    }

    /// When tracking started, as `tick` decides it, without recording it:
    /// `track-from:`, else the start the ledger keeps, else its first handled
    /// notice; nil before the daemon's first tick (nothing is history then).
    func trackingStart() -> LocalTime? {
        let from = settings.config.notices.trackFrom.flatMap { CivilDate(iso: $0) }
        let clock = clock
        return
            (try? read { ledger in
                try ledger.trackingStart(trackFrom: from, now: nil, record: false) {
                    clock.local(Date(timeIntervalSince1970: TimeInterval($0)))
                }
            }) ?? nil
    }

    /// Which occurrences are history (overdue before tracking started):
    /// the notice policy's rule, so the desk, `status` and the digests agree.
    func historyRule(_ snapshot: PlanSnapshot) -> (start: LocalTime, isHistory: @Sendable (Occurrence) -> Bool)? {
        guard let start = trackingStart() else { return nil }
        let policy = NoticePolicy(config: settings.config, calendar: snapshot.calendar, trackingStart: start)
        return (start, { policy.isHistory($0) })
    }

    /// Waits for mails queued by `sendLater` (tests, and shutdown).
    public func flushMail() async {
        let tasks = pendingMail.withLock { tasks in
            defer { tasks = [] }
            return tasks
        }
        for task in tasks { await task.value }
    }

    /// Spools a mail after the page is answered, so the answer takes as long
    /// whether or not a mail was sent (no timing tells which addresses exist).
    func sendLater(_ work: @escaping @Sendable () -> Void) {
        let task = Task.detached(priority: .utility) { work() }
        pendingMail.withLock { tasks in
            tasks.removeAll { $0.isCancelled }
            if tasks.count > 1000 { tasks.removeFirst(tasks.count - 1000) }
            tasks.append(task)
        }
    }
}

extension Desk {
    /// Gives memory freed by a large page (a city's board or report) back to
    /// the system: glibc keeps freed blocks in its arenas otherwise, and the
    /// server's footprint would stay at its largest page's.
    static func returnFreedMemory() {
        _ = mallocTrim?(0)
    }

    /// glibc's `malloc_trim`, looked up once (Swift's Glibc module does not
    /// export <malloc.h>); nil on a C library without it.
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
    }()
}

/// Blocking work (file system, SQLite) on NIO's thread pool, off the threads
/// that serve requests.
enum NIOThreadPoolRun {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }
}
