import Logging

/// The one metadata set an event carries, merged the way swift-log documents
/// (the handler's own metadata, then the metadata provider's, then the log
/// call's, later ones winning), shared by both handlers so that the journal
/// and stderr always show the same keys.
enum EventMetadata {
    static func merged(
        handler: Logger.Metadata,
        provider: Logger.MetadataProvider?,
        event: Logger.Metadata?,
        error: (any Error)?
    ) -> Logger.Metadata {
        var merged = handler
        if let provided = provider?.get(), !provided.isEmpty {
            merged.merge(provided) { _, provided in provided }
        }
        if let event, !event.isEmpty {
            merged.merge(event) { _, explicit in explicit }
        }
        // swift-log 1.16 lets a call attach an error apart from the metadata:
        // keep it (as `error`) rather than lose it, unless the call already
        // named an `error` key itself.
        if let error, merged["error"] == nil {
            merged["error"] = .string(String(describing: error))
        }
        return merged
    }
}
