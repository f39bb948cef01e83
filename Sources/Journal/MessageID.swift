/// The `MESSAGE_ID`s of plankeeper's notable events.
///
/// A message id names a kind of event, not one occurrence, so an admin can
/// list every occurrence (`journalctl MESSAGE_ID=…`) and read what it means
/// and what to do (`journalctl -x`, from `systemd/plankeeper.catalog`, which
/// has an entry in English and in Chinese for each id below).
///
/// Pass one as metadata: `logger.notice("…", metadata: [JournalField.messageID: .string(MessageID.reminder)])`.
///
/// The values were generated once at random and must never change: they are
/// the keys of the catalog and of any saved journal query. A new kind of
/// event gets a new id (`python3 -c 'import uuid;print(uuid.uuid4().hex)'`),
/// listed in ``all`` and described in the catalog; a test checks both.
public enum MessageID {
    /// A reminder went out ahead of a deadline (fields: PLANKEEPER_PLAN, _ITEM, _PERIOD, _DUE, _RECIPIENT).
    public static let reminder = "e14b33a864c94551997ff95767c4dd83"
    /// An item is due today and its owner was told.
    public static let due = "b2f2392484a041029e200741a814bc7e"
    /// An item passed its deadline with no record in the ledger (台账).
    public static let overdue = "46fe4b67a6a548fab0982351d053e396"
    /// An overdue item was escalated to the supervising office.
    public static let escalation = "1dd2d6f7ecc94c2da6bb8a6c28690a1f"
    /// A digest of outstanding items was sent to one recipient.
    public static let backlog = "7ab79c6a38864d23961219a5334c7548"
    /// The daily overdue digest went to one escalation recipient.
    public static let overdueDigest = "c41d7e0a9b3f4e6d8a2c5b17e90f3d64"
    /// A completion report (by branch and period) was produced.
    public static let report = "a3cc81023e554fb9856b4e4393e11c32"
    /// A completion record was added to the ledger.
    public static let recordAdded = "01e2f501adc544ef9b6bb1519a8dd250"
    /// A completion record was removed from the ledger.
    public static let recordRemoved = "29fcb36f669f4c1c81516b27dc82acaf"
    /// Plans were reloaded (SIGHUP / `systemctl reload`).
    public static let planReloaded = "f5ac9e5483d54abea52e136277248974"
    /// A plan file has an error or warning; the message has FILE:LINE:COLUMN.
    public static let planError = "376c53d0637e438bb76affef116e69c9"
    /// Next year's official holiday list is not installed yet.
    public static let holidayListMissing = "5075e4a96ddd4f58a973fbe8c5f4643c"
    /// The daemon finished starting and is scheduling.
    public static let daemonStarted = "cb3b8e12fc53429784b428ca5b6e666c"
    /// The daemon is shutting down.
    public static let daemonStopping = "68ff2c26f7a84d9c914801e39488950d"
    /// A notice could not be delivered and will not be retried as is.
    public static let deliveryFailed = "53b042a3fe194be9ab5dd20fb4e9ce3c"
    /// A notice could not be delivered yet and will be retried.
    public static let deliveryDeferred = "a95dd7ab15274467bf63eb1a93c93b4a"
    /// A notice was handed to the mail system.
    public static let delivered = "5de3bf8204fe4166b3e5fd69ccbb8a43"
    /// A reply to a notice recorded nothing: its token, sender, date or command
    /// was not accepted (fields: PLANKEEPER_SOURCE, _FROM, _REASON, and the occurrence when known).
    public static let replyRefused = "88c5d53d5ee9499d8e2b9789a6006a29"
    /// Automatic mail (an out-of-office reply, a bounce) reached the reply address and was ignored.
    public static let replyIgnored = "5453eb87dc6348c3a87fdc2f5f6a637f"
    /// A reply was answered with help or an explanation, nothing recorded.
    public static let replyAnswered = "c968dac5667240c2b52e29c5b589bf2b"
    /// A message went to 企业微信 or 钉钉 (fields: PLANKEEPER_CHANNEL, _CHANNEL_KIND, _RECIPIENT, _ANSWER, _OUTBOX_ID).
    public static let channelDelivered = "f6b530ebd3ec4399b471504e71090711"
    /// A channel message waits: the service asked to slow down, or is unreachable (a back-off).
    public static let channelDeferred = "21dff3f5b3c044e194981611f1170d4b"
    /// A channel message was given up (refused by the service, or failing past give-up-after).
    public static let channelFailed = "44320dfb61dc4e15a327a4d1a5057986"
    /// A channel message was in flight when its process stopped; it may have arrived and is not sent again.
    public static let channelUncertain = "fe22b5dfab1243ed9a8edbe4368be620"
    /// `mail-in` could not handle a message now (ledger locked, disk full); the MTA keeps it and retries.
    public static let replyDeferred = "e8610cc102614508a95ac2392abcd785"
    /// Someone asked the web desk for a sign-in link (fields: PLANKEEPER_FROM, _CLIENT, _OUTCOME).
    public static let webSignInRequested = "c7e643623e294ceca48b92306819f112"
    /// Someone signed in to the web desk, or signed out (PLANKEEPER_FROM, _CLIENT, _KIND).
    public static let webSignIn = "41e332e52a904d5da51287ea39c86719"

    /// Every id with its name, in declaration order, so tests can check the
    /// catalog covers them all and that no two are equal.
    public static let all: [(name: String, id: String)] = [
        ("reminder", reminder),
        ("due", due),
        ("overdue", overdue),
        ("escalation", escalation),
        ("backlog", backlog),
        ("overdueDigest", overdueDigest),
        ("report", report),
        ("recordAdded", recordAdded),
        ("recordRemoved", recordRemoved),
        ("planReloaded", planReloaded),
        ("planError", planError),
        ("holidayListMissing", holidayListMissing),
        ("daemonStarted", daemonStarted),
        ("daemonStopping", daemonStopping),
        ("deliveryFailed", deliveryFailed),
        ("deliveryDeferred", deliveryDeferred),
        ("delivered", delivered),
        ("channelDelivered", channelDelivered),
        ("channelDeferred", channelDeferred),
        ("channelFailed", channelFailed),
        ("channelUncertain", channelUncertain),
        ("replyRefused", replyRefused),
        ("replyIgnored", replyIgnored),
        ("replyAnswered", replyAnswered),
        ("replyDeferred", replyDeferred),
        ("webSignInRequested", webSignInRequested),
        ("webSignIn", webSignIn),
    ]
}
