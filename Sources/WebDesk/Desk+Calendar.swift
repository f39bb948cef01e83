import Config
import Diagnostics
import Foundation
import Hummingbird
import Ledger
import NIOCore
import PlanFormat
import Reports
import Scheduling
import Tokens
import Vocabulary

/// Calendar feeds a phone subscribes to: `/calendar/TOKEN.ics`, one per
/// person (every plan they record for) and one per branch. The token is the
/// only credential (calendar apps send no cookies): signed by the shared key,
/// read-only by its purpose, and long-lived (`web.feed-expiry`); rotating the
/// key ends them all.
extension Desk {
    /// What a feed shows: a person's plans, or one plan.
    enum FeedSubject: Equatable {
        case person(String)
        case plan(String)

        var text: String {
            switch self {
            case .person(let address): "p:" + address
            case .plan(let id): "b:" + id
            }
        }

        init?(text: String) {
            if text.hasPrefix("p:") {
                self = .person(String(text.dropFirst(2)))
            } else if text.hasPrefix("b:") {
                self = .plan(String(text.dropFirst(2)))
            } else {
                return nil
            }
        }
    }

    func feedURL(_ subject: FeedSubject) -> String? {
        guard let base = settings.web.url,
            let token = links.feed(subject: subject.text, expiresAt: unixNow + Int64(settings.web.feedSeconds))
        else { return nil }
        return base + "/calendar/" + token + ".ics"
    }

    func addCalendarRoutes(_ router: Router<DeskContext>) {
        router.get("/calendar/:file") { request, context in
            guard let file = context.parameters.get("file"), file.hasSuffix(".ics"),
                let text = self.links.readFeed(String(file.dropLast(4)), now: self.unixNow),
                let subject = FeedSubject(text: text)
            else { throw DeskError.notFound }
            let snapshot = self.plans.snapshot
            let plans: [Plan]
            let name: String
            let l = self.settings.language
            switch subject {
            case .person(let address):
                guard let viewer = snapshot.access.viewer(address) else { throw DeskError.notFound }
                plans = viewer.records.sorted().compactMap { snapshot.byID[$0] }
                name = Texts.partyWorkCalendarName(viewer.displayName).text(in: l)
            case .plan(let id):
                guard let plan = snapshot.byID[id] else { throw DeskError.notFound }
                plans = [plan]
                name = Texts.partyWorkCalendarName(plan.owner).text(in: l)
            }
            let expander = snapshot.expander
            let occurrences = plans.flatMap { expander.occurrences(of: $0) }
            let ics = ICSCalendar(name: name, stamp: Int(self.unixNow), language: OccurrenceView.reportLanguage(l))
            let body = ics.render(
                occurrences,
                planTitles: Dictionary(plans.map { ($0.id, $0.title) }, uniquingKeysWith: { a, _ in a })
            )
            return Response(
                status: .ok,
                headers: [.contentType: "text/calendar; charset=utf-8", .cacheControl: "private, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: body))
            )
        }
    }
}
