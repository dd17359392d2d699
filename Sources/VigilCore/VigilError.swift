/// The one error protocol of every Vigil engine. An engine's error type adopts it; the command
/// line catches `any VigilError` once and prints `vigil: error: <description>` with `exitCode`.
///
/// - `code` is stable: scripts, the server's API and tests key on it, never on the wording. It is
///   `<module>.<reason>` in lower-case kebab words (`registry.not-found`, `image.layer-corrupt`).
/// - `description` is one line a user can act on: it names the file, layer, line or reference
///   involved. Callers escape control characters before printing (names come from hostile input).
/// - `exitCode` is the process exit status the CLI uses (1 unless the error says otherwise; usage
///   errors use 64, as ArgumentParser does).
public protocol VigilError: Error, Sendable, CustomStringConvertible {
    /// Stable machine-readable identifier, `<module>.<reason>`.
    var code: String { get }
    /// Process exit status for this error.
    var exitCode: Int32 { get }
}

extension VigilError {
    public var exitCode: Int32 { 1 }
}
