/// The metadata keys plankeeper logs with, each once: the journal handler
/// turns `plankeeper_plan` into the field `PLANKEEPER_PLAN`, which is what an
/// administrator filters on (`journalctl PLANKEEPER_PLAN=surgery-2-2026`) and
/// what `systemd/plankeeper.catalog` and README name. A misspelt key would
/// silently become a field nobody queries, so code uses these constants.
public enum JournalField {
    /// `MESSAGE_ID`: one of `MessageID`'s values (the catalog entry).
    public static let messageID = "message_id"
    /// `PRIORITY`: `"0"`…`"7"`, when the event's urgency is not its log level's.
    public static let priority = "priority"

    // A notice and what it is about.
    public static let plan = "plankeeper_plan"
    public static let item = "plankeeper_item"
    public static let period = "plankeeper_period"
    /// `NoticeKind`'s raw value, or `record` for a ledger change.
    public static let kind = "plankeeper_kind"
    public static let due = "plankeeper_due"
    public static let owner = "plankeeper_owner"
    public static let recipient = "plankeeper_recipient"
    public static let workdaysLeft = "plankeeper_workdays_left"
    /// How many items a digest lists or counts.
    public static let count = "plankeeper_count"

    // Records and replies.
    /// A reply token as received (mail-in), never a key.
    public static let token = "plankeeper_token"
    /// How a record arrived: `cli`, `mail`, `web` (`RecordSource`).
    public static let source = "plankeeper_source"
    /// Who recorded it, when known.
    public static let from = "plankeeper_from"
    /// The record rules a `--force` overrode, by code.
    public static let forced = "plankeeper_forced"

    // Plans read and reloaded.
    public static let file = "plankeeper_file"
    public static let line = "plankeeper_line"
    public static let column = "plankeeper_column"
    /// `true` when a broken edit left the previous version of a plan in force.
    public static let keptOld = "plankeeper_kept_old"
    public static let plans = "plankeeper_plans"
    public static let changes = "plankeeper_changes"

    /// Notices held back by the send window (quiet hours), and until when.
    public static let held = "plankeeper_held"
    public static let heldUntil = "plankeeper_held_until"

    // Delivery.
    public static let transport = "plankeeper_transport"
    public static let spoolFile = "plankeeper_spool_file"
    /// The message's own `Message-ID` (not the journal's `MESSAGE_ID`).
    public static let mailMessageID = "plankeeper_message_id"
    public static let attempts = "plankeeper_attempts"
    public static let nextAttempt = "plankeeper_next_attempt"
    public static let reason = "plankeeper_reason"
    /// What the mail system answered (`250 2.0.0 Ok: queued as …`).
    public static let answer = "plankeeper_answer"

    // The channels (企业微信, 钉钉).
    public static let channel = "plankeeper_channel"
    public static let channelKind = "plankeeper_channel_kind"
    public static let channels = "plankeeper_channels"
    public static let outboxID = "plankeeper_outbox_id"
    public static let outcome = "plankeeper_outcome"

    // The web desk: the client address a sign-in or an upload came from, and evidence files.
    public static let client = "plankeeper_client"
    public static let evidence = "plankeeper_evidence"
}
