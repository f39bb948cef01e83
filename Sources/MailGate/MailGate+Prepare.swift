import Config
import PlanFiles
import Evidence
import Foundation
import InboundMail
import Ledger
import PlanFormat
import Records
import Scheduling
import Secrets
import Tokens
import Outbox
import Vocabulary
import WorkCalendar

extension MailGate {
    /// What a message asks for, worked out before the ledger is written:
    /// the token checked, what it answers found, the sender checked, the
    /// command read, and the evidence stored (files are content-addressed, so
    /// storing them again on a retry is harmless).
    struct Preparation {
        enum Kind {
            /// Nothing to record: this outcome is the answer.
            case final(MailInOutcome)
            case command(Command)
        }

        struct Command {
            enum Action {
                case done(CivilDate)
                case undo
            }
            var action: Action
            var targets: [Target]
            var digest: Bool
            var note: String?
        }

        enum Target {
            case occurrence(Occurrence, line: Int?)
            /// A digest line that cannot be acted on, with the reason already known.
            case unavailable(LineResult)
        }

        var kind: Kind
        /// The verified token, for a fresh Reply-To on the answer.
        var token: ReplyToken?
        /// The name the answer greets and records carry.
        var name: String
        var evidence: [RecordEvidence] = []
        var calendar: WorkdayCalendar?
    }

    func prepare(_ message: InboundMessage, from: Address, token text: String?, input: MailInput) throws -> Preparation
    {
        var name = from.name.isEmpty ? from.address : from.name
        func final(_ outcome: MailInOutcome) -> Preparation {
            Preparation(kind: .final(outcome), token: nil, name: name)
        }
        if input.isTooLarge { return final(.tooLarge(size: input.totalSize, limit: input.bytes.count)) }
        guard let text else { return final(.noToken) }
        let keyring = try deferring { try TokenKeyFile(stateDirectory: config.state).load() }
        // No key file: no token was ever made here, so this one is not ours.
        guard let keyring else { return final(.badToken(.badSignature)) }
        let token: ReplyToken
        switch ReplyToken.verify(text, with: TokenSigner(keyring: keyring), now: nowSeconds) {
        case .valid(let t): token = t
        case .expired: return final(.badToken(.expired))
        case .keyRetired: return final(.badToken(.keyRetired))
        case .unknownVersion: return final(.badToken(.unknownVersion))
        case .wrongPurpose: return final(.badToken(.wrongPurpose))
        case .badSignature: return final(.badToken(.badSignature))
        case .malformed: return final(.badToken(.malformed))
        }

        let loaded: PlanLoader.Loaded
        do {
            loaded = try PlanLoader.load(paths: [config.plans], holidays: config.holidays)
        } catch {
            throw Deferred(reason: "cannot read the plans: \(error)")
        }
        let reply = ReplyText(message.text)
        var preparation = Preparation(kind: .final(.noToken), token: token, name: name, calendar: loaded.calendar)

        let command: Preparation.Command
        switch token.subject {
        case .occurrence(let digest):
            let matches = Self.occurrences(matching: digest, in: loaded)
            guard matches.count == 1, let (plan, occurrence) = matches.first else {
                preparation.kind = .final(.unknownSubject(digest: false))
                return preparation
            }
            guard token.recipient.matches(from.address) || Self.contact(from.address, in: plan) != nil else {
                preparation.kind = .final(.notAuthorised)
                return preparation
            }
            if let contact = Self.contact(from.address, in: plan) { name = contact.name }
            preparation.name = name
            switch ReplyCommand.parse(reply, today: today, numbered: false) {
            case .help(let reason):
                preparation.kind = .final(.help(reason, digest: false))
                return preparation
            case .done(let date, _, let note):
                command = .init(
                    action: .done(date),
                    targets: [.occurrence(occurrence, line: nil)],
                    digest: false,
                    note: note
                )
            case .undo:
                command = .init(action: .undo, targets: [.occurrence(occurrence, line: nil)], digest: false, note: nil)
            }
        case .digest(let id):
            let ledger = try deferring { try Ledger.open(folder: config.state, busyTimeout: busyTimeout) }
            guard let sent = try deferring({ try ledger.sentDigest(id: Int64(id.value)) }) else {
                preparation.kind = .final(.unknownSubject(digest: true))
                return preparation
            }
            let parsed = ReplyCommand.parse(reply, today: today, numbered: true)
            let action: Preparation.Command.Action
            let numbers: [Int]
            var note: String?
            switch parsed {
            case .help(let reason):
                preparation.kind = .final(.help(reason, digest: true))
                return preparation
            case .done(let date, let lines, let n):
                action = .done(date)
                numbers = lines
                note = n
            case .undo(let lines):
                action = .undo
                numbers = lines
            }
            let plans = Dictionary(loaded.catalog.plans.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            let mine = token.recipient.matches(from.address)
            var targets: [Preparation.Target] = []
            for number in numbers {
                guard let key = sent.lines[number] else {
                    targets.append(.unavailable(.noSuchLine(number)))
                    continue
                }
                guard let plan = plans[key.plan], let item = plan.items.first(where: { $0.id == key.item }),
                    let occurrence = loaded.expander.occurrences(of: item, in: plan).first(where: {
                        $0.period == key.period
                    })
                else {
                    targets.append(.unavailable(.lineGone(number, plan: key.plan, item: key.item, period: key.period)))
                    continue
                }
                if !mine && Self.contact(from.address, in: plan) == nil {
                    targets.append(.unavailable(.lineNotAuthorised(AnsweredOccurrence(occurrence), line: number)))
                    continue
                }
                if name == from.address || name == from.name, let contact = Self.contact(from.address, in: plan) {
                    name = contact.name
                }
                targets.append(.occurrence(occurrence, line: number))
            }
            preparation.name = name
            let anyAuthorised = targets.contains { if case .occurrence = $0 { true } else { false } }
            if !anyAuthorised && !mine && !targets.isEmpty
                && targets.allSatisfy({ if case .unavailable(.lineNotAuthorised) = $0 { true } else { false } })
            {
                preparation.kind = .final(.notAuthorised)
                return preparation
            }
            command = .init(action: action, targets: targets, digest: true, note: note)
        }
        preparation.kind = .command(command)
        if case .done(let date) = command.action, !message.attachments.isEmpty,
            try wouldRecordAny(command, date: date, from: from)
        {
            let store = EvidenceStore(stateDirectory: config.state)
            preparation.evidence = try message.attachments.map { file in
                let stored = try deferring { try store.store(file.bytes) }
                return RecordEvidence(name: file.name, type: file.type, size: stored.size, sha256: stored.sha256)
            }
        }
        return preparation
    }

    /// Whether at least one target would be recorded (read outside the
    /// transaction): evidence is stored only then. A race with another
    /// writer can only leave an unused file, never a record without its file.
    func wouldRecordAny(_ command: Preparation.Command, date: CivilDate, from: Address) throws -> Bool {
        let ledger = try deferring { try Ledger.open(folder: config.state, busyTimeout: busyTimeout) }
        for case .occurrence(let o, _) in command.targets {
            let existing = try deferring {
                try ledger.records(for: OccurrenceKey(plan: o.planID, item: o.itemID, period: o.period))
            }
            let request = RecordRequest(doneOn: date, source: .mail, byAddress: from.address)
            if case .accept = RecordRules.check(
                request,
                of: o,
                existing: existing.map(ExistingRecord.init),
                today: today
            ) {
                return true
            }
        }
        return false
    }

    /// Every occurrence of the loaded plans whose digest is `digest` (one, unless the plans changed under it).
    static func occurrences(matching digest: OccurrenceDigest, in loaded: PlanLoader.Loaded) -> [(Plan, Occurrence)] {
        var found: [(Plan, Occurrence)] = []
        let expander = loaded.expander
        for plan in loaded.catalog.plans {
            for item in plan.items {
                for occurrence in expander.occurrences(of: item, in: plan)
                where OccurrenceDigest(plan: plan.id, item: item.id, period: occurrence.period) == digest {
                    found.append((plan, occurrence))
                }
            }
        }
        return found
    }

    /// The plan's contact with this address (any role), compared without case.
    static func contact(_ address: String, in plan: Plan) -> Address? {
        let lower = address.lowercased()
        for role in plan.contacts.keys.sorted() {
            if let contact = plan.contacts[role]?.first(where: { $0.address.lowercased() == lower }) { return contact }
        }
        return nil
    }
}
