/// A usage problem (a path that does not exist, no configuration where one
/// was expected): the command exits with code 2, not 1, as the plan-format
/// contract says.
public struct UsageError: Error, CustomStringConvertible {
    public var description: String
    public init(description: String) { self.description = description }
}
