import Sensor

/// Which read-only opens the loaded rules can match, for the live sensor's in-kernel filter.
///
/// Most file activity in a container is reading, and a ruleset usually cares about a handful of
/// read paths (/etc/shadow, sudoers, SSH keys). The kernel side (bpf/vigil.bpf.c) drops a read-only
/// open of an absolute, canonical path before it reaches the ring buffer unless it matches one of
/// these entries. The analysis is conservative: the entries cover every read-only open any active
/// rule could match; when a rule constrains a read-only open in a way that cannot be expressed as
/// paths or prefixes (`fd.name contains x`, `fd.filename = y`, a regex), there is no filter.
public struct OpenReadFilter: Sendable, Equatable {
    /// Paths matched whole.
    public var exact: Set<String> = []
    /// Path prefixes.
    public var prefixes: Set<String> = []

    public init(exact: Set<String> = [], prefixes: Set<String> = []) {
        self.exact = exact
        self.prefixes = prefixes
    }

    /// Whether the kernel reports a read-only open of this path: relative and non-canonical
    /// paths always, others when the LPM trie holds the path or one of its prefixes.
    public func admits(_ path: String) -> Bool {
        guard path.hasPrefix("/"), PathSyntax.isCanonical(path) else { return true }
        return exact.contains(path) || prefixes.contains { path.hasPrefix($0) }
    }
}

extension RuleSet {
    /// The read-only opens the active rules can match, or the name of the first rule that could
    /// match any read-only open (and so rules the filter out).
    public func openReadFilter() -> Result<OpenReadFilter, OpenReadFilterUnavailable> {
        var filter = OpenReadFilter()
        for rule in rules where rule.isActive {
            guard let condition = rule.compiled else { continue }
            if let types = rule.eventTypes, types.isDisjoint(with: OpenReadAnalysis.openTypes) { continue }
            switch OpenReadAnalysis.constraint(of: condition) {
            case .never: continue
            case .any: return .failure(OpenReadFilterUnavailable(rule: rule.name))
            case .paths(let f):
                filter.exact.formUnion(f.exact)
                filter.prefixes.formUnion(f.prefixes)
            }
        }
        return .success(filter)
    }
}

/// The rule that can match read-only opens of any path.
public struct OpenReadFilterUnavailable: Error, Sendable, Equatable {
    public var rule: String
}

/// What a condition requires of a read-only open the kernel may drop: flags without a write mode,
/// O_CREAT, O_TRUNC, O_DIRECTORY, O_PATH or O_TMPFILE, and an absolute path without `//`, `.`
/// components, `..` or a trailing `/` (the kernel reports every other open).
enum OpenReadAnalysis {
    static let openTypes: Set<String> = ["open", "openat"]

    enum Constraint: Equatable {
        /// No read-only open can match.
        case never
        /// Any read-only open may match.
        case any
        /// Only opens of these paths may match.
        case paths(OpenReadFilter)
    }

    /// Flag names a filtered open never carries (`evt.arg.flags contains O_CREAT` cannot match it).
    static let absentFlags: Set<String> = ["O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC", "O_DIRECTORY", "O_PATH", "O_TMPFILE"]

    static func constraint(of e: ConditionExpr) -> Constraint {
        switch e {
        case .and(let children):
            var result = Constraint.any
            for c in children {
                let r = constraint(of: c)
                switch (result, r) {
                case (_, .never): return .never
                case (_, .any): continue
                case (.any, _): result = r
                case (.paths(let a), .paths(let b)): result = .paths(tighter(a, b))
                case (.never, _): return .never
                }
            }
            return result
        case .or(let children):
            var union = OpenReadFilter()
            var sawPaths = false
            for c in children {
                switch constraint(of: c) {
                case .never: continue
                case .any: return .any
                case .paths(let f):
                    sawPaths = true
                    union.exact.formUnion(f.exact)
                    union.prefixes.formUnion(f.prefixes)
                }
            }
            return sawPaths ? .paths(union) : .never
        case .binaryCheck(.field(let name, let arg), let op, let right):
            return check(field: name, arg: arg, op: op, values: values(right))
        default:
            // `not x`, `exists`, transformers: anything may match
            return .any
        }
    }

    private static func values(_ e: ConditionExpr) -> [String]? {
        switch e {
        case .value(let v): return [v]
        case .list(let l): return l.map(RuleCompiler.unquote)
        default: return nil // a field on the right-hand side
        }
    }

    private static func check(field: String, arg: String?, op: String, values: [String]?) -> Constraint {
        guard let values else { return .any }
        let pathField = field == "fd.name" || field == "fd.nameraw" || field == "fd.directory"
        // the kernel compares bytes; Swift's String comparison treats canonically equivalent
        // Unicode spellings as equal: only ASCII values are turned into kernel entries
        if pathField, values.contains(where: { !$0.utf8.allSatisfy { $0 < 0x80 } }) { return .any }
        switch field {
        case "evt.type":
            switch op {
            case "=", "in": return values.contains(where: openTypes.contains) ? .any : .never
            default: return .any
            }
        case "evt.is_open_write":
            return op == "=" && values == ["true"] ? .never : .any
        case "evt.is_open_read":
            return op == "=" && values == ["false"] ? .never : .any
        case "evt.arg.flags" where arg == nil, "evt.arg" where arg == "flags":
            return op == "contains" && values.count == 1 && absentFlags.contains(values[0]) ? .never : .any
        case "fd.name", "fd.nameraw":
            // the kernel reports every path with ".." in it (not_canonical): a value that contains
            // ".." can only match an open the filter never sees
            if ["contains", "startswith", "endswith", "glob"].contains(op),
               values.allSatisfy({ $0.contains("..") && (op != "glob" || !$0.contains(where: { "[\\".contains($0) })) }) {
                return .never
            }
            switch op {
            case "=", "in": return .paths(OpenReadFilter(exact: Set(values)))
            case "startswith": return prefixes(values)
            // pmatch ignores a trailing "/": (/etc/ssh/) matches /etc/ssh itself
            case "pmatch": return prefixes(values.map { $0.count > 1 && $0.hasSuffix("/") ? String($0.dropLast()) : $0 })
            case "glob": return prefixes(values.map(literalPrefix))
            default: return .any
            }
        case "fd.directory":
            switch op {
            case "=", "in": return prefixes(values.map { $0.hasSuffix("/") ? $0 : $0 + "/" })
            case "startswith", "pmatch": return prefixes(values)
            default: return .any
            }
        default:
            return .any
        }
    }

    /// A prefix constraint; an empty prefix (or one that does not start at the root) matches anything.
    private static func prefixes(_ values: [String]) -> Constraint {
        guard !values.isEmpty else { return .never }
        for v in values where !v.hasPrefix("/") { return .any }
        return .paths(OpenReadFilter(prefixes: Set(values)))
    }

    /// The part of a glob pattern before its first wildcard, escape or character class.
    static func literalPrefix(_ pattern: String) -> String {
        String(pattern.prefix { !"*?[\\".contains($0) })
    }

    /// Either side of an `and` bounds it; keep the one whose shortest entry is longest (exact
    /// paths count as longer than any prefix of the same length).
    private static func tighter(_ a: OpenReadFilter, _ b: OpenReadFilter) -> OpenReadFilter {
        func weight(_ f: OpenReadFilter) -> Int {
            let p = f.prefixes.map(\.utf8.count).min() ?? Int.max / 2
            let e = f.exact.map { $0.utf8.count + 1 }.min() ?? Int.max / 2
            return min(p, e)
        }
        return weight(b) > weight(a) ? b : a
    }
}
