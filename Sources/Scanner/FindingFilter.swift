import Foundation
import VigilCore

/// The user's filters: severities, unfixed, ignore file.
public struct FindingFilter: Sendable {
    public var severities: Set<Severity>
    public var ignoreUnfixed: Bool
    public var ignored: IgnoreList

    public init(severities: Set<Severity> = Set(Severity.allCases), ignoreUnfixed: Bool = false, ignored: IgnoreList = IgnoreList()) {
        self.severities = severities
        self.ignoreUnfixed = ignoreUnfixed
        self.ignored = ignored
    }

    /// Keeps what the user asked to see.
    public func apply(_ findings: [Finding], now: Date = Date()) -> [Finding] {
        findings.filter { f in
            severities.contains(f.severity)
                && !(ignoreUnfixed && f.fixedVersion == nil)
                && !ignored.ignores(f.vulnerabilityID, now: now)
        }
    }
}

/// A `.trivyignore` file: one id per line, `#` comments, optional `exp:YYYY-MM-DD` after which
/// the entry stops applying.
public struct IgnoreList: Sendable {
    public struct Entry: Sendable, Equatable {
        public var id: String
        /// Expiry date (exclusive end of the ignore), UTC midnight.
        public var expires: Date?
    }

    public var entries: [Entry] = []

    public init(entries: [Entry] = []) { self.entries = entries }

    /// Parses file contents; `path` names the file in errors.
    public init(parsing text: String, path: String) throws(ScanError) {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        var entries: [Entry] = []
        // Split on bytes: Swift reads "\r\n" as one Character, so CRLF files would be one line.
        for (i, rawBytes) in Array(text.utf8).split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            let raw = String(decoding: rawBytes, as: UTF8.self)
            var line = Substring(raw)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            guard let id = words.first else { continue }
            var entry = Entry(id: String(id), expires: nil)
            for w in words.dropFirst() {
                if w.hasPrefix("exp:") {
                    guard let d = f.date(from: String(w.dropFirst(4))) else {
                        throw ScanError("\(path):\(i + 1): invalid expiry '\(w)' (expected exp:YYYY-MM-DD)")
                    }
                    entry.expires = d
                }
            }
            entries.append(entry)
        }
        self.entries = entries
    }

    /// Whether `id` is ignored at `now`.
    public func ignores(_ id: String, now: Date) -> Bool {
        entries.contains { $0.id == id && ($0.expires.map { now < $0 } ?? true) }
    }
}

/// A scan-level error (bad filter input: an ignore file that cannot be used).
public struct ScanError: VigilError {
    /// What is wrong (one line naming the file and line).
    public var message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
    /// Always `scan.invalid-ignore-file`: the only scan-level failure is an unusable ignore file.
    public var code: String { "scan.invalid-ignore-file" }
    /// The message (one line).
    public var description: String { message }
}
