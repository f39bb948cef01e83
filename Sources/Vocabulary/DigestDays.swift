/// When the daily overdue digest goes out: on working days only (the
/// default: offices read it at their desks), every day, or never.
public enum DigestDays: String, Sendable, CaseIterable {
    case workdays
    case daily
    case off
}
