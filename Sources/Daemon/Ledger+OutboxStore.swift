import Delivery
import Ledger

/// The ledger keeps the channels' outbox (migration v7); the delivery agents reach it through `OutboxStore`.
extension Ledger: OutboxStore {}
