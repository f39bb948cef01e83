import Testing

@testable import Tokens

@Suite struct ReplyTokenTests {
    let signer = TokenFixtures.signer
    let now = TokenFixtures.now

    @Test func roundTripsAndFitsAMailAddress() throws {
        let token = TokenFixtures.replyToken()
        let text = try token.sign(with: signer)
        #expect(text.count == ReplyToken.encodedLength)
        #expect(text.count == 47)
        #expect(text.allSatisfy { $0.isLowercase || ("2"..."7").contains($0) })
        let address = try #require(ReplyAddress.make(base: "plankeeper@hospital.example", token: text))
        #expect(address.split(separator: "@")[0].count <= 64)
        #expect(ReplyAddress.token(in: address).map(String.init) == text)
        guard case .valid(let read) = ReplyToken.verify(text, with: signer, now: now) else {
            Issue.record("not valid")
            return
        }
        #expect(read == token)
        #expect(
            read.subject
                == .occurrence(OccurrenceDigest(plan: "surgery-2-2026", item: "branch-committee", period: "2026-11"))
        )
        #expect(read.recipient.matches("WangWu@Hospital.Example"))
        #expect(read.recipient.matches(" wangwu@hospital.example "))
        #expect(!read.recipient.matches("lisi@hospital.example"))
    }

    /// The same token from an independent implementation (Tests/mail/reply_token.py, Python's
    /// hmac, hashlib and base64): `reply_token.py sign KEYS surgery-2-2026 branch-committee 2026-11
    /// wangwu@hospital.example 1829692800` with the key a5…a5 as k1.
    @Test func matchesTheVectorOfAnIndependentImplementation() throws {
        #expect(TokenFixtures.replyToken().expiresAt == 1_829_692_800)
        #expect(try TokenFixtures.replyToken().sign(with: signer) == "aeaqcaorkcqjlvfipfgtto5sfxr2yrilvd3que76rssydga")
    }

    @Test func theSameInputsGiveTheSameToken() throws {
        #expect(try TokenFixtures.replyToken().sign(with: signer) == TokenFixtures.replyToken().sign(with: signer))
    }

    @Test func distinguishesEveryField() throws {
        let base = try TokenFixtures.replyToken().sign(with: signer)
        let others = [
            ReplyToken(
                plan: "surgery-2-2026",
                item: "branch-committee",
                period: "2026-10",
                recipient: "wangwu@hospital.example",
                expiresAt: now + 400 * TokenFixtures.day
            ),
            ReplyToken(
                plan: "surgery-2-2026",
                item: "party-group",
                period: "2026-11",
                recipient: "wangwu@hospital.example",
                expiresAt: now + 400 * TokenFixtures.day
            ),
            ReplyToken(
                plan: "surgery-1-2026",
                item: "branch-committee",
                period: "2026-11",
                recipient: "wangwu@hospital.example",
                expiresAt: now + 400 * TokenFixtures.day
            ),
            ReplyToken(
                plan: "surgery-2-2026",
                item: "branch-committee",
                period: "2026-11",
                recipient: "lisi@hospital.example",
                expiresAt: now + 400 * TokenFixtures.day
            ),
            TokenFixtures.replyToken(expiresAt: now + 401 * TokenFixtures.day),
        ]
        for other in others { #expect(try other.sign(with: signer) != base) }
        // The fields are separated: ("ab", "c") is not ("a", "bc").
        #expect(
            OccurrenceDigest(plan: "ab", item: "c", period: "x") != OccurrenceDigest(plan: "a", item: "bc", period: "x")
        )
    }

    @Test func digestRepliesCarryTheSentDigestID() throws {
        let id = try #require(SentDigestID(0xABCD_EF01_2345))
        let token = ReplyToken(
            subject: .digest(id),
            recipient: AddressDigest(address: "office@hospital.example"),
            expiresAt: now + TokenFixtures.day
        )
        let text = try token.sign(with: signer)
        #expect(text.count == ReplyToken.encodedLength)
        #expect(ReplyToken.verify(text, with: signer, now: now) == .valid(token))
        #expect(SentDigestID(SentDigestID.maximum + 1) == nil)
        #expect(SentDigestID(truncating: UInt64.max).value == SentDigestID.maximum)
    }

    @Test func refusesEveryChangedCharacter() throws {
        let text = Array(try TokenFixtures.replyToken().sign(with: signer))
        var checked = 0
        for index in text.indices {
            for replacement in "abcdefghijklmnopqrstuvwxyz234567" where replacement != text[index] {
                var changed = text
                changed[index] = replacement
                let verdict = ReplyToken.verify(String(changed), with: signer, now: now)
                #expect(verdict.genuine == nil, "character \(index) → \(replacement) was accepted")
                checked += 1
            }
        }
        #expect(checked == 47 * 31)
    }

    @Test func refusesEveryFlippedBit() throws {
        let bytes = try #require(Base32.decode(try TokenFixtures.replyToken().sign(with: signer)))
        for index in bytes.indices {
            for bit in 0..<8 {
                var changed = bytes
                changed[index] ^= 1 << UInt8(bit)
                let verdict = ReplyToken.verify(Base32.encode(changed), with: signer, now: now)
                #expect(verdict.genuine == nil, "byte \(index) bit \(bit) was accepted")
                if index == 0 {
                    #expect(verdict == .unknownVersion(changed[0]))
                } else {
                    #expect(verdict == .badSignature, "byte \(index) bit \(bit): \(verdict)")
                }
            }
        }
    }

    @Test func refusesTruncatedAndExtendedTokens() throws {
        let text = try TokenFixtures.replyToken().sign(with: signer)
        for length in 0..<text.count {
            let verdict = ReplyToken.verify(text.prefix(length), with: signer, now: now)
            #expect(verdict.genuine == nil, "prefix of \(length) was accepted")
        }
        for extra in ["a", "aa", "aaaaaaaa", "q"] {
            #expect(ReplyToken.verify(text + extra, with: signer, now: now).genuine == nil)
        }
        // A MAC cut to fewer bytes, re-encoded so the text is well-formed base32: the last
        // ten bytes are then not the MAC of the rest. Cut into the header: not a token at all.
        let bytes = try #require(Base32.decode(text))
        for cut in 1...(bytes.count - SignedToken.headerLength - SignedToken.macLength) {
            #expect(
                ReplyToken.verify(Base32.encode(Array(bytes.dropLast(cut))), with: signer, now: now) == .badSignature
            )
        }
        #expect(ReplyToken.verify(Base32.encode(Array(bytes.prefix(16))), with: signer, now: now) == .malformed)
    }

    @Test func acceptsUpperCaseAsMailSystemsMayFoldIt() throws {
        let text = try TokenFixtures.replyToken().sign(with: signer)
        #expect(ReplyToken.verify(text.uppercased(), with: signer, now: now).isValid)
    }

    @Test func expiresAtTheMinuteItNames() throws {
        let end = now + 400 * TokenFixtures.day  // a whole minute
        let text = try TokenFixtures.replyToken(expiresAt: end).sign(with: signer)
        #expect(ReplyToken.verify(text, with: signer, now: end - 1).isValid)
        guard case .expired(let token) = ReplyToken.verify(text, with: signer, now: end) else {
            Issue.record("not expired at its end")
            return
        }
        #expect(token == TokenFixtures.replyToken(expiresAt: end))
        #expect(!ReplyToken.verify(text, with: signer, now: end + 10 * 365 * TokenFixtures.day).isValid)
        // Seconds round up to the minute: never shorter than asked.
        let odd = try TokenFixtures.replyToken(expiresAt: end + 1).sign(with: signer)
        #expect(ReplyToken.verify(odd, with: signer, now: end + 1).isValid)
        #expect(ReplyToken.verify(odd, with: signer, now: end + 59).isValid)
        #expect(!ReplyToken.verify(odd, with: signer, now: end + 60).isValid)
    }

    @Test func aRotatedKeyMakesOldTokensTooOldNotForged() throws {
        let old = try TokenFixtures.replyToken().sign(with: signer)
        let rotated = try #require(signer.keyring.rotated(to: TokenFixtures.keyB.bytes))
        #expect(rotated.current.id != TokenFixtures.keyA.id)
        let newSigner = TokenSigner(keyring: rotated)
        #expect(ReplyToken.verify(old, with: newSigner, now: now) == .keyRetired(TokenFixtures.replyToken()))
        let fresh = try TokenFixtures.replyToken().sign(with: newSigner)
        #expect(fresh != old)
        #expect(ReplyToken.verify(fresh, with: newSigner, now: now).isValid)
        // The old keyring does not know the new key at all.
        #expect(ReplyToken.verify(fresh, with: signer, now: now) == .badSignature)
        // A keyring that never had the old key (same id, other bytes) calls it forged.
        let stranger = TokenSigner(keyring: TokenKeyring(current: TokenFixtures.impostor)!)
        #expect(ReplyToken.verify(old, with: stranger, now: now) == .badSignature)
    }

    @Test func aTokenForAnotherDoorIsNotAReply() throws {
        let signIn = try #require(
            SignInToken(
                nonce: Array(repeating: 7, count: 16),
                address: "wangwu@hospital.example",
                expiresAt: now + 900
            )
        )
        let text = try signIn.sign(with: signer)
        #expect(ReplyToken.verify(text, with: signer, now: now) == .wrongPurpose(.signIn))
        let reply = try TokenFixtures.replyToken().sign(with: signer)
        #expect(SignInToken.verify(reply, with: signer, now: now) == .wrongPurpose(.replyToOccurrence))
        #expect(FeedToken.verify(reply, with: signer, now: now) == .wrongPurpose(.replyToOccurrence))
    }

    @Test func neverTrapsOnNoise() {
        var noise = TokenFixtures.Noise(state: 0x9E37_79B9_7F4A_7C15)
        for round in 0..<2_000 {
            let length = Int(noise.next() % 80)
            let bytes = noise.bytes(length)
            // As raw text (mostly not UTF-8 at all) and as well-formed base32 of random bytes.
            let raw = String(decoding: bytes, as: UTF8.self)
            #expect(ReplyToken.verify(raw, with: signer, now: now).genuine == nil)
            let shaped = Base32.encode(bytes)
            let verdict = ReplyToken.verify(shaped, with: signer, now: now)
            #expect(verdict.genuine == nil, "round \(round)")
        }
        #expect(ReplyToken.verify(String(repeating: "a", count: 100_000), with: signer, now: now) == .malformed)
    }
}
