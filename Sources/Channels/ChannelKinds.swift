/// The kinds of channel plankeeper knows, by their `kind:` name. Adding a
/// channel adds its type here; nothing else lists them.
public struct ChannelKinds: Sendable {
    public static let builtIn: [any Channel.Type] = [
        WeComRobotChannel.self,
        WeComAppChannel.self,
        DingTalkRobotChannel.self,
    ]

    public static let standard = ChannelKinds(builtIn)

    public let all: [any Channel.Type]

    /// A registry of `kinds` (a test adds a throw-away kind to the built-in ones).
    public init(_ kinds: [any Channel.Type]) { all = kinds }

    public func kind(named name: String) -> (any Channel.Type)? { all.first { $0.kind == name } }

    public var names: [String] { all.map { $0.kind } }
}
