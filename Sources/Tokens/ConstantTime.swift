/// Comparison whose running time does not depend on where two byte strings
/// differ, so that an attacker timing answers learns nothing about a MAC.
public enum ConstantTime {
    public static func equals(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        // The lengths of MACs are public; only their contents must not leak.
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
