import PostgresNIO

/// One line for a PostgresNIO error: `String(describing: PSQLError)` deliberately hides the
/// server's message ("PSQLError – Generic description to prevent accidental leakage…"), so the
/// message and SQLSTATE are taken from the server info.
enum PostgresErrorText {
    static func describe(_ error: any Error) -> String {
        if let e = error as? PSQLError {
            if let info = e.serverInfo, let message = info[.message] {
                let state = info[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                return message + state
            }
            return "\(e.code)"
        }
        return "\(error)"
    }
}
