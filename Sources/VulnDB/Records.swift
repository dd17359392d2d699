import VigilCore

/// The records importers produce and the database stores. Importers are pure parsers:
/// bytes in, records out; `VulnDatabase` owns storage.

/// Where an advisory applies: a distro release (`alpine` `3.10`, `debian` `8`, `ubuntu` `14.04`)
/// or a language ecosystem (`PyPI`, `Go`, `crates.io`) with an empty release.
public struct Ecosystem: Hashable, Sendable, CustomStringConvertible {
    /// Lower-case family: `alpine`, `debian`, `ubuntu`, `wolfi`, or an OSV ecosystem name as written.
    public var family: String
    /// Release as the OS detector reports it, truncated to what feeds use: `3.10`, `8`, `14.04`; "" for languages.
    public var release: String

    public init(family: String, release: String) {
        self.family = family
        self.release = release
    }

    /// `alpine 3.10`, `debian 8`, `PyPI`.
    public var description: String { release.isEmpty ? family : "\(family) \(release)" }
}

/// What an advisory says about one package in one ecosystem.
public enum AdvisoryStatus: String, Sendable, Codable {
    /// Fixed in `fixedVersion` (or by the ranges); older versions are affected.
    case fixed
    /// Affected, no fix published.
    case affected
    /// Explicitly not affected (Alpine fix `0`, Debian `<not-affected>`, tracker `fixed_version` `0`).
    case notAffected = "not_affected"
    /// The vendor will not fix it.
    case willNotFix = "will_not_fix"
    /// The package reached end of life in that release; no fix will come.
    case endOfLife = "end_of_life"
}

/// One OSV-style range: affected from `introduced` (nil = from the beginning) until `fixed`
/// (exclusive) or through `lastAffected` (inclusive); neither = every later version.
public struct AffectedRange: Hashable, Sendable, Codable {
    public var introduced: String?
    public var fixed: String?
    public var lastAffected: String?
    /// The OSV range type the interval came from: `SEMVER` (compared as semver) or `ECOSYSTEM`
    /// (the ecosystem's own ordering); nil for distro feeds, which are always their ecosystem's.
    public var type: String?
    /// OSV `limit`: only versions below it are affected; nil = no limit.
    public var limit: String?

    public init(introduced: String? = nil, fixed: String? = nil, lastAffected: String? = nil,
                type: String? = nil, limit: String? = nil) {
        self.introduced = introduced
        self.fixed = fixed
        self.lastAffected = lastAffected
        self.type = type
        self.limit = limit
    }
}

/// One (vulnerability, ecosystem, package) fact from one feed.
public struct AdvisoryRecord: Hashable, Sendable {
    /// `CVE-2019-1547`, or the feed's own id when it names no CVE (`DSA-4195-1`, `GHSA-…`).
    public var vulnerabilityID: String
    public var ecosystem: Ecosystem
    /// Source package name for distros (dpkg `Source:`, apk origin, SRPM name); package name for languages.
    public var packageName: String
    public var status: AdvisoryStatus
    /// Lowest version that is no longer affected, when the feed gives one.
    public var fixedVersion: String?
    /// OSV ranges; empty means "every version below `fixedVersion`" (or all versions when unfixed).
    public var ranges: [AffectedRange]
    /// Explicitly listed affected versions (OSV `versions`), matched exactly in addition to ranges.
    public var affectedVersions: [String]
    /// The vendor's own severity word as published (`high`, `unimportant`, `medium**`), if any.
    public var vendorSeverity: String?
    /// Data source id: `alpine`, `debian`, `ubuntu`, `osv-<ecosystem>`… (Trivy's DataSource.ID).
    public var source: String
    /// The advisory that carried this fact (`DSA-4195-1`, `USN-5614-1`), if any; for a
    /// language advisory filed under its CVE, the feed's own id (`GHSA-…`), Trivy's `VendorIDs`.
    public var advisoryID: String?
    /// Ranges in the ecosystem's native syntax (node-semver, RubyGems requirements, Composer
    /// constraints), as RubySec, FriendsOfPHP and the Node.js security WG publish them: a version
    /// is affected when it satisfies one of them (or when there are none, see
    /// ``unaffectedRanges``) and none of ``unaffectedRanges``. Trivy's `VulnerableVersions`.
    public var vulnerableRanges: [String]
    /// Native ranges of versions that are patched or were never affected (RubySec
    /// `patched_versions` + `unaffected_versions`, npm `patched_versions`).
    public var unaffectedRanges: [String]

    public init(
        vulnerabilityID: String, ecosystem: Ecosystem, packageName: String, status: AdvisoryStatus,
        fixedVersion: String? = nil, ranges: [AffectedRange] = [], affectedVersions: [String] = [],
        vendorSeverity: String? = nil, source: String, advisoryID: String? = nil,
        vulnerableRanges: [String] = [], unaffectedRanges: [String] = []
    ) {
        self.vulnerableRanges = vulnerableRanges
        self.unaffectedRanges = unaffectedRanges
        self.vulnerabilityID = vulnerabilityID
        self.ecosystem = ecosystem
        self.packageName = packageName
        self.status = status
        self.fixedVersion = fixedVersion
        self.ranges = ranges
        self.affectedVersions = affectedVersions
        self.vendorSeverity = vendorSeverity
        self.source = source
        self.advisoryID = advisoryID
    }
}

/// A CVSS entry from one source (Trivy's `CVSS.<source>`).
public struct CVSSRecord: Hashable, Sendable, Codable {
    public var source: String
    public var v2Vector: String?
    public var v2Score: Double?
    public var v3Vector: String?
    public var v3Score: Double?
    /// CVSS v4.0 vector (`CVSS:4.0/AV:N/…`) and the base score the feed published with it.
    public var v40Vector: String?
    public var v40Score: Double?

    public init(source: String, v2Vector: String? = nil, v2Score: Double? = nil, v3Vector: String? = nil, v3Score: Double? = nil,
                v40Vector: String? = nil, v40Score: Double? = nil) {
        self.source = source
        self.v2Vector = v2Vector
        self.v2Score = v2Score
        self.v3Vector = v3Vector
        self.v3Score = v3Score
        self.v40Vector = v40Vector
        self.v40Score = v40Score
    }

    /// True when no vector or score is set.
    public var isEmpty: Bool {
        v2Vector == nil && v2Score == nil && v3Vector == nil && v3Score == nil && v40Vector == nil && v40Score == nil
    }
}

/// Descriptive data about a vulnerability id, merged across feeds.
public struct VulnerabilityRecord: Hashable, Sendable {
    public var id: String
    public var title: String?
    public var description: String?
    public var cvss: [CVSSRecord]
    public var cweIDs: [String]
    public var references: [String]
    public var aliases: [String]
    /// RFC 3339, as Trivy prints (`2019-09-10T17:15:00Z`).
    public var published: String?
    public var modified: String?
    /// Source that supplied this record (`debian`, `ubuntu`, `nvd`, `redhat`, `osv-PyPI`…).
    public var source: String
    /// The source's own severity word for the whole vulnerability, when it publishes one
    /// (NVD's `baseSeverity`, Red Hat's `threat_severity`, a GHSA `database_specific.severity`).
    public var severity: String?

    public init(
        id: String, title: String? = nil, description: String? = nil, cvss: [CVSSRecord] = [],
        cweIDs: [String] = [], references: [String] = [], aliases: [String] = [],
        published: String? = nil, modified: String? = nil, source: String, severity: String? = nil
    ) {
        self.severity = severity
        self.id = id
        self.title = title
        self.description = description
        self.cvss = cvss
        self.cweIDs = cweIDs
        self.references = references
        self.aliases = aliases
        self.published = published
        self.modified = modified
        self.source = source
    }
}

/// What one importer produced from one input.
public struct ImportBatch: Sendable {
    public var advisories: [AdvisoryRecord] = []
    public var vulnerabilities: [VulnerabilityRecord] = []
    /// NVD CPE match criteria (upstream products and version ranges).
    public var cpeMatches: [CPEMatchRecord] = []
    /// CWE catalogue entries.
    public var weaknesses: [CWEEntry] = []
    /// NVD `configurations` arrays as JSON text, by CVE id (see ``NVDConfiguration``).
    public var nvdConfigurations: [String: String] = [:]
    public init(advisories: [AdvisoryRecord] = [], vulnerabilities: [VulnerabilityRecord] = [],
                cpeMatches: [CPEMatchRecord] = [], weaknesses: [CWEEntry] = []) {
        self.advisories = advisories
        self.vulnerabilities = vulnerabilities
        self.cpeMatches = cpeMatches
        self.weaknesses = weaknesses
    }

    /// Total number of records of every kind.
    public var count: Int { advisories.count + vulnerabilities.count + cpeMatches.count + weaknesses.count }
}

extension VulnerabilityRecord {
    /// Longest title or description kept, in bytes. Real ones stay under 40 KB (GHSA Markdown);
    /// a hostile feed of 60 MB `details` per record would otherwise be held in memory, record
    /// after record, until the database is written.
    public static let maximumTextLength = 64 << 10

    /// The record with its title and description cut to ``maximumTextLength`` bytes (on a
    /// character boundary, ending in "…").
    func boundingText() -> VulnerabilityRecord {
        func cut(_ text: String?) -> String? {
            guard let text, text.utf8.count > Self.maximumTextLength else { return text }
            var end = text.utf8.index(text.utf8.startIndex, offsetBy: Self.maximumTextLength)
            while end.samePosition(in: text.unicodeScalars) == nil { end = text.utf8.index(before: end) }
            return String(text.unicodeScalars[..<end]) + "…"
        }
        var r = self
        r.title = cut(title)
        r.description = cut(description)
        return r
    }
}

/// Errors from parsing feeds and from the database.
public typealias VulnDBError = EngineError<VulnDBFailure>

/// What kind of failure it was; its raw value is the stable part of ``code``.
public enum VulnDBFailure: String, ErrorReason {
    case malformedFeed = "malformed-feed", unknownFormat = "unknown-format", io, database
    case schemaMismatch = "schema-mismatch", notFound = "not-found"

    /// `vulndb.<reason>`.
    public static let domain = "vulndb"
}
