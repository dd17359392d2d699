import Foundation

/// When a scan warns that its database is stale: the limit in seconds and the text the user
/// gave it (`7d`), which the warning quotes.
public struct DatabaseAgeLimit: Sendable, Equatable {
    /// The limit in seconds.
    public var seconds: TimeInterval
    /// The limit as the user wrote it.
    public var text: String

    /// A limit of `seconds`, quoted as `text`.
    public init(seconds: TimeInterval, text: String) {
        self.seconds = seconds
        self.text = text
    }
}
