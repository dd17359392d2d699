/// The feed file formats the importers understand.
public enum FeedFormat: String, Sendable, CaseIterable {
    /// One OSV JSON record (PyPI, Go, crates.io, Ubuntu, Debian, Alpine… ecosystems).
    case osv
    /// Alpine (or Wolfi) secdb, YAML or JSON: `packages[].pkg.secfixes`.
    case alpineSecdb
    /// Debian security-tracker JSON: package → CVE → `releases`.
    case debianTrackerJSON
    /// Debian security-tracker `data/DSA/list` or `data/DLA/list` text.
    case debianAdvisoryList
}

/// What one parse produced, plus what it deliberately left out.
public struct FeedParseResult: Sendable {
    /// The records to store.
    public var batch: ImportBatch
    /// Entries skipped on purpose, counted by reason (`unknown Debian release 'hamm2'`: 3).
    ///
    /// Skips are never fatal: feeds carry releases and statuses newer than this code, and one
    /// unknown codename must not lose the rest of the file.
    public var skipped: [String: Int]
    /// OSV `affected` entries left out because their only ranges are GIT commit ranges (and they
    /// list no versions), as `ID Ecosystem/package` (`GHSA-xxxx PyPI/foo`).
    public var gitOnlyAdvisories: [String] = []

    /// Creates a result.
    public init(batch: ImportBatch = ImportBatch(), skipped: [String: Int] = [:]) {
        self.batch = batch
        self.skipped = skipped
    }

    /// Total number of skipped entries over all reasons.
    public var skippedCount: Int { skipped.values.reduce(0, +) }

    mutating func skip(_ reason: String) {
        skipped[reason, default: 0] += 1
    }
}

/// Entry point for feed parsing: picks a format and turns one file's bytes into records.
///
/// Pure: no file system or database access; the caller walks directories and stores batches.
public enum FeedImporter {
    /// Detects the format from the file name/content: OSV JSON (object with "id" and
    /// "affected"/"schema_version"), Alpine secdb (YAML or JSON with "distroversion"/"packages"),
    /// Debian tracker JSON (object of package → CVE objects with "releases"), DSA/DLA list
    /// (text starting with "[dd Mon yyyy] D?A-").
    ///
    /// Content decides; the name only rescues a DSA/DLA list whose first header is damaged, so
    /// that parsing reports the bad line instead of "unknown format". Returns nil when nothing fits.
    public static func detect(path: String, data: [UInt8]) -> FeedFormat? {
        var start = 0
        if data.count >= 3, data[0] == 0xEF, data[1] == 0xBB, data[2] == 0xBF { start = 3 }
        while start < data.count, FeedBytes.isSpace(data[start]) { start += 1 }
        guard start < data.count else { return nil }

        switch data[start] {
        case UInt8(ascii: "{"):
            return JSONKeyScan.detect(data, from: start)
        case UInt8(ascii: "["):
            if looksLikeAdvisoryHeader(data, from: start) { return .debianAdvisoryList }
            return nameSuggestsAdvisoryList(path) ? .debianAdvisoryList : nil
        default:
            return looksLikeAlpineYAML(data, from: start) ? .alpineSecdb : nil
        }
    }

    /// Parses one file. `path` is used in error messages.
    public static func parse(path: String, data: [UInt8], format: FeedFormat) throws(VulnDBError) -> ImportBatch {
        try parseDetailed(path: path, data: data, format: format).batch
    }

    /// Detects the format, then parses; throws `.unknownFormat` naming the file when detection fails.
    public static func parse(path: String, data: [UInt8]) throws(VulnDBError) -> ImportBatch {
        guard let format = detect(path: path, data: data) else {
            throw VulnDBError(.unknownFormat, "\(path): not a recognised feed (OSV JSON, Alpine secdb, Debian tracker JSON or DSA/DLA list)")
        }
        return try parse(path: path, data: data, format: format)
    }

    /// Parses one file and also reports what was skipped and why (unknown releases, entries
    /// without a package name…).
    public static func parseDetailed(path: String, data: [UInt8], format: FeedFormat) throws(VulnDBError) -> FeedParseResult {
        switch format {
        case .osv: return try OSVImporter.parse(path: path, data: data)
        case .alpineSecdb: return try AlpineSecdbImporter.parse(path: path, data: data)
        case .debianTrackerJSON: return try DebianTrackerImporter.parse(path: path, data: data)
        case .debianAdvisoryList: return try DebianAdvisoryListImporter.parse(path: path, data: data)
        }
    }

    // MARK: - Detection details

    /// `[dd Mon yyyy] D…A-`: a bracketed date, then an id such as `DSA-`, `DLA-` or `DTSA-`.
    private static func looksLikeAdvisoryHeader(_ data: [UInt8], from start: Int) -> Bool {
        let limit = min(data.count, start + 200)
        var i = start + 1
        while i < limit, data[i] != UInt8(ascii: "]"), data[i] != UInt8(ascii: "\n") { i += 1 }
        guard i < limit, data[i] == UInt8(ascii: "]") else { return false }
        let date = data[(start + 1)..<i]
        guard date.count >= 10, date.first.map(FeedBytes.isDigit) == true else { return false }
        i += 1
        while i < limit, data[i] == UInt8(ascii: " ") { i += 1 }
        guard i < limit, data[i] == UInt8(ascii: "D") else { return false }
        i += 1
        while i < limit, FeedBytes.isUpper(data[i]) {
            if data[i] == UInt8(ascii: "A"), i + 1 < limit, data[i + 1] == UInt8(ascii: "-") { return true }
            i += 1
        }
        return false
    }

    private static func nameSuggestsAdvisoryList(_ path: String) -> Bool {
        let parts = path.split(separator: "/")
        guard let last = parts.last else { return false }
        if last.contains("DSA") || last.contains("DLA") { return true }
        return last == "list" && parts.count >= 2 && ["DSA", "DLA", "DTSA"].contains(String(parts[parts.count - 2]))
    }

    /// A top-level (column 0) `distroversion:` or `packages:` key.
    private static func looksLikeAlpineYAML(_ data: [UInt8], from start: Int) -> Bool {
        let keys: [[UInt8]] = [Array("distroversion:".utf8), Array("packages:".utf8)]
        var lineStart = start
        while lineStart < data.count {
            for key in keys where FeedBytes.hasPrefix(data, at: lineStart, key) { return true }
            guard let newline = FeedBytes.index(of: UInt8(ascii: "\n"), in: data, from: lineStart) else { break }
            lineStart = newline + 1
        }
        return false
    }
}

/// Finds the format of a JSON object by its keys without building the whole object, so detecting
/// a 100 MB tracker file costs a few bytes of scanning rather than a full parse.
enum JSONKeyScan {
    private enum Container { case object, array }

    static func detect(_ data: [UInt8], from start: Int) -> FeedFormat? {
        var stack: [Container] = []
        var expectingKey = false
        var sawID = false
        var sawOSVKey = false
        var i = start
        while i < data.count {
            let byte = data[i]
            switch byte {
            case UInt8(ascii: "{"):
                stack.append(.object)
                expectingKey = true
            case UInt8(ascii: "["):
                stack.append(.array)
                expectingKey = false
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if stack.popLast() == nil { return nil }
                if stack.isEmpty { return (sawID && sawOSVKey) ? .osv : nil }
                expectingKey = false
            case UInt8(ascii: ","):
                expectingKey = stack.last == .object
            case UInt8(ascii: "\""):
                let stringStart = i + 1
                i = stringStart
                while i < data.count, data[i] != UInt8(ascii: "\"") {
                    i += data[i] == UInt8(ascii: "\\") ? 2 : 1
                }
                guard i < data.count else { return nil }
                if expectingKey {
                    expectingKey = false
                    let key = data[stringStart..<i]
                    let allObjects = !stack.contains(.array)
                    if stack.count == 1 {
                        if key.elementsEqual("distroversion".utf8) { return .alpineSecdb }
                        if key.elementsEqual("packages".utf8), valueStarts(with: UInt8(ascii: "["), data, after: i) {
                            return .alpineSecdb
                        }
                        if key.elementsEqual("id".utf8) { sawID = true }
                        if key.elementsEqual("affected".utf8) || key.elementsEqual("schema_version".utf8) {
                            sawOSVKey = true
                        }
                        if sawID && sawOSVKey { return .osv }
                    } else if stack.count == 3, allObjects, key.elementsEqual("releases".utf8) {
                        return .debianTrackerJSON
                    }
                }
            default:
                break
            }
            i += 1
        }
        return nil
    }

    private static func valueStarts(with opener: UInt8, _ data: [UInt8], after closingQuote: Int) -> Bool {
        var i = closingQuote + 1
        while i < data.count, FeedBytes.isSpace(data[i]) || data[i] == UInt8(ascii: ":") { i += 1 }
        return i < data.count && data[i] == opener
    }
}
