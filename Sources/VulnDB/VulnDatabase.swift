import Foundation
import GRDB
import VigilCore

/// The vulnerability database: one SQLite file, opened read-only by scans.
///
/// Advisories are indexed by (family, release, package) — the only lookup a scan makes.
public final class VulnDatabase: Sendable {
    /// Bumped whenever the tables change; a scan refuses a file of another version.
    public static let schemaVersion = 4
    public let path: String
    private let queue: DatabaseQueue

    /// Opens an existing database read-only.
    public init(readOnlyPath path: String) throws(VulnDBError) {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else {
            throw VulnDBError(.notFound, "\(path): no vulnerability database; build one with `vigil db import FEED…`")
        }
        var config = Configuration()
        config.readonly = true
        config.label = "vigil-db"
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            let version = try queue.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'schema_version'") }
            guard version == String(Self.schemaVersion) else {
                throw VulnDBError(.schemaMismatch, "\(path): database schema version \(version ?? "unknown"), this vigil reads version \(Self.schemaVersion); rebuild it with `vigil db import`")
            }
        } catch let e as VulnDBError {
            throw e
        } catch {
            throw VulnDBError(.database, "\(path): not a Vigil vulnerability database (\(Self.describe(error)))")
        }
    }

    static func describe(_ error: any Error) -> String {
        if let e = error as? DatabaseError { return e.message ?? "SQLite error \(e.resultCode.rawValue)" }
        return "\(error)"
    }

    /// Advisories for many source packages of one release in one read transaction with one
    /// prepared statement (a scan of thousands of packages would otherwise pay per query).
    public func advisories(family: String, release: String, packages: Set<String>) throws(VulnDBError) -> [String: [AdvisoryRecord]] {
        do {
            return try queue.read { db in
                let statement = try db.cachedStatement(sql: """
                    SELECT vulnerability_id, family, release, package, status, fixed_version, ranges, affected_versions,
                           vendor_severity, source, advisory_id, vulnerable_ranges, unaffected_ranges
                    FROM advisories WHERE family = ? AND release = ? AND package = ?
                    ORDER BY vulnerability_id, source
                    """)
                var result: [String: [AdvisoryRecord]] = [:]
                for package in packages.sorted() {
                    let rows = try Row.fetchAll(statement, arguments: [family, release, package])
                    if !rows.isEmpty { result[package] = rows.map(Self.advisory) }
                }
                return result
            }
        } catch {
            throw VulnDBError(.database, "\(path): \(Self.describe(error))")
        }
    }

    /// Descriptive records for many ids in one read transaction.
    public func vulnerabilities(ids: Set<String>) throws(VulnDBError) -> [String: [VulnerabilityRecord]] {
        do {
            return try queue.read { db in
                let statement = try db.cachedStatement(sql: "SELECT * FROM vulnerabilities WHERE id = ? ORDER BY source")
                var result: [String: [VulnerabilityRecord]] = [:]
                for id in ids.sorted() {
                    result[id] = try Row.fetchAll(statement, arguments: [id]).map(Self.vulnerabilityRecord)
                }
                return result
            }
        } catch {
            throw VulnDBError(.database, "\(path): \(Self.describe(error))")
        }
    }

    static func vulnerabilityRecord(_ row: Row) -> VulnerabilityRecord {
        let decoder = JSONDecoder()
        func list(_ key: String) -> [String] {
            (row[key] as String?).flatMap { try? decoder.decode([String].self, from: Data($0.utf8)) } ?? []
        }
        let cvss = (row["cvss"] as String?).flatMap { try? decoder.decode([CVSSRecord].self, from: Data($0.utf8)) } ?? []
        return VulnerabilityRecord(
            id: row["id"], title: row["title"], description: row["description"], cvss: cvss,
            cweIDs: list("cwe_ids"), references: list("refs"), aliases: list("aliases"),
            published: row["published"], modified: row["modified"], source: row["source"], severity: row["severity"])
    }

    /// Every vulnerable NVD CPE criterion for an upstream product (`gnu`, `bash`), all versions.
    public func cpeMatches(vendor: String, product: String) throws(VulnDBError) -> [CPEMatchRecord] {
        do {
            return try queue.read { db in
                let statement = try db.cachedStatement(sql: """
                    SELECT * FROM cpe_matches WHERE vendor = ? AND product = ? ORDER BY vulnerability_id, id
                    """)
                return try Row.fetchAll(statement, arguments: [vendor.lowercased(), product.lowercased()]).map { row in
                    CPEMatchRecord(
                        vulnerabilityID: row["vulnerability_id"], part: row["part"], vendor: row["vendor"], product: row["product"],
                        version: row["version"], update: row["update_"],
                        versionStartIncluding: row["version_start_including"], versionStartExcluding: row["version_start_excluding"],
                        versionEndIncluding: row["version_end_including"], versionEndExcluding: row["version_end_excluding"],
                        requiresOtherProduct: row["requires_other_product"], criteria: row["criteria"])
                }
            }
        } catch {
            throw VulnDBError(.database, "\(path): \(Self.describe(error))")
        }
    }

    /// Every vulnerable NVD CPE criterion whose product is `product`, of any vendor (WordPress
    /// plugins and themes: NVD files them under their authors).
    public func cpeMatches(product: String) throws(VulnDBError) -> [CPEMatchRecord] {
        do {
            return try queue.read { db in
                let statement = try db.cachedStatement(sql: "SELECT * FROM cpe_matches WHERE product = ? ORDER BY vulnerability_id, id")
                return try Row.fetchAll(statement, arguments: [product.lowercased()]).map(Self.cpeMatch)
            }
        } catch {
            throw VulnDBError(.database, "\(path): \(Self.describe(error))")
        }
    }

    static func cpeMatch(_ row: Row) -> CPEMatchRecord {
        CPEMatchRecord(
            vulnerabilityID: row["vulnerability_id"], part: row["part"], vendor: row["vendor"], product: row["product"],
            version: row["version"], update: row["update_"],
            versionStartIncluding: row["version_start_including"], versionStartExcluding: row["version_start_excluding"],
            versionEndIncluding: row["version_end_including"], versionEndExcluding: row["version_end_excluding"],
            requiresOtherProduct: row["requires_other_product"], criteria: row["criteria"])
    }

    /// The NVD configurations of each CVE in `ids` that has them.
    public func nvdConfigurations(ids: Set<String>) throws(VulnDBError) -> [String: [NVDConfiguration]] {
        do {
            return try queue.read { db in
                let statement = try db.cachedStatement(sql: "SELECT configurations FROM nvd_configurations WHERE vulnerability_id = ?")
                var result: [String: [NVDConfiguration]] = [:]
                for id in ids.sorted() {
                    if let json = try String.fetchOne(statement, arguments: [id]) { result[id] = NVDConfiguration.parse(json) }
                }
                return result
            }
        } catch {
            throw VulnDBError(.database, "\(path): \(Self.describe(error))")
        }
    }

    /// The criteria of an upstream product whose ranges contain `version` (`gnu` `bash` `4.3`
    /// → CVE-2014-6271, CVE-2014-7169…), compared with `UpstreamVersion`.
    public func cpeMatches(vendor: String, product: String, version: String) throws(VulnDBError) -> [CPEMatchRecord] {
        try cpeMatches(vendor: vendor, product: product).filter { $0.contains(version: version) }
    }

    /// The CWE catalogue stored in this database (empty when no catalogue was imported).
    public func cweCatalog() throws(VulnDBError) -> CWECatalog {
        do {
            return try queue.read { db in
                CWECatalog(entries: try Row.fetchAll(db, sql: "SELECT * FROM cwe").map { row in
                    let parents: String = row["parents"]
                    return CWEEntry(id: row["id"], name: row["name"], kind: row["kind"], abstraction: row["abstraction"],
                                    status: row["status"], parents: parents.split(separator: " ").map(String.init))
                })
            }
        } catch {
            throw VulnDBError(.database, "\(path): \(Self.describe(error))")
        }
    }

    static func advisory(_ row: Row) -> AdvisoryRecord {
        let decoder = JSONDecoder()
        let ranges = (row["ranges"] as String?).flatMap { try? decoder.decode([AffectedRange].self, from: Data($0.utf8)) } ?? []
        func list(_ key: String) -> [String] {
            (row[key] as String?).flatMap { try? decoder.decode([String].self, from: Data($0.utf8)) } ?? []
        }
        let versions = list("affected_versions")
        return AdvisoryRecord(
            vulnerabilityID: row["vulnerability_id"], ecosystem: Ecosystem(family: row["family"], release: row["release"]),
            packageName: row["package"], status: AdvisoryStatus(rawValue: row["status"]) ?? .affected,
            fixedVersion: row["fixed_version"], ranges: ranges, affectedVersions: versions,
            vendorSeverity: row["vendor_severity"], source: row["source"], advisoryID: row["advisory_id"],
            vulnerableRanges: list("vulnerable_ranges"), unaffectedRanges: list("unaffected_ranges"))
    }

    /// OSV entries the import left out because they only had GIT commit ranges, as
    /// `ID Ecosystem/package`; empty when there were none.
    public func gitOnlyAdvisories() throws(VulnDBError) -> [String] {
        do {
            return try queue.read { db in
                guard let text = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'git_only_advisories'") else { return [] }
                return (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
            }
        } catch {
            throw VulnDBError(.database, "\(path): \(Self.describe(error))")
        }
    }

    /// Sources, counts and build time.
    public func info() throws(VulnDBError) -> DatabaseInfo {
        do {
            return try queue.read { db in
                let meta = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT key, value FROM meta").map {
                    ($0["key"] as String, $0["value"] as String)
                })
                let sources = try Row.fetchAll(db, sql: "SELECT * FROM sources ORDER BY id").map {
                    DatabaseInfo.Source(id: $0["id"], inputs: $0["inputs"], advisories: $0["advisories"],
                                        vulnerabilities: $0["vulnerabilities"], importedAt: $0["imported_at"])
                }
                return DatabaseInfo(path: path, schemaVersion: Int(meta["schema_version"] ?? "") ?? 0,
                                    builtAt: meta["built_at"] ?? "", sources: sources,
                                    cpeMatches: meta["cpe_matches"].flatMap { Int($0) } ?? 0,
                                    cweEntries: meta["cwe_entries"].flatMap { Int($0) } ?? 0)
            }
        } catch {
            throw VulnDBError(.database, "\(path): \(Self.describe(error))")
        }
    }
}

/// What `vigil db info` prints.
public struct DatabaseInfo: Sendable {
    public struct Source: Sendable {
        public var id: String
        public var inputs: String
        public var advisories: Int
        public var vulnerabilities: Int
        public var importedAt: String
    }
    public var path: String
    public var schemaVersion: Int
    /// RFC 3339 UTC.
    public var builtAt: String
    public var sources: [Source]
    /// NVD CPE criteria stored (meta `cpe_matches`).
    public var cpeMatches: Int = 0
    /// CWE catalogue entries stored (meta `cwe_entries`).
    public var cweEntries: Int = 0

    /// `builtAt` as a date (nil when missing or malformed).
    public var builtDate: Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: builtAt)
    }

    /// Seconds since the build, as of `now` (nil when the build time is unknown).
    public func age(now: Date = Date()) -> TimeInterval? {
        builtDate.map { now.timeIntervalSince($0) }
    }

    /// An age for people: `45 s`, `3 h`, `2 days`.
    public static func describe(age seconds: TimeInterval) -> String {
        let s = max(0, seconds)
        if s < 120 { return "\(Int(s)) s" }
        if s < 2 * 3600 { return "\(Int(s / 60)) min" }
        if s < 2 * 86400 { return "\(Int(s / 3600)) h" }
        return "\(Int(s / 86400)) days"
    }
}
