/// A one-time sign-in link for the web desk (issue 17): who signs in, a nonce
/// the web desk records when the link is used (single use), and a short
/// expiry (15 minutes is the web desk's choice, not this module's).
///
/// Body: the 16-byte nonce, then the address in UTF-8 (at most 254 bytes).
/// The nonce comes from the caller's random source: this module has none.
public struct SignInToken: Sendable, Hashable {
    public static let nonceLength = 16
    public static let maximumAddressLength = 254

    public var nonce: [UInt8]
    public var address: String
    public var expiresAt: Int64

    /// Nil when the nonce is not 16 bytes or the address is empty or longer than 254 bytes.
    public init?(nonce: [UInt8], address: String, expiresAt: Int64) {
        guard nonce.count == Self.nonceLength, !address.isEmpty, address.utf8.count <= Self.maximumAddressLength else {
            return nil
        }
        self.nonce = nonce
        self.address = address
        self.expiresAt = expiresAt
    }

    public func sign(with signer: TokenSigner) throws(TokenSigningError) -> String {
        try signer.sign(purpose: .signIn, body: nonce + Array(address.utf8), expiresAt: expiresAt)
    }

    public static func verify(
        _ text: some StringProtocol,
        with signer: TokenSigner,
        now: Int64
    )
        -> TokenVerification<SignInToken>
    {
        signer.verify(text, purposes: [.signIn], now: now).map { token in
            let address = token.body.dropFirst(nonceLength)
            guard let text = String(validating: address, as: UTF8.self) else { return nil }
            return SignInToken(nonce: Array(token.body.prefix(nonceLength)), address: text, expiresAt: token.expiresAt)
        }
    }
}
