/// One signing key with the small number that names it inside every token it
/// signs, so that after a rotation an old token is recognised as old rather
/// than as forged.
///
/// The bytes come from the key file (an edge); this module never makes or
/// stores keys, and nothing here prints them (`description` shows the id only).
public struct TokenKey: Sendable, Hashable, CustomStringConvertible {
    /// Fewer bytes than this is not a key worth the name (HMAC-SHA256 wants 32).
    public static let minimumLength = 16

    public let id: UInt8
    public let bytes: [UInt8]

    /// Nil when `bytes` is shorter than `minimumLength`.
    public init?(id: UInt8, bytes: [UInt8]) {
        guard bytes.count >= Self.minimumLength else { return nil }
        self.id = id
        self.bytes = bytes
    }

    public var description: String { "TokenKey(id: \(id))" }
}

/// The key that signs new tokens and the retired keys that only recognise old
/// ones (`mail-in --rotate-key` moves the current key here).
public struct TokenKeyring: Sendable, Hashable {
    public let current: TokenKey
    /// Newest first; a retired key never makes a token valid again.
    public let retired: [TokenKey]

    /// Nil when two keys share an id.
    public init?(current: TokenKey, retired: [TokenKey] = []) {
        var ids: Set<UInt8> = [current.id]
        for key in retired where !ids.insert(key.id).inserted { return nil }
        self.current = current
        self.retired = retired
    }

    /// The keyring after a rotation to a key of `bytes`: the old current key
    /// is retired first in line, and the new one takes the next free id. At
    /// most 254 keys stay retired (the oldest are forgotten), so an id is
    /// always free. Nil when `bytes` is too short for a key.
    public func rotated(to bytes: [UInt8]) -> TokenKeyring? {
        let retired = Array(([current] + self.retired).prefix(254))
        let used = Set(retired.map(\.id))
        var id = current.id &+ 1
        while used.contains(id) { id &+= 1 }
        guard let key = TokenKey(id: id, bytes: bytes) else { return nil }
        return TokenKeyring(current: key, retired: retired)
    }

    func key(id: UInt8) -> (key: TokenKey, isCurrent: Bool)? {
        if current.id == id { return (current, true) }
        return retired.first { $0.id == id }.map { ($0, false) }
    }
}
