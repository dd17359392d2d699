/// One entry of the MITRE CWE catalogue: a weakness, category or view.
public struct CWEEntry: Hashable, Sendable {
    /// `CWE-78`.
    public var id: String
    public var name: String
    /// `weakness`, `category`, `view`, or nil when the input did not say.
    public var kind: String?
    /// `Pillar`, `Class`, `Base`, `Variant`, `Compound`, or nil.
    public var abstraction: String?
    /// `Stable`, `Draft`, `Incomplete`, `Deprecated`…, or nil.
    public var status: String?
    /// Direct parents: the `ChildOf` relations in the Research Concepts view (1000), or in any
    /// view when an entry has none there. `CWE-77` for `CWE-78`.
    public var parents: [String]

    public init(id: String, name: String, kind: String? = nil, abstraction: String? = nil, status: String? = nil,
                parents: [String] = []) {
        self.id = id
        self.name = name
        self.kind = kind
        self.abstraction = abstraction
        self.status = status
        self.parents = parents
    }

    /// Combines two descriptions of the same id from different files (the full CSV and the
    /// id → name map): the first non-empty value of each field, parents united in order.
    func merged(with other: CWEEntry) -> CWEEntry {
        var r = self
        if r.name.isEmpty { r.name = other.name }
        r.kind = r.kind ?? other.kind
        r.abstraction = r.abstraction ?? other.abstraction
        r.status = r.status ?? other.status
        for p in other.parents where !r.parents.contains(p) { r.parents.append(p) }
        return r
    }
}

/// The CWE catalogue as stored in the database: names and the ChildOf hierarchy.
///
/// Read it with ``VulnDatabase/cweCatalog()``; build one directly from entries in tests.
public struct CWECatalog: Sendable {
    public private(set) var entries: [String: CWEEntry]

    public init(entries: [CWEEntry]) {
        var byID: [String: CWEEntry] = [:]
        for e in entries { byID[e.id] = byID[e.id].map { $0.merged(with: e) } ?? e }
        self.entries = byID
    }

    /// Accepts `CWE-78`, `cwe-78` and `78`.
    public static func normalise(_ id: String) -> String {
        let upper = id.uppercased()
        return upper.hasPrefix("CWE-") ? upper : "CWE-" + upper
    }

    /// `Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')` for `CWE-78`.
    public func name(of id: String) -> String? { entries[Self.normalise(id)]?.name }

    /// Direct parents (ChildOf), in catalogue order.
    public func parents(of id: String) -> [String] { entries[Self.normalise(id)]?.parents ?? [] }

    /// Every ancestor, nearest first (breadth-first), each once; cycles in hostile input end the walk.
    public func ancestors(of id: String) -> [String] {
        var result: [String] = []
        var seen: Set<String> = [Self.normalise(id)]
        var queue = parents(of: id)
        var index = 0
        while index < queue.count {
            let next = queue[index]
            index += 1
            guard seen.insert(next).inserted else { continue }
            result.append(next)
            queue.append(contentsOf: parents(of: next))
        }
        return result
    }

    public var count: Int { entries.count }
}
