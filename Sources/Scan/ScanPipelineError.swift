import VigilCore

/// Every failure of a scan pipeline that the engines below it do not already describe with the
/// file or reference involved: an unreadable ignore file, a missing database, a path with no
/// Dockerfile, an analyzer error without the image's name.
public typealias ScanPipelineError = EngineError<ScanFailure>

/// Why the scan stopped.
public enum ScanFailure: String, ErrorReason {
    /// The image, root filesystem or Dockerfile path given to the scan.
    case input
    /// The ignore file (`.trivyignore` syntax).
    case ignoreFile = "ignore-file"
    /// The vulnerability database.
    case database
    /// Registry login details.
    case credentials
    /// A VEX document (`--vex`).
    case vex

    /// `scan.<reason>`.
    public static let domain = "scan"
}
