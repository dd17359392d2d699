import VigilCore

/// Every failure of a scan pipeline that the engines below it do not already describe with the
/// file or reference involved: an unreadable ignore file, a missing database, a path with no
/// Dockerfile, an analyzer error without the image's name.
public struct ScanPipelineError: VigilError {
    /// Why the scan stopped.
    public enum Reason: String, Sendable {
        /// The image, root filesystem or Dockerfile path given to the scan.
        case input
        /// The ignore file (`.trivyignore` syntax).
        case ignoreFile = "ignore-file"
        /// The vulnerability database.
        case database
        /// Registry login details.
        case credentials
    }

    /// Why the scan stopped.
    public var reason: Reason
    /// One line naming the file or reference involved.
    public var description: String

    /// An error for `reason`, described by `description`.
    public init(_ reason: Reason, _ description: String) {
        self.reason = reason
        self.description = description
    }

    /// `scan.<reason>`.
    public var code: String { "scan." + reason.rawValue }
}
