import VigilCore
/// What a bearer token may do. `admin` includes every other scope.
public enum TokenScope: String, Sendable, CaseIterable {
    /// Submit scans (Harbor adapter, client/server scans).
    case scan
    /// Post alerts.
    case ingest
    /// Read alerts, findings and summaries of its tenant.
    case read
    /// Everything, including managing tokens.
    case admin

    /// Parses `scan`, `ingest`, `read`, `admin` (also comma-separated lists).
    public static func parseList(_ text: String) throws(ServerError) -> [TokenScope] {
        var out: [TokenScope] = []
        for part in text.split(separator: ",") {
            guard let s = TokenScope(rawValue: part.trimmingSpaces()) else {
                throw ServerError(.usage, "unknown scope \"\(part)\" (expected scan, ingest, read or admin)", location: "--scope")
            }
            if !out.contains(s) { out.append(s) }
        }
        if out.isEmpty { throw ServerError(.usage, "no scope given", location: "--scope") }
        return out
    }
}

extension Substring {
    func trimmingSpaces() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
