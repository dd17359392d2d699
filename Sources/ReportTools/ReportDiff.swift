import JSONValue
import Foundation

/// `vigil report diff OLD NEW`: what a rebuild fixed, introduced and left alone, matching
/// vulnerabilities by (VulnerabilityID, PkgName, InstalledVersion).
public struct ReportDiff: Sendable, Equatable {
    public struct Key: Hashable, Sendable, Comparable {
        public var vulnerabilityID: String
        public var packageName: String
        public var installedVersion: String

        public static func < (a: Key, b: Key) -> Bool {
            (a.packageName, a.installedVersion, a.vulnerabilityID) < (b.packageName, b.installedVersion, b.vulnerabilityID)
        }
    }

    public struct Entry: Sendable, Equatable {
        public var key: Key
        public var severity: String
        public var fixedVersion: String?
        public var title: String?
        /// The old report's severity when it differs (unchanged entries only).
        public var previousSeverity: String?
    }

    public var fixed: [Entry] = []
    public var introduced: [Entry] = []
    public var unchanged: [Entry] = []

    /// Compares two reports on disk (each streamed).
    public static func compare(old: String, new: String) throws(ReportError) -> ReportDiff {
        let a = try entries(old)
        let b = try entries(new)
        var diff = ReportDiff()
        for key in a.keys.sorted() {
            if let n = b[key] {
                var e = n
                if a[key]!.severity != n.severity { e.previousSeverity = a[key]!.severity }
                diff.unchanged.append(e)
            } else {
                diff.fixed.append(a[key]!)
            }
        }
        for key in b.keys.sorted() where a[key] == nil { diff.introduced.append(b[key]!) }
        return diff
    }

    static func entries(_ path: String) throws(ReportError) -> [Key: Entry] {
        var visitor = Collect(path: path)
        try ReportStreamReader(path: path).read(into: &visitor)
        return visitor.entries
    }

    struct Collect: ReportVisitor {
        let path: String
        var entries: [Key: Entry] = [:]
        mutating func header(_ members: [(String, JSON)]) {}
        mutating func beginResult(_ members: [(String, JSON)]) {}
        mutating func vulnerability(_ v: JSON) throws(ReportError) {
            guard let id = v["VulnerabilityID"]?.stringValue, let pkg = v["PkgName"]?.stringValue else {
                throw ReportError(path: path, message: "a vulnerability lacks VulnerabilityID or PkgName")
            }
            let key = Key(vulnerabilityID: id, packageName: pkg, installedVersion: v["InstalledVersion"]?.stringValue ?? "")
            let entry = Entry(key: key, severity: v["Severity"]?.stringValue ?? "UNKNOWN", fixedVersion: v["FixedVersion"]?.stringValue,
                              title: v["Title"]?.stringValue)
            // The same finding in several targets counts once; keep the highest severity seen.
            if let old = entries[key], rank(old.severity) >= rank(entry.severity) { return }
            entries[key] = entry
        }
        mutating func endResult(_ members: [(String, JSON)]) {}
        mutating func end(_ members: [(String, JSON)]) {}
        func rank(_ s: String) -> Int { ReportSummary.severities.reversed().firstIndex(of: s.uppercased()) ?? -1 }
    }

    /// Counts, then the fixed and introduced lists (unchanged ones are counted, and listed only
    /// when their severity changed).
    public func text() -> String {
        var out = "Fixed: \(fixed.count)  Introduced: \(introduced.count)  Unchanged: \(unchanged.count)\n"
        func list(_ title: String, _ entries: [Entry]) {
            guard !entries.isEmpty else { return }
            out += "\n\(title)\n"
            for e in entries {
                var line = "  " + e.severity.padding(toLength: 9, withPad: " ", startingAt: 0) + e.key.vulnerabilityID
                line += "  " + e.key.packageName + " " + e.key.installedVersion
                if let p = e.previousSeverity { line += "  (was \(p))" }
                if let f = e.fixedVersion, !f.isEmpty, title.hasPrefix("Introduced") { line += "  fixed in \(f)" }
                out += line + "\n"
            }
        }
        list("Fixed (in OLD, gone from NEW):", fixed)
        list("Introduced (new in NEW):", introduced)
        list("Severity changed:", unchanged.filter { $0.previousSeverity != nil })
        return out
    }

    public func json() -> JSON {
        func entry(_ e: Entry) -> JSON {
            var m: [(String, JSON)] = [
                ("VulnerabilityID", .string(e.key.vulnerabilityID)), ("PkgName", .string(e.key.packageName)),
                ("InstalledVersion", .string(e.key.installedVersion)),
            ]
            if let f = e.fixedVersion { m.append(("FixedVersion", .string(f))) }
            m.append(("Severity", .string(e.severity)))
            if let p = e.previousSeverity { m.append(("PreviousSeverity", .string(p))) }
            if let t = e.title { m.append(("Title", .string(t))) }
            return .object(m)
        }
        return .object([
            ("Summary", .object([("Fixed", .int(fixed.count)), ("Introduced", .int(introduced.count)), ("Unchanged", .int(unchanged.count))])),
            ("Fixed", .array(fixed.map(entry))),
            ("Introduced", .array(introduced.map(entry))),
            ("Unchanged", .array(unchanged.map(entry))),
        ])
    }
}
