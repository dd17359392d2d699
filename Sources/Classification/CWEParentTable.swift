/// The CWE parent relation as an in-memory table, the form the classifier walks.
///
/// Vigil has one reader of MITRE's CWE files: the vulnerability database's importer. `vigil` builds
/// this table from the database's catalogue (`CWECatalog`, in VigilCLI, so this target stays free of
/// the database); tests build it from literals or from a catalogue they parsed.
public struct CWEParentTable: CWEHierarchy {
    /// CWE number → direct parents.
    public private(set) var parentsByID: [Int: [Int]]

    public init(parentsByID: [Int: [Int]] = [:]) { self.parentsByID = parentsByID }

    /// From ids as catalogues write them (`("CWE-122", ["CWE-787", "CWE-788"])`); ids that are not
    /// CWE numbers (views, garbage) are left out, as the walk could never reach them.
    public init(entries: some Sequence<(String, [String])>) {
        var table: [Int: [Int]] = [:]
        for entry in entries {
            guard let id = CWEIdentifier.number(entry.0) else { continue }
            table[id, default: []].append(contentsOf: entry.1.compactMap(CWEIdentifier.number))
        }
        parentsByID = table
    }

    public func parents(of cwe: Int) -> [Int] { parentsByID[cwe] ?? [] }

    /// No entries: the classifier then maps only the listed ids themselves.
    public var isEmpty: Bool { parentsByID.isEmpty }
}
