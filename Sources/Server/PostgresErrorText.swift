import PostgresNIO

/// One line for a PostgresNIO error: `String(describing: PSQLError)` deliberately hides the
/// server's message ("PSQLError – Generic description to prevent accidental leakage…"), so the
/// message and SQLSTATE are taken from the server info.
enum PostgresErrorText {
    /// True when PostgreSQL itself answered with an error (as opposed to no connection at all).
    static func hasServerMessage(_ error: any Error) -> Bool {
        (error as? PSQLError)?.serverInfo?[.message] != nil
    }

    static func describe(_ error: any Error) -> String {
        if let e = error as? PSQLError {
            if let info = e.serverInfo, let message = info[.message] {
                let state = info[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                return message + state
            }
            return "\(e.code)"
        }
        // The pool's own errors print their nested enum path; the last component is the reason.
        let text = "\(error)"
        if text.hasPrefix("ConnectionPoolError"), let last = text.split(separator: ".").last {
            return String(last.prefix { $0 != ")" })
        }
        return text
    }
}
