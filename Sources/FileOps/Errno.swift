/// A system error number as an `Error`, for `Result`.
public struct Errno: Error, Equatable, Sendable {
    public var number: Int32
    public init(_ number: Int32) { self.number = number }
}
