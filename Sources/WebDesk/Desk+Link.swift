import Foundation
import Hummingbird
import PlanFormat
import Scheduling
import Tokens
import Vocabulary

/// The personal link in a notice mail: `/o/TOKEN`, where TOKEN is the mail's
/// reply token (one occurrence, one recipient, signed, expiring). It opens
/// that occurrence's record page without signing in; a GET only shows it
/// (mail scanners follow links), and only the form's POST records — as the
/// person the mail was sent to, for that one occurrence, nothing else.
extension Desk {
    func addLinkRoutes(_ router: Router<DeskContext>) {
        router.get("/o/:token") { request, context in
            let target = try self.linkTarget(context)
            return try await self.recordPage(request, context, target)
        }
        router.post("/o/:token") { request, context in
            let target = try self.linkTarget(context)
            return try await self.submitRecord(request, context, target)
        }
        router.post("/o/:token/undo") { request, context in
            let target = try self.linkTarget(context)
            let fields = try await self.form(request, context)
            return try await self.undoRecord(request, context, target, fields: fields)
        }
    }

    /// The occurrence and person a link names, if it is genuine, unexpired,
    /// and the plans still hold both. Anything else is a 404 (expired: 410),
    /// saying nothing about what the token might have named.
    func linkTarget(_ context: DeskContext) throws -> RecordTarget {
        guard let token = context.parameters.get("token") else { throw DeskError.notFound }
        switch links.readOccurrenceLink(token, now: unixNow) {
        case .invalid:
            throw DeskError.notFound
        case .expired:
            throw DeskError.linkExpired
        case .valid(let digest, let recipient):
            let snapshot = plans.snapshot
            guard let viewer = snapshot.access.viewer(digest: recipient) else { throw DeskError.notFound }
            let expander = snapshot.expander
            for planID in (viewer.records.union(viewer.supervises)).sorted() {
                guard let plan = snapshot.byID[planID] else { continue }
                for item in plan.items {
                    for o in expander.occurrences(of: item, in: plan)
                    where OccurrenceDigest(plan: o.planID, item: o.itemID, period: o.period) == digest {
                        return RecordTarget(
                            viewer: viewer,
                            plan: plan,
                            item: item,
                            occurrence: o,
                            door: .link(token: token)
                        )
                    }
                }
            }
            throw DeskError.notFound
        }
    }
}
