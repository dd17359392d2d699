import Foundation

/// When a scan warns that its database is stale: the limit in seconds and the text the user
/// gave it (`7d`), which the warning quotes.
public struct DatabaseAgeLimit: Sendable, Equatable {
    public var seconds: TimeInterval
    public var text: String

    public init(seconds: TimeInterval, text: String) {
        self.seconds = seconds
        self.text = text
    }
}
