import Foundation
import VigilCore

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
    /// Ubuntu CVE tracker file (`active/CVE-…`, `retired/CVE-…`).
    case ubuntuCVETracker
    /// NVD API 2.0 response (`resultsPerPage`, `vulnerabilities[].cve`) or one bare `cve` record.
    case nvdAPI
    /// CVE JSON 5.x record (`cveMetadata`, `containers`).
    case cveRecord
    /// Red Hat CSAF 2.0 advisory or VEX document.
    case csaf
    /// Red Hat Security Data API CVE JSON (`threat_severity`, `affected_release`).
    case redHatCVE
    /// MITRE CWE catalogue CSV.
    case cweCSV
    /// CWE id → name JSON object.
    case cweNames
    /// RustSec advisory-db Markdown with TOML front matter.
    case rustsecAdvisory
    /// An OSV per-ecosystem `all.zip`.
    case osvArchive
    /// Anchore vunnel's normalised OS vulnerabilities (`[{"Vulnerability": {…}}]`).
    case vunnelOS
    /// Wordfence Intelligence v2 feed (`{uuid: {software[], affected_versions, cve_link, …}}`).
    case wordfence
    /// Ruby Advisory Database (RubySec) YAML: `gem`, `patched_versions`… (`gems/GEM/ID.yml`).
    case rubysec
    /// PHP Security Advisories Database (FriendsOfPHP) YAML: `reference: composer://…`, `branches`.
    case friendsOfPHP
    /// Node.js Security WG ecosystem advisory JSON (`vuln/npm/N.json`: `module_name`, `vulnerable_versions`).
    case nodeSecurityWG
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
    /// Bytes inflated from an archive's members (zero for plain files), counted against the
    /// import's total-size limit.
    public var inflatedBytes = 0

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

        if data.count >= 4, data[0] == 0x50, data[1] == 0x4B, data[2] == 0x03, data[3] == 0x04 { return .osvArchive }
        switch data[start] {
        case UInt8(ascii: "{"):
            return JSONKeyScan.detect(data, from: start)
        case UInt8(ascii: "`"):
            return FeedBytes.hasPrefix(data, at: start, Array("```toml".utf8)) ? .rustsecAdvisory : nil
        case UInt8(ascii: "["):
            if looksLikeAdvisoryHeader(data, from: start) { return .debianAdvisoryList }
            if looksLikeVunnelOS(data, from: start) { return .vunnelOS }
            return nameSuggestsAdvisoryList(path) ? .debianAdvisoryList : nil
        default:
            if looksLikeUbuntuTracker(data, from: start) { return .ubuntuCVETracker }
            if looksLikeCWECSV(data, from: start) { return .cweCSV }
            if let format = languageAdvisoryYAML(data, from: start) { return format }
            return looksLikeAlpineYAML(data, from: start) ? .alpineSecdb : nil
        }
    }

    /// Why `data` is not JSON, when it starts like JSON (`{` or `[`) but does not parse; nil for
    /// well-formed JSON and for files that do not look like JSON at all.
    public static func damagedJSON(_ data: [UInt8]) -> String? {
        var start = 0
        if data.count >= 3, data[0] == 0xEF, data[1] == 0xBB, data[2] == 0xBF { start = 3 }
        while start < data.count, FeedBytes.isSpace(data[start]) { start += 1 }
        guard start < data.count, data[start] == UInt8(ascii: "{") || data[start] == UInt8(ascii: "[") else { return nil }
        do {
            _ = try JSONSerialization.jsonObject(with: Data(data[start...]), options: [.fragmentsAllowed])
            return nil
        } catch {
            // The parser's own words ("Unexpected character 'b' around line 1, column 2."), not
            // the generic Cocoa sentence.
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            return detail ?? "does not parse"
        }
    }

    /// Parses one file. `path` is used in error messages.
    public static func parse(path: String, data: [UInt8], format: FeedFormat) throws(VulnDBError) -> ImportBatch {
        try parseDetailed(path: path, data: data, format: format).batch
    }

    /// Detects the format, then parses; throws `.unknownFormat` naming the file when detection fails.
    public static func parse(path: String, data: [UInt8]) throws(VulnDBError) -> ImportBatch {
        guard let format = detect(path: path, data: data) else {
            throw VulnDBError(.unknownFormat, "\(path): not a recognised feed (OSV JSON or all.zip, Alpine secdb, Debian tracker JSON, DSA/DLA list, Ubuntu CVE tracker, NVD API 2.0, CVE 5, Red Hat CSAF/CVE JSON, CWE CSV/JSON, RustSec advisory, Wordfence Intelligence v2, RubySec or FriendsOfPHP YAML, Node.js security WG JSON)")
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
        case .ubuntuCVETracker: return try UbuntuCVETrackerImporter.parse(path: path, data: data)
        case .nvdAPI: return try NVDImporter.parse(path: path, data: data)
        case .cveRecord: return try CVE5Importer.parse(path: path, data: data)
        case .csaf: return try RedHatImporter.parseCSAF(path: path, data: data)
        case .redHatCVE: return try RedHatImporter.parseCVE(path: path, data: data)
        case .cweCSV: return try CWEImporter.parseCSV(path: path, data: data)
        case .cweNames: return try CWEImporter.parseNames(path: path, data: data)
        case .rustsecAdvisory: return try RustSecImporter.parse(path: path, data: data)
        case .osvArchive: return try OSVArchiveImporter.parse(path: path, data: data)
        case .vunnelOS: return try VunnelOSImporter.parse(path: path, data: data)
        case .wordfence: return try WordfenceImporter.parse(path: path, data: data)
        case .rubysec: return try RubySecImporter.parse(path: path, data: data)
        case .friendsOfPHP: return try FriendsOfPHPImporter.parse(path: path, data: data)
        case .nodeSecurityWG: return try NodeSecurityWGImporter.parse(path: path, data: data)
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

    /// A UCT file: a column-0 `Candidate:` field among its first lines.
    private static func looksLikeUbuntuTracker(_ data: [UInt8], from start: Int) -> Bool {
        let key = Array("Candidate:".utf8)
        var lineStart = start
        var lines = 0
        while lineStart < data.count, lines < 40 {
            if FeedBytes.hasPrefix(data, at: lineStart, key) { return true }
            guard let newline = FeedBytes.index(of: UInt8(ascii: "\n"), in: data, from: lineStart) else { break }
            lineStart = newline + 1
            lines += 1
        }
        return false
    }

    /// `[` then `{` then the key `"Vulnerability"` (blanks between).
    private static func looksLikeVunnelOS(_ data: [UInt8], from start: Int) -> Bool {
        var i = start + 1
        while i < data.count, FeedBytes.isSpace(data[i]) { i += 1 }
        guard i < data.count, data[i] == UInt8(ascii: "{") else { return false }
        i += 1
        while i < data.count, FeedBytes.isSpace(data[i]) { i += 1 }
        return FeedBytes.hasPrefix(data, at: i, Array("\"Vulnerability\"".utf8))
    }

    /// A CWE CSV header: MITRE's `CWE-ID,Name,…` or the flat `id,kind,name,…`.
    private static func looksLikeCWECSV(_ data: [UInt8], from start: Int) -> Bool {
        FeedBytes.hasPrefix(data, at: start, Array("CWE-ID,Name,".utf8)) || FeedBytes.hasPrefix(data, at: start, Array("id,kind,name,".utf8))
    }

    /// RubySec (a column-0 `gem:` key) or FriendsOfPHP (a column-0 `reference:` naming
    /// `composer://`, or `branches:`) YAML.
    private static func languageAdvisoryYAML(_ data: [UInt8], from start: Int) -> FeedFormat? {
        let gem = Array("gem:".utf8), reference = Array("reference:".utf8), branches = Array("branches:".utf8)
        var lineStart = start
        while lineStart < data.count {
            if FeedBytes.hasPrefix(data, at: lineStart, gem) { return .rubysec }
            if FeedBytes.hasPrefix(data, at: lineStart, branches) { return .friendsOfPHP }
            if FeedBytes.hasPrefix(data, at: lineStart, reference) {
                let end = FeedBytes.index(of: 0x0A, in: data, from: lineStart) ?? data.count
                if String(decoding: data[lineStart..<end], as: UTF8.self).contains("composer://") { return .friendsOfPHP }
            }
            guard let newline = FeedBytes.index(of: UInt8(ascii: "\n"), in: data, from: lineStart) else { break }
            lineStart = newline + 1
        }
        return nil
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
                        // An API response, or one bare `cve` record (one file per CVE, as NVD JSON mirrors store them).
                        if key.elementsEqual("resultsPerPage".utf8) || key.elementsEqual("sourceIdentifier".utf8) { return .nvdAPI }
                        if key.elementsEqual("cveMetadata".utf8) { return .cveRecord }
                        if key.elementsEqual("document".utf8) { return .csaf }
                        if key.elementsEqual("threat_severity".utf8) || key.elementsEqual("affected_release".utf8)
                            || key.elementsEqual("package_state".utf8) { return .redHatCVE }
                        if key.starts(with: "CWE-".utf8) { return .cweNames }
                        if key.elementsEqual("module_name".utf8) || key.elementsEqual("vulnerable_versions".utf8) { return .nodeSecurityWG }
                        if key.elementsEqual("id".utf8) { sawID = true }
                        if key.elementsEqual("affected".utf8) || key.elementsEqual("schema_version".utf8) {
                            sawOSVKey = true
                        }
                        if sawID && sawOSVKey { return .osv }
                    } else if stack.count == 2, allObjects, key.elementsEqual("cve_link".utf8) || key.elementsEqual("affected_versions".utf8) {
                        return .wordfence
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
