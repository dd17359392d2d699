/// The CWE parent relation (ChildOf in the Research Concepts view, 1000) that the classifier
/// walks upward. `CWEParentTable` provides it (built from the vulnerability database's CWE catalogue).
public protocol CWEHierarchy: Sendable {
    /// Direct parents of `cwe` (numbers, without the `CWE-` prefix); empty for roots and unknown ids.
    func parents(of cwe: Int) -> [Int]
}

/// CWE identifiers as feeds write them.
public enum CWEIdentifier {
    /// `CWE-79` → 79; `79` → 79; `NVD-CWE-noinfo`, `NVD-CWE-Other` and garbage → nil.
    public static func number(_ text: String) -> Int? {
        var s = Substring(text)
        if s.count > 4, s.prefix(4).uppercased() == "CWE-" { s = s.dropFirst(4) }
        guard !s.isEmpty, s.count < 10, s.allSatisfy(\.isASCII), let n = Int(s), n > 0 else { return nil }
        return n
    }
}
