@testable import Tokens

/// Fixed keys and a fixed "now", so every test is deterministic.
enum TokenFixtures {
    static let keyA = TokenKey(id: 1, bytes: Array(repeating: 0xA5, count: 32))!
    static let keyB = TokenKey(id: 2, bytes: (0..<32).map { UInt8($0) })!
    /// Same id as `keyA`, other bytes: a keyring that never had keyA.
    static let impostor = TokenKey(id: 1, bytes: Array(repeating: 0x5A, count: 32))!
    static let signer = TokenSigner(keyring: TokenKeyring(current: keyA)!)
    /// 2026-11-20T00:00:00Z.
    static let now: Int64 = 1_795_132_800
    static let day: Int64 = 86_400

    static func replyToken(expiresAt: Int64 = now + 400 * day) -> ReplyToken {
        ReplyToken(
            plan: "surgery-2-2026",
            item: "branch-committee",
            period: "2026-11",
            recipient: "wangwu@hospital.example",
            expiresAt: expiresAt
        )
    }

    /// A deterministic stream of bytes (xorshift), for inputs nobody chose.
    struct Noise {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) } }
    }
}
