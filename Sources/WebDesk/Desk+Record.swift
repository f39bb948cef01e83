import Config
import Diagnostics
import Foundation
import HTTPTypes
import Hummingbird
import Journal
import Ledger
import Logging
import PlanFormat
import Records
import Reports
import Scheduling
import WorkCalendar
import Vocabulary

/// 登记: one occurrence's page — its records with their evidence, the form to
/// record it (date, attendees, minutes, files), the confirmation saying on
/// time or late, and undo while the period is open.
extension Desk {
    func addRecordRoutes(_ router: Router<DeskContext>) {
        router.get("/record/:plan/:item/:period") { request, context in
            let viewer = try self.requireViewer(request, context)
            let (plan, item, occurrence) = try self.occurrence(context, viewer: viewer)
            let target = RecordTarget(viewer: viewer, plan: plan, item: item, occurrence: occurrence, door: .session)
            return try await self.recordPage(request, context, target)
        }

        router.post("/record/:plan/:item/:period") { request, context in
            let viewer = try self.requireViewer(request, context)
            let (plan, item, occurrence) = try self.occurrence(context, viewer: viewer)
            let target = RecordTarget(viewer: viewer, plan: plan, item: item, occurrence: occurrence, door: .session)
            return try await self.submitRecord(request, context, target)
        }

        router.get("/recorded/:id") { request, context in
            let viewer = try self.requireViewer(request, context)
            guard let id = context.parameters.get("id").flatMap(Int64.init) else { throw DeskError.notFound }
            guard let record = try await self.db({ try $0.record(id: id) }), viewer.maySee(record.plan),
                let (plan, item, occurrence) = self.plans.snapshot.occurrence(
                    plan: record.plan,
                    item: record.item,
                    period: record.period
                )
            else { throw DeskError.notFound }
            let target = RecordTarget(viewer: viewer, plan: plan, item: item, occurrence: occurrence, door: .session)
            return try await self.recordedPage(request, context, target, record: record)
        }

        router.post("/record/:plan/:item/:period/undo") { request, context in
            let viewer = try self.requireViewer(request, context)
            let (plan, item, occurrence) = try self.occurrence(context, viewer: viewer)
            let fields = try await self.form(request, context)
            let target = RecordTarget(viewer: viewer, plan: plan, item: item, occurrence: occurrence, door: .session)
            return try await self.undoRecord(request, context, target, fields: fields)
        }
    }

    /// Records the occurrence from the multipart form: files kept first
    /// (content-addressed, so keeping one twice is harmless and a record
    /// never names a missing file), then the record under the shared rules.
    /// Refusals and a busy ledger bring the form back filled in.
    func submitRecord(_ request: Request, _ context: DeskContext, _ target: RecordTarget) async throws -> Response {
        let (viewer, plan, item, occurrence) = (target.viewer, target.plan, target.item, target.occurrence)
        guard viewer.mayRecord(plan.id) else { throw DeskError.forbidden }
        let receiver = try await upload(request, context)
        defer { receiver.discard() }
        let fields = receiver.fields
        let form = RecordForm(
            doneOn: fields["done_on"] ?? "",
            attendees: fields["attendees"] ?? "",
            minutes: fields["minutes"] ?? ""
        )
        let key = OccurrenceKey(plan: plan.id, item: item.id, period: occurrence.period)
        let existing = try await db({ try $0.records(for: key) })
        let doneOn: CivilDate
        switch form.check(
            occurrence: occurrence,
            existing: existing,
            today: today,
            viewer: viewer,
            language: context.language
        ) {
        case .failure(let problem):
            return try await recordPage(
                request,
                context,
                target,
                form: form,
                problem: problem.description,
                status: .unprocessableContent
            )
        case .success(let date):
            doneOn = date
        }
        var items: [RecordEvidence] = []
        do {
            for file in receiver.files {
                let sha = try evidence.keep(temporaryFile: file.path, sha256: file.sha256)
                items.append(RecordEvidence(name: file.name, type: file.kind.mediaType, size: file.size, sha256: sha))
            }
        } catch {
            logger.error("web desk: cannot keep evidence: \(error)", metadata: [JournalField.priority: "3"])
            throw DeskError.storage
        }
        // The record and its evidence rows in one transaction.
        let new = NewRecord(
            plan: plan.id,
            item: item.id,
            period: occurrence.period,
            doneOn: doneOn.description,
            by: viewer.displayName,
            note: form.minutes.isEmpty ? nil : form.minutes,
            recordedAt: unixNow,
            source: .web,
            byAddress: viewer.address,
            evidence: items
        )
        let attendees = form.attendees
        let record: Record
        do {
            record = try await db({ ledger in
                let record = try ledger.addRecord(new)
                if !attendees.isEmpty { try ledger.setAttendees(recordID: record.id, attendees: attendees) }
                return record
            })
        } catch DeskError.busy {
            // Nothing typed is lost: the form comes back filled in (the
            // files, already kept by their hash, are asked for again).
            var page = try await recordPage(
                request,
                context,
                target,
                form: form,
                problem: Words.text("busy", context.language),
                status: .serviceUnavailable
            )
            page.headers[.retryAfter] = "5"
            return page
        }
        journalRecord(
            record,
            occurrence: occurrence,
            viewer: viewer,
            client: context.client,
            evidence: items.count,
            added: true
        )
        return Response.redirect(to: target.recordedHref(record.id), type: .normal)
    }

    /// The confirmation: on time, or how many working days late.
    func recordedPage(
        _ request: Request,
        _ context: DeskContext,
        _ target: RecordTarget,
        record: Record
    ) async throws -> Response {
        let (viewer, occurrence) = (target.viewer, target.occurrence)
        let l = context.language
        let items = record.evidence
        let all = try await db({ try $0.records(for: record.key) })
        let snapshot = plans.snapshot
        let status = StatusEvaluator(
            calendar: snapshot.calendar,
            today: today,
            completions: OccurrenceView.completions(all)
        ).status(of: occurrence)
        let doneOn = CivilDate(iso: record.doneOn) ?? occurrence.due
        let timing = RecordTiming(doneOn: doneOn, due: occurrence.due, calendar: snapshot.calendar)
        let late = doneOn > occurrence.due
        var verdict = Words.text(late ? "late" : "onTime", l)
        if case .late(let wd) = timing {
            verdict += Texts.workdaysLate(wd).text(in: l)
        }
        if let p = status.progress { verdict += Texts.doneThisPeriod(p).text(in: l) }
        return page(
            "recorded",
            request,
            context,
            current: "Todo",
            [
                "title": OccurrenceView.title(occurrence, l), "owner": occurrence.owner,
                "periodLabel": OccurrenceView.periodName(occurrence.period, l),
                "verdict": verdict, "stateClass": late ? "warn" : "ok", "tone": late ? "warn" : "good",
                "doneOn": record.doneOn, "due": occurrence.due.description,
                "hasEvidence": !items.isEmpty,
                "evidence": items.map {
                    ["name": $0.name, "kind": (FileKind(mediaType: $0.type)?.fileExtension ?? "").uppercased()]
                },
                "undoable": viewer.mayRecord(record.plan) && all.last?.id == record.id
                    && record.byAddress == viewer.address && mayUndo(record, occurrence),
                "undoHref": target.undoHref, "recordID": String(record.id), "backHref": target.backHref,
            ]
        )
    }

    /// Takes back the person's own latest record of the occurrence.
    func undoRecord(
        _ request: Request,
        _ context: DeskContext,
        _ target: RecordTarget,
        fields: [String: String]
    ) async throws -> Response {
        let (viewer, plan, item, occurrence) = (target.viewer, target.plan, target.item, target.occurrence)
        guard viewer.mayRecord(plan.id) else { throw DeskError.forbidden }
        guard let id = fields["record"].flatMap(Int64.init) else { throw DeskError.badRequest }
        let key = OccurrenceKey(plan: plan.id, item: item.id, period: occurrence.period)
        let all = try await db({ try $0.records(for: key) })
        // The rules say which record is this person's to take back (their
        // latest, made by mail or on the web); the form names that one.
        guard
            case .success(let mine) = RecordRules.recordToUndo(
                by: .person(address: viewer.address, source: .web),
                among: all.map(RecordForm.existing)
            ),
            mine.id == id, let record = all.first(where: { $0.id == id })
        else {
            return errorPage(
                .conflict,
                Texts.undoOnlyOwnLatest.text(in: context.language),
                request: request,
                context: context
            )
        }
        guard mayUndo(record, occurrence) else {
            return errorPage(
                .conflict,
                Words.text("periodClosed", context.language),
                request: request,
                context: context
            )
        }
        guard let removed = try await db({ try $0.removeRecord(id: id) }) else { throw DeskError.notFound }
        journalRecord(
            removed,
            occurrence: occurrence,
            viewer: viewer,
            client: context.client,
            evidence: 0,
            added: false
        )
        return Response.redirect(to: target.pageHref + "?undone=1", type: .normal)
    }

    /// Undo is for mistakes: while the occurrence's period is open, or on the
    /// day a record was made (a late record of a closed period can be taken
    /// back at once, not weeks later).
    func mayUndo(_ record: Record, _ occurrence: Occurrence) -> Bool {
        today <= occurrence.periodEnd || unixNow - record.recordedAt < 86_400
    }

    func requireViewer(_ request: Request, _ context: DeskContext) throws -> Viewer {
        guard let viewer = context.viewer else {
            throw DeskError.signInRequired(next: request.uri.path)
        }
        return viewer
    }

    /// The occurrence named by the path, if the viewer may see its plan.
    /// Another branch's page answers 404 like a page that does not exist,
    /// so ids cannot be probed.
    func occurrence(_ context: DeskContext, viewer: Viewer) throws -> (Plan, Item, Occurrence) {
        guard let plan = context.parameters.get("plan"), let item = context.parameters.get("item"),
            let period = context.parameters.get("period"), viewer.maySee(plan),
            let found = plans.snapshot.occurrence(plan: plan, item: item, period: period)
        else { throw DeskError.notFound }
        return found
    }

    func recordPage(
        _ request: Request,
        _ context: DeskContext,
        _ target: RecordTarget,
        form: RecordForm? = nil,
        problem: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let (viewer, plan, item, occurrence) = (target.viewer, target.plan, target.item, target.occurrence)
        let l = context.language
        let key = OccurrenceKey(plan: plan.id, item: item.id, period: occurrence.period)
        let records = try await db({ try $0.records(for: key) })
        let ids = records.map(\.id)
        let attendees = try await db({ try $0.attendees(recordIDs: ids) })
        let today = self.today
        let calendar = plans.snapshot.calendar
        let current = StatusEvaluator(
            calendar: calendar,
            today: today,
            completions: OccurrenceView.completions(records)
        ).status(of: occurrence)
        let mayRecord = viewer.mayRecord(plan.id)
        let canAddMore = occurrence.requiredCount.map { records.count < $0.upperBound } ?? records.isEmpty
        let limits = settings.web.limits
        var model: [String: Any] = OccurrenceView.row(current, today: today, l)
        model["note"] = item.note ?? ""
        model["problem"] = problem ?? (request.uri.queryParameters["undone"] != nil ? Words.text("undone", l) : "")
        model["showForm"] = mayRecord && canAddMore
        model["notContact"] = !mayRecord
        model["postHref"] = target.pageHref
        model["undoHref"] = target.undoHref
        model["signInHint"] = target.door != .session
        model["doneOn"] = form?.doneOn ?? min(today, occurrence.periodEnd.adding(days: 3650)).description
        model["attendees"] = form?.attendees ?? ""
        model["minutes"] = form?.minutes ?? ""
        model["minDate"] = RecordForm.earliest(occurrence).description
        model["maxDate"] = today.description
        model["attachmentsHint"] = Words.text("attachmentsHint", l)
            .replacingOccurrences(of: "%N%", with: String(limits.uploads))
            .replacingOccurrences(of: "%SIZE%", with: OccurrenceView.size(limits.uploadBytes))
        let mineToUndo: Int64? = {
            guard
                case .success(let mine) = RecordRules.recordToUndo(
                    by: .person(address: viewer.address, source: .web),
                    among: records.map(RecordForm.existing)
                )
            else { return nil }
            return mine.id
        }()
        model["records"] = records.map { r -> [String: Any] in
            let done = CivilDate(iso: r.doneOn)
            let late = done.map { $0 > occurrence.due } ?? false
            let list = r.evidence
            return [
                "id": String(r.id), "doneOn": r.doneOn, "by": r.by ?? "—", "note": r.note ?? "",
                "attendees": attendees[r.id].map { Texts.attendeesPrefix.text(in: l) + $0 } ?? "",
                "stateText": Words.text(late ? "late" : "onTime", l), "stateClass": late ? "warn" : "ok",
                "hasEvidence": !list.isEmpty,
                "evidence": list.map {
                    ["name": $0.name, "size": OccurrenceView.size($0.size), "href": "/evidence/\(r.id)/\($0.sha256)"]
                },
                "source": OccurrenceView.sourceText(r.source, l),
                "undoable": mayRecord && r.id == mineToUndo && mayUndo(r, occurrence),
            ]
        }
        if let recordedID = request.uri.queryParameters["recorded"].flatMap({ Int64(String($0)) }),
            let record = records.first(where: { $0.id == recordedID }), target.door != .session
        {
            // A link's confirmation is the record page itself (no session to show /recorded with).
            return try await recordedPage(request, context, target, record: record)
        }
        return page("record", request, context, current: "Todo", status: status, model)
    }

    func journalRecord(
        _ record: Record,
        occurrence: Occurrence,
        viewer: Viewer,
        client: String,
        evidence: Int,
        added: Bool
    ) {
        let text =
            added
            ? "web desk: recorded \(occurrence.owner) · \(occurrence.title) (\(occurrence.period)) done \(record.doneOn) by \(viewer.address)"
            : "web desk: record removed: \(occurrence.owner) · \(occurrence.title) (\(occurrence.period)) by \(viewer.address)"
        logger.notice(
            "\(text)",
            metadata: [
                JournalField.messageID: .string(added ? MessageID.recordAdded : MessageID.recordRemoved),
                JournalField.plan: .string(record.plan), JournalField.item: .string(record.item),
                JournalField.period: .string(record.period), JournalField.owner: .string(occurrence.owner),
                JournalField.due: .string(occurrence.due.description), JournalField.kind: added ? "record" : "undo",
                JournalField.source: "web", JournalField.from: .string(viewer.address),
                JournalField.client: .string(client),
                JournalField.evidence: .string(String(evidence)),
            ]
        )
    }
}

/// What the record form sent, checked by the rules every front door applies
/// (`Records`: not before the occurrence's period, not after today, one
/// record unless the item counts times), plus the form's own limits.
struct RecordForm {
    var doneOn: String
    var attendees: String
    var minutes: String

    static func earliest(_ o: Occurrence) -> CivilDate {
        o.periodStart
    }

    func check(
        occurrence o: Occurrence,
        existing: [Record],
        today: CivilDate,
        viewer: Viewer,
        language l: Language
    )
        -> Result<CivilDate, RecordProblem>
    {
        guard let date = CivilDate(iso: doneOn.trimmingCharacters(in: .whitespaces)) else {
            return .failure(
                RecordProblem(Texts.enterDoneDate.text(in: l))
            )
        }
        if attendees.count > 500 || minutes.count > 20_000 {
            return .failure(RecordProblem(Texts.attendeesOrMinutesTooLong.text(in: l)))
        }
        let request = RecordRequest(doneOn: date, source: .web, by: viewer.displayName, byAddress: viewer.address)
        switch RecordRules.check(request, of: o, existing: existing.map(Self.existing), today: today) {
        case .accept: return .success(date)
        case .refuse(let refusal):
            return .failure(RecordProblem(Texts.refused(refusal).text(in: l)))
        }
    }

    /// A ledger row as the rules see it.
    static func existing(_ r: Record) -> ExistingRecord {
        ExistingRecord(
            id: r.id,
            doneOn: CivilDate(iso: r.doneOn),
            by: r.by,
            byAddress: r.byAddress,
            source: r.source,
            recordedAt: r.recordedAt
        )
    }
}

struct RecordProblem: Error, CustomStringConvertible {
    var description: String
    init(_ text: String) { description = text }
}

/// One occurrence being recorded, by whom, and through which door: a
/// signed-in session (`/record/PLAN/ITEM/PERIOD`) or the personal link of a
/// notice mail (`/o/TOKEN`), which is the only credential it needs.
struct RecordTarget {
    enum Door: Equatable {
        case session
        case link(token: String)
    }

    var viewer: Viewer
    var plan: Plan
    var item: Item
    var occurrence: Occurrence
    var door: Door

    var pageHref: String {
        switch door {
        case .session: OccurrenceView.recordHref(occurrence)
        case .link(let token): "/o/" + token
        }
    }

    var undoHref: String { pageHref + "/undo" }

    func recordedHref(_ id: Int64) -> String {
        switch door {
        case .session: "/recorded/\(id)"
        case .link: pageHref + "?recorded=\(id)"
        }
    }

    var backHref: String { door == .session ? "/todo" : pageHref }
}
