import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOExtras
import NIOPosix
import ServiceLifecycle

/// Where the desk listens.
public enum DeskListen: Sendable, Equatable {
    case address(host: String, port: Int)
    /// A listening socket's descriptor from systemd (`LISTEN_FDS`).
    case inherited(Int32)
}

/// The HTTP/1.1 server of `plankeeper serve`, on an address it binds or on a
/// socket systemd already bound and passed in (socket activation).
///
/// Hummingbird 2.28's `Application` can only bind an address itself, so this
/// runs Hummingbird's own HTTP/1 channel (`HTTP1Channel`) and the router's
/// responder on a NIO `ServerBootstrap`, which takes an inherited descriptor
/// as readily as an address: one code path for both. Graceful shutdown
/// (SIGTERM) stops accepting, lets requests in progress finish, and closes
/// idle keep-alive connections (NIOExtras' quiescing helper).
public struct DeskServer<Responder: HTTPResponder>: Service
where Responder.Context == DeskContext {
    let responder: Responder
    let listen: DeskListen
    let logger: Logger
    let group: any EventLoopGroup
    /// Called once the socket listens, with its local address (the port
    /// chosen when `address` asked for port 0).
    let onListening: @Sendable (SocketAddress?) async -> Void

    public init(
        responder: Responder,
        listen: DeskListen,
        logger: Logger,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        onListening: @escaping @Sendable (SocketAddress?) async -> Void = { _ in }
    ) {
        self.responder = responder
        self.listen = listen
        self.logger = logger
        self.group = group
        self.onListening = onListening
    }

    public func run() async throws {
        let responder = self.responder
        let logger = self.logger
        let channelSetup = HTTP1Channel(
            responder: { request, responseWriter, channel in
                let context = DeskContext(source: .init(channel: channel, logger: logger))
                var response: Response
                do {
                    response = try await responder.respond(to: request, context: context)
                } catch {
                    // DeskErrors turns every error into a page; this is the last resort.
                    logger.error("unhandled error: \(String(describing: error))")
                    response = Response(status: .internalServerError)
                }
                try await responseWriter.write(response: response.head, body: response.body)
            },
            configuration: .init(idleTimeout: .seconds(75))
        )
        let quiescing = ServerQuiescingHelper(group: group)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiescing.makeServerChannelHandler(channel: channel))
                }
            }
        let server: NIOAsyncChannel<HTTP1Channel.Value, Never>
        switch listen {
        case .address(let host, let port):
            server = try await bootstrap.bind(host: host, port: port) { channel in
                channelSetup.setup(channel: channel, logger: logger)
            }
        case .inherited(let descriptor):
            server = try await bootstrap.bind(descriptor) { channel in
                channelSetup.setup(channel: channel, logger: logger)
            }
        }
        await onListening(server.channel.localAddress)
        let group = self.group
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { tasks in
                try await server.executeThenClose { inbound in
                    for try await connection in inbound {
                        tasks.addTask { await channelSetup.handle(value: connection, logger: logger) }
                    }
                }
            }
        } onGracefulShutdown: {
            quiescing.initiateShutdown(promise: group.next().makePromise(of: Void.self))
        }
    }
}
