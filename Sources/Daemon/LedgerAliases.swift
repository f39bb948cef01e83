// The Ledger module's types, under names that do not clash with the core's
// (`HandledNotice` exists in both). This file imports only Ledger.
import Ledger

typealias LedgerHandledNotice = HandledNotice
typealias LedgerRecordKey = RecordKey
