import VigilCore

/// Why `vigil server` failed: a bad option, PostgreSQL, migrations, the listening socket, a
/// request the API refuses. Messages never carry a token or a password.
public enum ServerFailure: String, ErrorReason {
    /// A malformed option (`--postgres`, `--listen`, a scope name).
    case usage
    /// PostgreSQL refused or could not be reached.
    case database
    /// The schema in the database is newer than this binary or a migration failed.
    case migration
    /// Binding the listening socket or serving failed.
    case listen
    /// A request body the API cannot store (HTTP 400).
    case badRequest = "bad-request"
    /// Reading the configured secret or sealing credentials failed.
    case secret
    /// The TLS certificate or key could not be read.
    case tls
    /// A scan job could not be run (the vulnerability database, the registry, the image).
    case scan

    public static let domain = "server"
}

/// The Server engine's error (`server.<reason>`), VigilCore's shared shape.
public typealias ServerError = EngineError<ServerFailure>
