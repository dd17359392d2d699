import Foundation
import Versioning

/// One NVD configuration of a CVE, as the NVD CVE API 2.0 writes it: nodes of `cpeMatch`
/// criteria, each node `OR`/`AND` over its criteria (optionally negated), the configuration
/// `AND`/`OR` over its nodes. Kept whole by the importer so matching can evaluate it exactly:
/// a criterion with `vulnerable: false` only says which platform must be present.
public struct NVDConfiguration: Sendable, Hashable {
    /// One `cpeMatch` entry.
    public struct Criterion: Sendable, Hashable {
        public var vulnerable: Bool
        public var name: CPEName
        public var versionStartIncluding: String?
        public var versionStartExcluding: String?
        public var versionEndIncluding: String?
        public var versionEndExcluding: String?
    }

    /// One node.
    public struct Node: Sendable, Hashable {
        public var isAnd: Bool
        public var negate: Bool
        public var criteria: [Criterion]
    }

    public var isAnd: Bool
    public var negate: Bool
    public var nodes: [Node]

    /// Parses a record's `configurations` array (JSON text); criteria that are not CPE 2.3 names
    /// are dropped (they can match nothing).
    public static func parse(_ json: String) -> [NVDConfiguration] {
        guard let list = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [Any] else { return [] }
        return list.compactMap { $0 as? [String: Any] }.map { configuration in
            NVDConfiguration(
                isAnd: (configuration["operator"] as? String)?.uppercased() == "AND",
                negate: configuration["negate"] as? Bool ?? false,
                nodes: (configuration["nodes"] as? [Any] ?? []).compactMap { $0 as? [String: Any] }.map { node in
                    Node(isAnd: (node["operator"] as? String)?.uppercased() == "AND", negate: node["negate"] as? Bool ?? false,
                         criteria: (node["cpeMatch"] as? [Any] ?? []).compactMap { $0 as? [String: Any] }.compactMap { item in
                             guard let text = item["criteria"] as? String, let name = CPEName(text) else { return nil }
                             func bound(_ key: String) -> String? { (item[key] as? String).flatMap { $0.isEmpty ? nil : $0 } }
                             return Criterion(vulnerable: item["vulnerable"] as? Bool ?? false, name: name,
                                              versionStartIncluding: bound("versionStartIncluding"),
                                              versionStartExcluding: bound("versionStartExcluding"),
                                              versionEndIncluding: bound("versionEndIncluding"),
                                              versionEndExcluding: bound("versionEndExcluding"))
                         })
                })
        }
    }

    /// Whether this configuration holds for the software present (`assets`, CPE names with a
    /// concrete version), with `target` among the assets that satisfy one of its *vulnerable*
    /// criteria: the CVE then applies to `target`. Platform criteria (`vulnerable: false`) are
    /// satisfied by any asset, never make `target` vulnerable by themselves.
    public func affects(_ target: CPEName, assets: [CPEName], anyVendor: Bool = false) -> Bool {
        guard nodes.contains(where: { $0.criteria.contains { $0.vulnerable && $0.matches(target, anyVendor: anyVendor) } }) else {
            return false
        }
        let all = assets.contains(target) ? assets : assets + [target]
        func holds(_ node: Node) -> Bool {
            let results = node.criteria.map { c in all.contains { c.matches($0, anyVendor: anyVendor && $0 == target) } }
            let value = node.isAnd ? !results.contains(false) && !results.isEmpty : results.contains(true)
            return node.negate ? !value : value
        }
        let values = nodes.map(holds)
        let value = isAnd ? !values.contains(false) && !values.isEmpty : values.contains(true)
        return negate ? !value : value
    }
}

extension NVDConfiguration.Criterion {
    /// CPE name matching (NIST IR 7696) of this criterion as source against `asset` as target:
    /// each attribute of the criterion is ANY (`*`, matches all), NA (`-`, matches only NA) or a
    /// value that must equal the asset's (case-insensitive; an asset's ANY does not satisfy a
    /// specific value). The version is either such a value or ANY limited by the
    /// `versionStart…`/`versionEnd…` bounds, compared with ``UpstreamVersion``.
    /// `anyVendor` lets an asset whose vendor is unknown (a WordPress plugin: NVD files it under
    /// its author) match any vendor.
    public func matches(_ asset: CPEName, anyVendor: Bool = false) -> Bool {
        for i in 0..<11 {
            let c = name.attributes[i], a = asset.attributes[i]
            if i == 1, anyVendor { continue }
            if i == 3 { continue }
            if c == "*" { continue }
            if c == "-" { if a != "-" { return false } else { continue } }
            if c.lowercased() != a.lowercased() { return false }
        }
        let version = asset.version
        switch name.version {
        case "*": break
        case "-": return version == "-"
        default: return name.version.lowercased() == version.lowercased()
        }
        let bounded = versionStartIncluding != nil || versionStartExcluding != nil || versionEndIncluding != nil
            || versionEndExcluding != nil
        if bounded, version == "*" || version == "-" { return false }
        func cmp(_ a: String, _ b: String) -> Int { UpstreamVersion.compare(a, b) }
        if let s = versionStartIncluding, cmp(version, s) < 0 { return false }
        if let s = versionStartExcluding, cmp(version, s) <= 0 { return false }
        if let e = versionEndIncluding, cmp(version, e) > 0 { return false }
        if let e = versionEndExcluding, cmp(version, e) >= 0 { return false }
        return true
    }
}
