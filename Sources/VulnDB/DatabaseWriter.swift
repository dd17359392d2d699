import Foundation
import GRDB

/// Writes parsed feed batches into a database being built, one batch at a time, so an import
/// holds one file's records in memory rather than the whole feed set.
///
/// Vulnerability records are merged on arrival (an insert that meets an existing id and source
/// reads it back and stores the merge); advisories and CPE criteria are appended and their
/// duplicates resolved by ``finish(summary:)`` once everything is loaded, which is one grouped
/// query instead of a lookup per row.
struct DatabaseWriter {
    private let db: Database
    private let insertAdvisory: Statement
    private let insertVulnerability: Statement
    private let selectVulnerability: Statement
    private let replaceVulnerability: Statement
    private let insertCPE: Statement
    private let replaceConfiguration: Statement
    private let encoder: JSONEncoder
    private var weaknesses: [String: CWEEntry] = [:]
    private var inputsBySource: [String: Set<String>] = [:]

    init(_ db: Database) throws {
        self.db = db
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        insertAdvisory = try db.makeStatement(sql: """
            INSERT INTO advisories (vulnerability_id, family, release, package, status, fixed_version, ranges,
                                    affected_versions, vendor_severity, source, advisory_id,
                                    vulnerable_ranges, unaffected_ranges)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertVulnerability = try db.makeStatement(sql: """
            INSERT OR IGNORE INTO vulnerabilities (id, source, title, description, cvss, cwe_ids, refs, aliases, published, modified, severity)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        selectVulnerability = try db.makeStatement(sql: "SELECT * FROM vulnerabilities WHERE id = ? AND source = ?")
        replaceVulnerability = try db.makeStatement(sql: """
            INSERT OR REPLACE INTO vulnerabilities (id, source, title, description, cvss, cwe_ids, refs, aliases, published, modified, severity)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertCPE = try db.makeStatement(sql: """
            INSERT INTO cpe_matches (vulnerability_id, part, vendor, product, version, update_, version_start_including,
                                     version_start_excluding, version_end_including, version_end_excluding,
                                     requires_other_product, criteria)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        replaceConfiguration = try db.makeStatement(sql: "INSERT OR REPLACE INTO nvd_configurations (vulnerability_id, configurations) VALUES (?, ?)")
    }

    private func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
    /// A JSON array of strings, written directly: JSONEncoder costs ~10 µs a call, and an import
    /// of NVD and GitHub's database makes millions of these (references, aliases, CWE ids).
    private func list(_ values: [String]) throws -> String? {
        guard !values.isEmpty else { return nil }
        var out = "["
        for (i, value) in values.enumerated() {
            if i > 0 { out += "," }
            out += "\""
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case _ where scalar.value < 0x20:
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: out.unicodeScalars.append(scalar)
                }
            }
            out += "\""
        }
        return out + "]"
    }

    /// Stores one file's records; `input` is what the `sources` table names as their origin.
    mutating func add(_ batch: ImportBatch, input: String) throws {
        for a in batch.advisories {
            try insertAdvisory.execute(arguments: advisoryArguments(a))
            inputsBySource[a.source, default: []].insert(input)
        }
        for record in batch.vulnerabilities {
            let v = record.boundingText()
            try insertVulnerability.execute(arguments: try vulnerabilityArguments(v))
            if db.changesCount == 0, let row = try Row.fetchOne(selectVulnerability, arguments: [v.id, v.source]) {
                let merged = DatabaseBuilder.merge(VulnDatabase.vulnerabilityRecord(row), v)
                try replaceVulnerability.execute(arguments: try vulnerabilityArguments(merged))
            }
            inputsBySource[v.source, default: []].insert(input)
        }
        for m in batch.cpeMatches {
            try insertCPE.execute(arguments: [
                m.vulnerabilityID, m.part, m.vendor, m.product, m.version, m.update, m.versionStartIncluding,
                m.versionStartExcluding, m.versionEndIncluding, m.versionEndExcluding, m.requiresOtherProduct, m.criteria,
            ])
        }
        // A later file's configurations of a CVE replace an earlier one's, as NVD's updates do.
        for (id, text) in batch.nvdConfigurations.sorted(by: { $0.key < $1.key }) {
            try replaceConfiguration.execute(arguments: [id, text])
        }
        for w in batch.weaknesses { weaknesses[w.id] = weaknesses[w.id].map { $0.merged(with: w) } ?? w }
    }

    private func advisoryArguments(_ a: AdvisoryRecord) throws -> StatementArguments {
        [
            a.vulnerabilityID, a.ecosystem.family, a.ecosystem.release, a.packageName, a.status.rawValue,
            a.fixedVersion, a.ranges.isEmpty ? nil : try json(a.ranges), try list(a.affectedVersions), a.vendorSeverity,
            a.source, a.advisoryID, try list(a.vulnerableRanges), try list(a.unaffectedRanges),
        ]
    }

    private func vulnerabilityArguments(_ v: VulnerabilityRecord) throws -> StatementArguments {
        [
            v.id, v.source, v.title, v.description, v.cvss.isEmpty ? nil : try json(v.cvss), try list(v.cweIDs),
            try list(v.references), try list(v.aliases), v.published, v.modified, v.severity,
        ]
    }

    /// Resolves duplicates, writes the CWE catalogue, sources and meta rows, and fills in the
    /// summary's counts.
    mutating func finish(summary: inout DatabaseBuilder.Summary) throws {
        // Advisories about the same package and vulnerability from one source (a DSA and a later
        // DLA, two OSV `affected` entries, …), merged in arrival order. Native ranges are part
        // of the key: two RubySec files with different requirements stay two rows, since a
        // version is affected if either says so.
        let groups = try String.fetchAll(db, sql: """
            SELECT GROUP_CONCAT(id) FROM advisories
            GROUP BY family, release, package, vulnerability_id, source,
                     COALESCE(vulnerable_ranges, ''), COALESCE(unaffected_ranges, '')
            HAVING COUNT(*) > 1
            """)
        for group in groups {
            let ids = group.split(separator: ",").compactMap { Int64($0) }.sorted()
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM advisories WHERE id IN (\(ids.map(String.init).joined(separator: ","))) ORDER BY id")
            guard let first = rows.first else { continue }
            let merged = rows.dropFirst().reduce(VulnDatabase.advisory(first)) { DatabaseBuilder.merge($0, VulnDatabase.advisory($1)) }
            try db.execute(sql: "DELETE FROM advisories WHERE id IN (\(ids.map(String.init).joined(separator: ",")))")
            try insertAdvisory.execute(arguments: advisoryArguments(merged))
        }
        // The same CPE criterion of one CVE read twice (a CVE in two input files).
        try db.execute(sql: """
            DELETE FROM cpe_matches WHERE id NOT IN (
                SELECT MIN(id) FROM cpe_matches
                GROUP BY vulnerability_id, part, vendor, product, version, update_, version_start_including,
                         version_start_excluding, version_end_including, version_end_excluding,
                         requires_other_product, criteria)
            """)
        let insertCWE = try db.makeStatement(sql: "INSERT INTO cwe (id, name, kind, abstraction, status, parents) VALUES (?, ?, ?, ?, ?, ?)")
        for w in weaknesses.values.sorted(by: { $0.id < $1.id }) {
            try insertCWE.execute(arguments: [w.id, w.name, w.kind, w.abstraction, w.status, w.parents.joined(separator: " ")])
        }

        for row in try Row.fetchAll(db, sql: "SELECT source, COUNT(*) AS n FROM advisories GROUP BY source") {
            summary.bySource[row["source"], default: (0, 0)].advisories = row["n"]
        }
        for row in try Row.fetchAll(db, sql: "SELECT source, COUNT(*) AS n FROM vulnerabilities GROUP BY source") {
            summary.bySource[row["source"], default: (0, 0)].vulnerabilities = row["n"]
        }
        summary.advisories = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM advisories") ?? 0
        summary.vulnerabilities = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM vulnerabilities") ?? 0
        summary.cpeMatches = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cpe_matches") ?? 0
        summary.weaknesses = weaknesses.count

        let now = DatabaseBuilder.timestamp(Date())
        for (source, counts) in summary.bySource {
            try db.execute(sql: "INSERT INTO sources (id, inputs, advisories, vulnerabilities, imported_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [source, (inputsBySource[source] ?? []).sorted().joined(separator: ", "),
                                       counts.advisories, counts.vulnerabilities, now])
        }
        try db.execute(sql: """
            INSERT INTO meta (key, value) VALUES ('schema_version', ?), ('built_at', ?), ('cpe_matches', ?), ('cwe_entries', ?)
            """, arguments: [String(VulnDatabase.schemaVersion), now, String(summary.cpeMatches), String(summary.weaknesses)])
        if !summary.gitOnlyAdvisories.isEmpty {
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('git_only_advisories', ?)",
                           arguments: [try json(summary.gitOnlyAdvisories.sorted())])
        }
    }
}
