import Testing

@testable import Tokens

@Suite struct SignedTokenTests {
    let signer = TokenFixtures.signer
    let now = TokenFixtures.now

    @Test func theMACIsAtLeast80Bits() {
        #expect(SignedToken.macLength * 8 >= 80)
    }

    @Test func signInTokensRoundTripAndExpireAfterTheirMinutes() throws {
        let nonce = (0..<16).map { UInt8($0 * 3) }
        let token = try #require(SignInToken(nonce: nonce, address: "王五 测试@hospital.example", expiresAt: now + 900))
        let text = try token.sign(with: signer)
        #expect(SignInToken.verify(text, with: signer, now: now + 899) == .valid(token))
        #expect(SignInToken.verify(text, with: signer, now: now + 900) == .expired(token))
        #expect(SignInToken(nonce: [1, 2, 3], address: "a@b", expiresAt: now) == nil)
        #expect(SignInToken(nonce: nonce, address: "", expiresAt: now) == nil)
    }

    @Test func feedTokensRoundTrip() throws {
        let token = try #require(FeedToken(subject: "plan:surgery-2-2026", expiresAt: now + 3_650 * TokenFixtures.day))
        let text = try token.sign(with: signer)
        #expect(FeedToken.verify(text, with: signer, now: now) == .valid(token))
        #expect(FeedToken(subject: String(repeating: "x", count: 257), expiresAt: now) == nil)
    }

    @Test func aGenuineBodyThatDoesNotParseIsMalformed() throws {
        // A reply-purpose token with a body of the wrong length: genuine MAC, unreadable payload.
        let text = try signer.sign(purpose: .replyToOccurrence, body: [1, 2, 3], expiresAt: now + 60)
        #expect(signer.verify(text, purposes: [.replyToOccurrence], now: now).isValid)
        #expect(ReplyToken.verify(text, with: signer, now: now) == .malformed)
    }

    @Test func refusesToSignWhatItCouldNotRead() {
        #expect(throws: TokenSigningError.bodyTooLong(513)) {
            try signer.sign(purpose: .calendarFeed, body: Array(repeating: 0, count: 513), expiresAt: now)
        }
        #expect(throws: TokenSigningError.expiryOutOfRange(-1)) {
            try signer.sign(purpose: .calendarFeed, body: [], expiresAt: -1)
        }
        #expect(throws: TokenSigningError.expiryOutOfRange(Int64.max)) {
            try signer.sign(purpose: .calendarFeed, body: [], expiresAt: .max)
        }
        // The largest body still round-trips.
        let body = Array(repeating: UInt8(9), count: SignedToken.maximumBodyLength)
        let text = try? signer.sign(purpose: .calendarFeed, body: body, expiresAt: now + 60)
        #expect(text.map { signer.verify($0, purposes: [.calendarFeed], now: now).genuine?.body } == body)
    }

    @Test func keysMustBeLongEnoughAndIdsUnique() {
        #expect(TokenKey(id: 0, bytes: Array(repeating: 1, count: 15)) == nil)
        #expect(TokenKeyring(current: TokenFixtures.keyA, retired: [TokenFixtures.impostor]) == nil)
        #expect(TokenFixtures.signer.keyring.rotated(to: [1, 2, 3]) == nil)
        #expect(!String(describing: TokenFixtures.keyA).contains("165"))  // 0xA5: the bytes are never printed
    }

    @Test func manyRotationsKeepIdsUniqueAndOldTokensRecognised() throws {
        var keyring = signer.keyring
        let first = try TokenFixtures.replyToken().sign(with: signer)
        var tokens: [String] = []
        for round in 0..<300 {
            keyring = try #require(
                keyring.rotated(to: Array(repeating: UInt8(round % 251), count: 31) + [UInt8(round / 251)])
            )
            #expect(Set(([keyring.current] + keyring.retired).map(\.id)).count == keyring.retired.count + 1)
            #expect(keyring.retired.count <= 254)
            tokens.append(try TokenFixtures.replyToken().sign(with: TokenSigner(keyring: keyring)))
        }
        let latest = TokenSigner(keyring: keyring)
        #expect(ReplyToken.verify(tokens[299], with: latest, now: now).isValid)
        #expect(ReplyToken.verify(tokens[298], with: latest, now: now) == .keyRetired(TokenFixtures.replyToken()))
        // The first key was forgotten after 254 rotations: its tokens are no longer recognised at all.
        #expect(ReplyToken.verify(first, with: latest, now: now).genuine == nil)
    }

    @Test func constantTimeEqualityIsEquality() {
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
        #expect(ConstantTime.equals([UInt8](), [UInt8]()))
    }
}
