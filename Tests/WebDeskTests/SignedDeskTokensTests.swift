import Testing
import Tokens
@testable import WebDesk

/// The real signer behind the desk's links (the `Tokens` module).
@Suite struct SignedDeskTokensTests {
    let tokens: SignedDeskTokens = {
        let key = TokenKey(id: 1, bytes: Array(repeating: 7, count: 32))!
        return SignedDeskTokens(signer: TokenSigner(keyring: TokenKeyring(current: key)!))
    }()
    let nonce: [UInt8] = Array(0..<16)

    @Test func aSignInLinkReadsBackUntilItExpires() throws {
        let token = try #require(tokens.make(address: "wangwu@hospital.example", nonce: nonce, expiresAt: 900))
        #expect(tokens.read(token, now: 0) == .valid(address: "wangwu@hospital.example", nonce: nonce, expiresAt: 900))
        #expect(tokens.read(token, now: 900) == .expired)
    }

    @Test func everyChangedCharacterIsRefused() throws {
        let token = Array(try #require(tokens.make(address: "wangwu@hospital.example", nonce: nonce, expiresAt: 900)))
        for i in token.indices {
            var changed = token
            changed[i] = changed[i] == "a" ? "b" : "a"
            #expect(tokens.read(String(changed), now: 0) == .invalid, "position \(i)")
        }
        #expect(tokens.read(String(token.dropLast()), now: 0) == .invalid)
    }

    @Test func aFeedIsNoSignInAndASignInNoFeed() throws {
        let feed = try #require(tokens.feed(subject: "p:wangwu@hospital.example", expiresAt: 10_000))
        #expect(tokens.readFeed(feed, now: 0) == "p:wangwu@hospital.example")
        #expect(tokens.read(feed, now: 0) == .invalid)
        let link = try #require(tokens.make(address: "wangwu@hospital.example", nonce: nonce, expiresAt: 900))
        #expect(tokens.readFeed(link, now: 0) == nil)
    }

    @Test func aLinkSignedWithARetiredKeyIsTooOldNotForged() throws {
        let old = TokenKey(id: 1, bytes: Array(repeating: 7, count: 32))!
        let token = try #require(tokens.make(address: "a@b.example", nonce: nonce, expiresAt: 900))
        let rotated = try #require(TokenKeyring(current: old)?.rotated(to: Array(repeating: 9, count: 32)))
        let after = SignedDeskTokens(signer: TokenSigner(keyring: rotated))
        #expect(after.read(token, now: 0) == .expired)
    }
}
