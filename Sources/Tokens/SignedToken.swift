/// A token's content: what it is for, until when, and a purpose-specific body.
/// `TokenSigner` turns it into text and back.
///
/// Wire format, version 1 (then base32, lower case):
///
///     version(1) purpose(1) key-id(1) expires(4, minutes since 1970, big-endian) body(n) mac(10)
///
/// The MAC is HMAC-SHA256 under the key named by key-id over a fixed label
/// and every byte before it, truncated to 80 bits (RFC 2104 §5: not less than
/// half the hash and not less than 80 bits is the advice; an attacker must
/// guess 2⁸⁰ values blind, since every wrong guess is answered the same way).
/// Minutes, not seconds, keep the field at four bytes for ten thousand years.
public struct SignedToken: Sendable, Hashable {
    public static let currentVersion: UInt8 = 1
    public static let headerLength = 7
    public static let macLength = 10
    /// Bodies larger than this are refused when signing and when reading, so a
    /// token stays something that fits in a URL.
    public static let maximumBodyLength = 512

    public var purpose: TokenPurpose
    /// The id of the key that signed it (set by the signer).
    public var keyID: UInt8
    /// Minutes since 1970-01-01T00:00Z; the token is valid before this minute starts.
    public var expiresAtMinute: UInt32
    public var body: [UInt8]

    public init(purpose: TokenPurpose, keyID: UInt8, expiresAtMinute: UInt32, body: [UInt8]) {
        self.purpose = purpose
        self.keyID = keyID
        self.expiresAtMinute = expiresAtMinute
        self.body = body
    }

    /// Unix seconds at which the token stops being valid.
    public var expiresAt: Int64 { Int64(expiresAtMinute) * 60 }

    /// The number of base32 characters of a token with a body of `bodyLength` bytes.
    public static func encodedLength(bodyLength: Int) -> Int {
        Base32.encodedLength(ofBytes: headerLength + bodyLength + macLength)
    }

    /// Header and body: the bytes the MAC covers (after the label).
    var signedBytes: [UInt8] {
        var bytes: [UInt8] = [Self.currentVersion, purpose.rawValue, keyID]
        bytes.reserveCapacity(Self.headerLength + body.count + Self.macLength)
        withUnsafeBytes(of: expiresAtMinute.bigEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: body)
        return bytes
    }
}

/// What reading a token found: `Payload` is the raw `SignedToken`, or what a
/// typed token (`ReplyToken`, `SignInToken`, …) made of its body. Everything
/// but `valid` means "do nothing", but each case earns its own polite answer
/// ("this link is too old" is not "this link is not ours").
public enum TokenVerification<Payload: Sendable & Hashable>: Sendable, Hashable {
    /// Genuine, unexpired, current key, for one of the purposes asked for.
    case valid(Payload)
    /// Genuine, but its time is up.
    case expired(Payload)
    /// Genuine, but signed by a key that has since been rotated out: the
    /// token predates `--rotate-key` and no longer counts.
    case keyRetired(Payload)
    /// Genuine, but made for another door.
    case wrongPurpose(TokenPurpose)
    /// Well-formed, but its MAC is not ours: altered, forged, truncated, or
    /// from a key this keyring never had.
    case badSignature
    /// Made by a format this program does not know (a newer plankeeper).
    case unknownVersion(UInt8)
    /// Not base32, too short, too long, or otherwise not a token.
    case malformed

    /// The payload when the token is genuine (its MAC checks), whatever else is wrong with it.
    public var genuine: Payload? {
        switch self {
        case .valid(let p), .expired(let p), .keyRetired(let p): p
        case .wrongPurpose, .badSignature, .unknownVersion, .malformed: nil
        }
    }

    public var isValid: Bool {
        if case .valid = self { return true }
        return false
    }

    /// The same verdict about another reading of the payload; a payload that
    /// `transform` cannot read (nil) makes the token `malformed`.
    public func map<T: Sendable & Hashable>(_ transform: (Payload) -> T?) -> TokenVerification<T> {
        switch self {
        case .valid(let p): transform(p).map { .valid($0) } ?? .malformed
        case .expired(let p): transform(p).map { .expired($0) } ?? .malformed
        case .keyRetired(let p): transform(p).map { .keyRetired($0) } ?? .malformed
        case .wrongPurpose(let purpose): .wrongPurpose(purpose)
        case .badSignature: .badSignature
        case .unknownVersion(let v): .unknownVersion(v)
        case .malformed: .malformed
        }
    }
}

/// Why a token could not be made.
public enum TokenSigningError: Error, Sendable, Hashable {
    case bodyTooLong(Int)
    /// Before 1970 or after the year 10,000.
    case expiryOutOfRange(Int64)
}
