import Crypto

/// Makes and reads tokens with a keyring. Pure: the keys and "now" come from
/// the caller; the same inputs give the same token, so a notice composed twice
/// is byte-identical.
public struct TokenSigner: Sendable {
    /// Prefixed to the signed bytes, so that a MAC made here can never be
    /// mistaken for one made with the same key for something else.
    static let label = Array("plankeeper-token\u{0}".utf8)

    public let keyring: TokenKeyring

    public init(keyring: TokenKeyring) {
        self.keyring = keyring
    }

    /// The token's text: lower-case base32, `SignedToken.encodedLength` characters.
    /// `expiresAt` (Unix seconds) is rounded up to the next whole minute.
    public func sign(purpose: TokenPurpose, body: [UInt8], expiresAt: Int64) throws(TokenSigningError) -> String {
        guard body.count <= SignedToken.maximumBodyLength else { throw .bodyTooLong(body.count) }
        guard expiresAt >= 0, expiresAt <= Int64(UInt32.max) * 60 - 59 else { throw .expiryOutOfRange(expiresAt) }
        let minute = UInt32((expiresAt + 59) / 60)
        let token = SignedToken(purpose: purpose, keyID: keyring.current.id, expiresAtMinute: minute, body: body)
        var bytes = token.signedBytes
        bytes += Self.mac(bytes, key: keyring.current)
        return Base32.encode(bytes)
    }

    /// Reads `text` and says what it is, for a caller that accepts any of
    /// `purposes`, at `now` (Unix seconds). Never traps, whatever the text.
    ///
    /// Order of checks: shape, version, key, MAC (in constant time), then
    /// the MAC-protected facts (purpose, key retired, expiry); nothing
    /// inside an unauthenticated token is believed.
    public func verify(
        _ text: some StringProtocol,
        purposes: Set<TokenPurpose>,
        now: Int64
    ) -> TokenVerification<SignedToken> {
        let maximum = SignedToken.encodedLength(bodyLength: SignedToken.maximumBodyLength)
        guard text.utf8.count <= maximum, let bytes = Base32.decode(text) else { return .malformed }
        guard bytes.count >= SignedToken.headerLength + SignedToken.macLength else { return .malformed }
        guard bytes[0] == SignedToken.currentVersion else { return .unknownVersion(bytes[0]) }
        let macStart = bytes.count - SignedToken.macLength
        let signed = Array(bytes[..<macStart])
        guard let (key, isCurrent) = keyring.key(id: bytes[2]) else { return .badSignature }
        guard ConstantTime.equals(Self.mac(signed, key: key), bytes[macStart...]) else { return .badSignature }
        // Genuine from here on: the fields were written by us.
        guard let purpose = TokenPurpose(rawValue: bytes[1]) else { return .malformed }
        let minute = bytes[3..<7].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let token = SignedToken(
            purpose: purpose,
            keyID: bytes[2],
            expiresAtMinute: minute,
            body: Array(bytes[SignedToken.headerLength..<macStart])
        )
        if !purposes.contains(purpose) { return .wrongPurpose(purpose) }
        if !isCurrent { return .keyRetired(token) }
        if now >= token.expiresAt { return .expired(token) }
        return .valid(token)
    }

    static func mac(_ signed: [UInt8], key: TokenKey) -> [UInt8] {
        let code = HMAC<SHA256>.authenticationCode(for: label + signed, using: SymmetricKey(data: key.bytes))
        return Array(Array(code).prefix(SignedToken.macLength))
    }
}
