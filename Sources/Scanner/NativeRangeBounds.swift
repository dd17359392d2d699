import Versioning

/// The versions a native range string names as its bounds, read from the text: what a patched
/// range starts at and what a vulnerable range stops before, for the fixed-version column.
/// Containment itself is always decided by the Versioning range types; this only picks out
/// version literals.
enum NativeRangeBounds {
    /// One comparator: its operator (empty for a bare version) and version text.
    struct Comparator: Equatable {
        var op: String
        var version: String
    }

    /// Alternatives (`||`) of comparator lists (split on `,` and blanks; `op version` pairs
    /// rejoined, node-semver's `1.2.3 - 2.0.0` hyphen ranges kept as `>=`/`<=`).
    static func alternatives(_ text: String) -> [[Comparator]] {
        text.split(separator: "||", omittingEmptySubsequences: false).map { alternative in
            var tokens: [String] = []
            var current = ""
            for ch in alternative {
                if ch == "," || ch == " " || ch == "\t" {
                    if !current.isEmpty { tokens.append(current); current = "" }
                } else {
                    current.append(ch)
                }
            }
            if !current.isEmpty { tokens.append(current) }
            var comparators: [Comparator] = []
            var pendingOp: String?
            var hyphenUpper = false
            for token in tokens {
                if token == "-" { hyphenUpper = true; continue }
                let op = String(token.prefix { "<>=~^!".contains($0) })
                let version = String(token.dropFirst(op.count))
                if version.isEmpty { pendingOp = op; continue }
                if hyphenUpper {
                    comparators.append(Comparator(op: "<=", version: version))
                    hyphenUpper = false
                } else {
                    comparators.append(Comparator(op: pendingOp ?? op, version: version))
                }
                pendingOp = nil
            }
            return comparators
        }
    }

    /// Per alternative, its highest lower bound (`>=`, `>`, `~>`, `^`, `~`, `=`, bare): the
    /// first version the alternative admits, roughly.
    static func lowerBounds(of text: String, scheme: VersionScheme) -> [String] {
        alternatives(text).compactMap { comparators in
            comparators.filter { ["", "=", "==", ">=", ">", "~>", "^", "~"].contains($0.op) && $0.version.first?.isNumber == true }
                .map(\.version)
                .max { VersionComparator.compare($0, $1, scheme: scheme) < 0 }
        }
    }

    /// Every exclusive upper bound (`<X`) of the range.
    static func exclusiveUpperBounds(of text: String) -> [String] {
        alternatives(text).flatMap { $0.filter { $0.op == "<" }.map(\.version) }
    }
}
