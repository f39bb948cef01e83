import Config
import Diagnostics
import Foundation
import HTTPTypes
import Hummingbird
import Journal
import Ledger
import Logging
import MailFormat
import PlanFiles
import Spool
import Synchronization
import Vocabulary

/// Sign-in without passwords: an address in, a one-time link out by mail,
/// a button behind the link (mail scanners follow links; only a POST signs
/// in), a session cookie at the end.
extension Desk {
    static let tokenPurpose = "sign-in"

    func addSignInRoutes(_ router: Router<DeskContext>) {
        router.get("/signin") { request, context in
            let next = Desk.safeNext(request.uri.queryParameters["next"].map(String.init))
            return self.page("signin", request, context, ["next": next, "address": ""])
        }

        router.post("/signin") { request, context in
            let fields = try await self.form(request, context)
            let next = Desk.safeNext(fields["next"])
            let address = (fields["address"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            let allowed = self.clientLimiter.withLock { $0.allow(context.client, at: self.monotonic()) }
            guard allowed else {
                self.journalSignIn(address: address, client: context.client, outcome: "limited")
                throw DeskError.tooManyRequests
            }
            guard Desk.isMailAddress(address) else {
                let problem =
                    Texts.enterWholeAddress.text(in: context.language)
                return self.page(
                    "signin",
                    request,
                    context,
                    status: .badRequest,
                    ["next": next, "address": address, "problem": problem]
                )
            }
            self.requestLink(address: address, next: next, client: context.client)
            let minutes = self.settings.web.signInLinkSeconds / 60
            return self.page(
                "signin-sent",
                request,
                context,
                [
                    "sentLead": Words.text("sentLead", context.language).replacingOccurrences(
                        of: "%MIN%",
                        with: String(minutes)
                    )
                ]
            )
        }

        router.get("/signin/:token") { request, context in
            let token = context.parameters.get("token") ?? ""
            let next = Desk.safeNext(request.uri.queryParameters["next"].map(String.init))
            var model: [String: Any] = ["token": token, "next": next, "usable": false]
            var status = HTTPResponse.Status.ok
            switch self.links.read(token, now: self.unixNow) {
            case .valid(let address, let nonce, _):
                let hash = Desk.nonceHash(nonce)
                if try await self.db({ try $0.isTokenUsed(hash: hash) }) {
                    model["problem"] = Words.text("linkBad", context.language)
                    status = .gone
                } else {
                    model["usable"] = true
                    model["address"] = address
                }
            case .expired:
                model["problem"] = Words.text("linkOld", context.language)
                status = .gone
            case .invalid:
                model["problem"] = Words.text("linkBad", context.language)
                status = .badRequest
            }
            return self.page("signin-confirm", request, context, status: status, model)
        }

        router.post("/signin/:token") { request, context in
            let fields = try await self.form(request, context)
            let token = context.parameters.get("token") ?? ""
            let next = Desk.safeNext(fields["next"])
            let now = self.unixNow
            guard case .valid(let address, let nonce, let expiresAt) = self.links.read(token, now: now) else {
                return self.page(
                    "signin-confirm",
                    request,
                    context,
                    status: .gone,
                    ["usable": false, "problem": Words.text("linkOld", context.language)]
                )
            }
            // Single use: marking and checking are one statement.
            let hash = Desk.nonceHash(nonce)
            let first = try await self.db({
                try $0.useToken(hash: hash, purpose: Desk.tokenPurpose, expiresAt: expiresAt, now: now)
            })
            guard first else {
                return self.page(
                    "signin-confirm",
                    request,
                    context,
                    status: .gone,
                    ["usable": false, "problem": Words.text("linkBad", context.language)]
                )
            }
            guard self.plans.snapshot.access.isKnown(address) else {
                return self.page(
                    "signin-confirm",
                    request,
                    context,
                    status: .forbidden,
                    ["usable": false, "problem": Words.text("notListed", context.language)]
                )
            }
            let id = Desk.randomHex(bytes: 32)
            let session = WebSession(
                idHash: Desk.sha256Hex(id),
                address: address,
                csrf: Desk.randomHex(bytes: 32),
                createdAt: now,
                lastSeen: now,
                client: context.client
            )
            let chosen = try await self.db({ ledger in
                try ledger.createSession(session)
                return try ledger.webLanguage(address: address)
            })
            self.journalSession(address: address, client: context.client, kind: "sign-in")
            var response = Response.redirect(to: next, type: .normal)
            response.headers.append(
                HTTPField(
                    name: .setCookie,
                    value: self.cookie(self.sessionCookie, id, maxAge: self.settings.web.sessionIdleSeconds)
                )
            )
            if let chosen {
                response.headers.append(
                    HTTPField(name: .setCookie, value: self.cookie(self.languageCookie, chosen, maxAge: 400 * 86_400))
                )
            }
            return response
        }

        router.post("/signout") { request, context in
            _ = try await self.form(request, context)
            if let session = context.session {
                _ = try await self.db({ try $0.deleteSession(idHash: session.idHash) })
                self.forgetSessions(idHash: session.idHash)
                self.journalSession(address: session.address, client: context.client, kind: "sign-out")
            }
            return self.signedOut()
        }

        router.post("/signout-everywhere") { request, context in
            _ = try await self.form(request, context)
            if let session = context.session {
                let address = session.address
                _ = try await self.db({ try $0.deleteSessions(address: address) })
                self.forgetSessions(address: address)
                self.journalSession(address: address, client: context.client, kind: "sign-out-everywhere")
            }
            return self.signedOut()
        }

        router.post("/language") { request, context in
            let fields = try await self.form(request, context)
            let language = Language(rawValue: fields["lang"] ?? "") ?? self.settings.language
            if let address = context.session?.address {
                try await self.db({ try $0.setWebLanguage(address: address, language: language.rawValue) })
            }
            var response = Response.redirect(to: Desk.safeNext(fields["back"]), type: .normal)
            response.headers.append(
                HTTPField(
                    name: .setCookie,
                    value: self.cookie(self.languageCookie, language.rawValue, maxAge: 400 * 86_400)
                )
            )
            return response
        }
    }

    private func signedOut() -> Response {
        var response = Response.redirect(to: "/signin", type: .normal)
        response.headers.append(HTTPField(name: .setCookie, value: cookie(sessionCookie, "", maxAge: 0)))
        return response
    }

    /// Mails a link when the address may sign in and has not had too many
    /// lately; the page answers the same in every case, at once, and the
    /// spooling happens after (`sendLater`), so neither the words nor the
    /// time of the answer tell whether an address is known.
    func requestLink(address: String, next: String, client: String) {
        let snapshot = plans.snapshot
        guard snapshot.access.isKnown(address) else {
            journalSignIn(address: address, client: client, outcome: "unknown")
            return
        }
        guard addressLimiter.withLock({ $0.allow(address, at: monotonic()) }) else {
            journalSignIn(address: address, client: client, outcome: "limited")
            return
        }
        guard let base = settings.web.url else {
            logger.error(
                "web desk: web.url is not set in the configuration, so no sign-in link can be mailed",
                metadata: [JournalField.priority: "3"]
            )
            journalSignIn(address: address, client: client, outcome: "no-url")
            return
        }
        var generator = SystemRandomNumberGenerator()
        let nonce = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let instant = now()
        let expires = Int64(instant.timeIntervalSince1970) + Int64(settings.web.signInLinkSeconds)
        guard let token = links.make(address: address, nonce: nonce, expiresAt: expires) else {
            logger.error(
                "web desk: could not make a sign-in link for \(address)",
                metadata: [JournalField.priority: "3"]
            )
            return
        }
        let nextQuery = next == "/" ? "" : "?next=" + PercentDecoding.encode(next)
        let name = snapshot.access.viewer(address)?.name ?? ""
        let sender = SignInMail.mailbox(settings.mailFrom)
        let domain = sender.address.split(separator: "@").last.map(String.init) ?? "localhost"
        let nonceHex = nonce.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        let date = clock.rfc5322(instant)
        let spool = self.spool
        let logger = self.logger
        let defaultLanguage = settings.language
        let minutes = settings.web.signInLinkSeconds / 60
        sendLater { [self] in
            let language =
                ((try? ledger.webLanguage(address: address)) ?? nil).flatMap(Language.init(rawValue:))
                ?? defaultLanguage
            let mail = SignInMail(
                to: address,
                name: name,
                link: base + "/signin/" + token + nextQuery,
                minutes: minutes,
                language: language
            )
            let bytes = mail.message(from: sender, date: date, messageID: "\(nonceHex).signin.plankeeper@\(domain)")
            do {
                _ = try spool.spool(name: mail.spoolName(nonce: nonceHex), bytes: bytes)
                journalSignIn(address: address, client: client, outcome: "mailed")
            } catch {
                logger.error(
                    "web desk: could not spool the sign-in mail to \(address): \(error)",
                    metadata: [JournalField.priority: "3"]
                )
            }
        }
    }

    /// A plausible bare mail address (what the form takes; the plans decide
    /// whether it is known).
    static func isMailAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && text.utf8.count <= 254
            && text.unicodeScalars.allSatisfy {
                $0.isASCII && $0.value > 32 && !"<>,;\"()[]\\".unicodeScalars.contains($0)
            }
    }

    static func nonceHash(_ nonce: [UInt8]) -> String {
        sha256Hex(nonce.map { String($0, radix: 16).leftPadded(to: 2) }.joined())
    }

    func journalSignIn(address: String, client: String, outcome: String) {
        logger.notice(
            "web desk: sign-in link for \(Desk.printable(address)) from \(client): \(outcome)",
            metadata: [
                JournalField.messageID: .string(MessageID.webSignInRequested),
                JournalField.from: .string(Desk.printable(address)),
                JournalField.client: .string(client), JournalField.outcome: .string(outcome),
                JournalField.source: "web",
                JournalField.priority: outcome == "mailed" ? "6" : "5",
            ]
        )
    }

    func journalSession(address: String, client: String, kind: String) {
        logger.notice(
            "web desk: \(address) \(kind) from \(client)",
            metadata: [
                JournalField.messageID: .string(MessageID.webSignIn), JournalField.from: .string(address),
                JournalField.client: .string(client), JournalField.kind: .string(kind), JournalField.source: "web",
            ]
        )
    }

    /// What someone typed, safe for one journal line: no control characters, at most 254 characters.
    static func printable(_ text: String) -> String {
        String(
            String.UnicodeScalarView(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.prefix(254))
        )
    }
}
