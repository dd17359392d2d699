#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns loaded items into compiled rules: parses conditions, expands macros and lists, adds
/// exceptions the way Falco does (`(condition) and not (exception) …`), checks fields against
/// the registry and computes each rule's event types.
struct RuleCompiler {
    var set: RuleSet
    let registry: FieldRegistry
    private var listItems: [String: [String]] = [:]
    private var macroSource: [String: RuleMacro] = [:]
    private var macroExpanded: [String: Expansion] = [:]
    private var macroFailed: Set<String> = []

    /// Largest expanded condition or list: nodes plus list items after every macro and list
    /// is substituted. A 2 KB file whose macros or lists each use the previous one twice would
    /// otherwise expand to 2^60 nodes (Falco's own rules stay under 5,000).
    static let maximumExpandedSize = 1_000_000
    /// Deepest nesting of `and`/`or`/`not` and macro references in an expanded condition: every
    /// later pass (compilation, event types, printing) walks the tree recursively, so a 10,000-macro
    /// chain would overflow the stack. Falco's own rules nest under 30.
    static let maximumExpansionDepth = 500

    /// A macro or condition after substitution, with its size and depth (measured once, so a
    /// macro used many times is never walked again).
    struct Expansion {
        var expr: ConditionExpr
        var size: Int
        var depth: Int
    }

    init(set: RuleSet, registry: FieldRegistry) {
        self.set = set
        self.registry = registry
    }

    mutating func compile() -> RuleSet {
        guard set.errors.isEmpty else { return set }
        // lists may reference lists defined before them
        for list in set.lists {
            let count = list.items.reduce(0) { $0 + (listItems[$1]?.count ?? 1) }
            guard count <= Self.maximumExpandedSize else {
                set.errors.append(RuleDiagnostic("List expands to \(count) items, more than the limit of \(Self.maximumExpandedSize)",
                                                 location: list.location, item: "list '\(list.name)'"))
                return set
            }
            listItems[list.name] = list.items.flatMap { listItems[$0] ?? [Self.unquote($0)] }
        }
        for macro in set.macros { macroSource[macro.name] = macro }
        // macros are parsed even when unused, as Falco does
        for macro in set.macros {
            var stack: [String] = []
            guard expandMacro(macro.name, stack: &stack) != nil else { return set }
        }
        for i in set.rules.indices {
            compileRule(i)
            if !set.errors.isEmpty { return set }
        }
        return set
    }

    // MARK: macros

    private mutating func expandMacro(_ name: String, stack: inout [String], depth: Int = 0) -> Expansion? {
        if let done = macroExpanded[name] { return done }
        guard let macro = macroSource[name] else { return nil }
        if stack.contains(name) {
            set.errors.append(RuleDiagnostic("Macro '\(name)' references itself (\((stack + [name]).joined(separator: " -> ")))", location: macro.location, item: "macro '\(name)'"))
            return nil
        }
        let ast: ConditionExpr
        do {
            ast = try ConditionParser.parse(macro.condition)
        } catch {
            set.errors.append(RuleDiagnostic(error.message, location: Self.offset(macro.conditionLocation, by: error.position), item: "macro '\(name)'"))
            return nil
        }
        stack.append(name)
        defer { stack.removeLast() }
        guard let expanded = resolve(ast, stack: &stack, depth: depth, location: macro.conditionLocation, item: "macro '\(name)'") else { return nil }
        macroExpanded[name] = expanded
        return expanded
    }

    /// Replaces macro references and list names; nil (with an error recorded) on failure.
    /// `depth` is the nesting reached so far (logical nodes and macro references), so the walk
    /// stops at ``maximumExpansionDepth`` before the stack can overflow.
    private mutating func resolve(_ e: ConditionExpr, stack: inout [String], depth: Int = 0, location: SourceLocation, item: String) -> Expansion? {
        guard depth < Self.maximumExpansionDepth else {
            let via = stack.count > 1 ? " (macros \(stack.prefix(3).joined(separator: " -> ")) -> … -> \(stack.last!))" : ""
            set.errors.append(RuleDiagnostic("Condition nests deeper than \(Self.maximumExpansionDepth) levels once macros are expanded\(via)", location: location, item: item))
            return nil
        }
        switch e {
        case .and(let c), .or(let c):
            var out: [ConditionExpr] = []
            var size = 1, deepest = 0
            for x in c {
                guard let r = resolve(x, stack: &stack, depth: depth + 1, location: location, item: item) else { return nil }
                out.append(r.expr)
                size += r.size
                deepest = max(deepest, r.depth)
                guard checkSize(size, location: location, item: item) else { return nil }
            }
            if case .and = e { return Expansion(expr: .and(out), size: size, depth: deepest + 1) }
            return Expansion(expr: .or(out), size: size, depth: deepest + 1)
        case .not(let c):
            guard let r = resolve(c, stack: &stack, depth: depth + 1, location: location, item: item) else { return nil }
            return Expansion(expr: .not(r.expr), size: r.size + 1, depth: r.depth + 1)
        case .identifier(let name):
            if macroSource[name] != nil {
                // A macro expanded earlier is reused as it is (one shared tree), but its depth
                // still adds to this position's.
                guard let m = expandMacro(name, stack: &stack, depth: depth + 1) else { return nil }
                guard depth + m.depth <= Self.maximumExpansionDepth else {
                    set.errors.append(RuleDiagnostic("Condition nests deeper than \(Self.maximumExpansionDepth) levels once macro '\(name)' is expanded", location: location, item: item))
                    return nil
                }
                return m
            }
            set.errors.append(RuleDiagnostic("Undefined macro '\(name)' used in filter.", location: location, item: item))
            return nil
        case .binaryCheck(let left, let op, let right):
            guard let r = expandLists(right, op: op, location: location, item: item) else { return nil }
            let size = 1 + Self.leafSize(left) + Self.leafSize(r)
            guard checkSize(size, location: location, item: item) else { return nil }
            return Expansion(expr: .binaryCheck(left, op: op, r), size: size, depth: 1)
        case .list, .value, .field, .transformer, .call, .unaryCheck:
            return Expansion(expr: e, size: Self.leafSize(e), depth: 1)
        }
    }

    /// The first `regex` operand in `condition` that does not compile, if any.
    static func invalidRegex(in condition: ConditionExpr) -> String? {
        var bad: String?
        condition.forEach { node in
            guard bad == nil, case .binaryCheck(_, let op, let right) = node, op == "regex" else { return }
            let patterns: [String]
            switch right {
            case .value(let v): patterns = [v]
            case .list(let items): patterns = items
            default: return
            }
            for p in patterns {
                guard let r = Check.compileRegex(p) else { bad = p; return }
                GlibcRegex.free(r)
                r.deallocate()
            }
        }
        return bad
    }

    /// Records an error when an expansion has grown past ``maximumExpandedSize``.
    private mutating func checkSize(_ size: Int, location: SourceLocation, item: String) -> Bool {
        guard size > Self.maximumExpandedSize else { return true }
        set.errors.append(RuleDiagnostic("Condition expands to more than \(Self.maximumExpandedSize) nodes and list items once macros and lists are substituted", location: location, item: item))
        return false
    }

    /// Nodes and list items of a parsed operand (its depth is bounded by the parser).
    static func leafSize(_ e: ConditionExpr) -> Int {
        var n = 0
        e.forEach { node in
            if case .list(let items) = node { n += items.count } else { n += 1 }
        }
        return n
    }

    private mutating func expandLists(_ e: ConditionExpr, op: String, location: SourceLocation, item: String) -> ConditionExpr? {
        switch e {
        case .list(let values):
            // Counted before the copy: `(l, l, l, …)` of a large list must not be built first.
            let count = values.reduce(0) { $0 + (listItems[$1]?.count ?? 1) }
            guard checkSize(count, location: location, item: item) else { return nil }
            return .list(values.flatMap { listItems[$0] ?? [$0] })
        case .value(let v):
            let takesList = ConditionParser.listOps.contains(op) || ConditionParser.modifiers.contains { op.hasSuffix(" " + $0) }
            if takesList, let items = listItems[v] { return .list(items) }
            return e
        default:
            return e
        }
    }

    // MARK: rules

    private mutating func compileRule(_ i: Int) {
        var rule = set.rules[i]
        let label = "rule '\(rule.name)'"
        defer { set.rules[i] = rule }

        if rule.source != "syscall" {
            set.warnings.append(RuleDiagnostic("Unknown source \(rule.source), skipping", location: rule.location, item: label))
            rule.disabledReason = "source '\(rule.source)' is not supported"
            return
        }

        let parsed: ConditionExpr
        do {
            parsed = try ConditionParser.parse(rule.condition)
        } catch {
            let d = RuleDiagnostic(error.message, location: Self.offset(rule.conditionLocation, by: error.position), item: label)
            if rule.enabled { set.errors.append(d) } else {
                set.warnings.append(RuleDiagnostic("disabled rule does not compile: " + error.message, location: d.location, item: label))
                rule.disabledReason = "condition does not compile"
            }
            return
        }
        var stack: [String] = []
        let errorCount = set.errors.count
        guard var condition = resolve(parsed, stack: &stack, location: rule.conditionLocation, item: label)?.expr else {
            if !rule.enabled {
                let failures = set.errors[errorCount...].map(\.message)
                set.errors.removeSubrange(errorCount...)
                set.warnings.append(RuleDiagnostic("disabled rule does not compile: " + failures.joined(separator: "; "), location: rule.conditionLocation, item: label))
                rule.disabledReason = "condition does not compile"
            }
            return
        }

        // exceptions: (condition) and not (exception 1) and not (exception 2) …
        var notExceptions: [ConditionExpr] = []
        for ex in rule.exceptions where !ex.values.isEmpty {
            guard let e = exceptionExpr(ex, label: label) else { return }
            notExceptions.append(.not(e))
        }
        if !notExceptions.isEmpty { condition = .and([condition] + notExceptions) }
        if let bad = Self.invalidRegex(in: condition) {
            // Falco refuses the rule file; so do watch and validate (watch used to only disable the rule).
            let d = RuleDiagnostic("invalid regular expression '\(bad)'", location: rule.conditionLocation, item: label)
            if rule.enabled { set.errors.append(d) } else {
                set.warnings.append(RuleDiagnostic("disabled rule does not compile: " + d.message, location: d.location, item: label))
                rule.disabledReason = "condition does not compile"
            }
            return
        }
        rule.compiled = condition

        // fields
        var unsupported: [String] = []
        var deprecatedInCondition = false
        condition.forEach { node in
            guard case .field(let name, let arg) = node else { return }
            if registry.deprecated.contains(name) { deprecatedInCondition = true }
            if registry.resolve(name, arg: arg) == nil, !unsupported.contains(name) { unsupported.append(name) }
        }
        if deprecatedInCondition {
            set.warnings.append(RuleDiagnostic("usage of deprecated field 'evt.dir' has been detected in the rule condition", location: rule.conditionLocation, item: label))
        }
        let outputFields = OutputTemplate.fieldNames(in: rule.output)
        if outputFields.contains("evt.dir") {
            set.warnings.append(RuleDiagnostic("usage of deprecated field 'evt.dir' has been detected in the rule output", location: rule.location, item: label))
        }
        for f in outputFields where registry.resolve(f.split(separator: "[").first.map(String.init) ?? f, arg: nil) == nil {
            if !unsupported.contains(f) && !rule.skipIfUnknownFilter {
                set.warnings.append(RuleDiagnostic("output field '\(f)' is not supported by Vigil and will print <NA>", location: rule.location, item: label))
            }
        }
        rule.unsupportedFields = unsupported
        if !unsupported.isEmpty {
            rule.disabledReason = "unsupported field" + (unsupported.count > 1 ? "s " : " ") + unsupported.map { "'\($0)'" }.joined(separator: ", ")
            if !rule.skipIfUnknownFilter && rule.enabled {
                set.warnings.append(RuleDiagnostic("rule disabled: \(rule.disabledReason!) not available in Vigil's event model", location: rule.conditionLocation, item: label))
            }
        }

        // event types
        let types = EventTypeSet.of(condition)
        // `evt.type != x` leaves a complement (every type but x): evaluated for every event type
        rule.eventTypes = types.pos.complement ? nil : types.pos.names
        if types.isAll && rule.warnEvttypes && rule.enabled && unsupported.isEmpty {
            set.warnings.append(RuleDiagnostic("Rule matches too many evt.type values. This has a significant performance penalty.", location: rule.conditionLocation, item: label))
        }
    }

    /// List items written with their own quotes (`'"10.0.0.0/8"'`) stand for the bare value, as
    /// they did when Falco pasted list items into condition text.
    static func unquote(_ item: String) -> String {
        guard item.count >= 2, let f = item.first, f == "\"" || f == "'", item.last == f else { return item }
        let bytes = Array(item.utf8)
        return (try? ConditionParser.unescape(Array(bytes[1..<(bytes.count - 1)]), delimiter: bytes[0])) ?? String(item.dropFirst().dropLast())
    }

    static let transformerNames: Set<String> = ["tolower", "toupper", "b64", "basename", "len", "val"]

    /// One exception as a condition: a check per field, AND-ed per tuple, OR-ed over tuples.
    private mutating func exceptionExpr(_ ex: RuleException, label: String) -> ConditionExpr? {
        var fieldExprs: [ConditionExpr] = []
        for f in ex.fields {
            guard case .unaryCheck(let left, _)? = try? ConditionParser.parse(f + " exists") else {
                set.errors.append(RuleDiagnostic("Exception '\(ex.name)': '\(f)' is not a valid field", location: ex.location, item: label))
                return nil
            }
            fieldExprs.append(left)
        }
        if !ex.fieldsIsList {
            // a single field compared with the list of all values
            let values = ex.values.compactMap { row -> String? in if case .string(let s)? = row.first { return s }; return nil }
            guard let rhs = expandLists(.list(values), op: ex.comps[0], location: ex.location, item: label) else { return nil }
            return .binaryCheck(fieldExprs[0], op: ex.comps[0], rhs)
        }
        var tuples: [ConditionExpr] = []
        for row in ex.values {
            var checks: [ConditionExpr] = []
            for (j, cell) in row.enumerated() {
                let comp = ex.comps[j]
                let takesList = ConditionParser.listOps.contains(comp) || ConditionParser.modifiers.contains { comp.hasSuffix(" " + $0) }
                let rhs: ConditionExpr
                switch cell {
                case .list(let items):
                    guard let r = expandLists(.list(items), op: comp, location: ex.location, item: label) else { return nil }
                    rhs = r
                case .string(let s):
                    if takesList {
                        guard let r = expandLists(.list([s]), op: comp, location: ex.location, item: label) else { return nil }
                        rhs = r
                    } else {
                        rhs = valueOperand(s, label: label, location: ex.location)
                    }
                }
                checks.append(.binaryCheck(fieldExprs[j], op: comp, rhs))
            }
            tuples.append(checks.count == 1 ? checks[0] : .and(checks))
        }
        return tuples.count == 1 ? tuples[0] : .or(tuples)
    }

    /// A right-hand exception value: a transformer when written exactly as one, else a constant
    /// (with Falco's warning when it looks like a field or a transformer).
    private mutating func valueOperand(_ s: String, label: String, location: SourceLocation) -> ConditionExpr {
        if let open = s.firstIndex(of: "("), Self.transformerNames.contains(String(s[..<open])), s.hasSuffix(")"),
           !s.contains(" "), let parsed = try? ConditionParser.parse("x.x = " + s),
           case .binaryCheck(_, _, let rhs) = parsed, case .transformer = rhs {
            return rhs
        }
        let trimmed = s.trimmedBlanks
        if Self.looksLikeField(trimmed) {
            set.warnings.append(RuleDiagnostic("'\(s)' may be a valid field misused as a const string value", location: location, item: label))
        } else if let open = trimmed.firstIndex(of: "("), Self.transformerNames.contains(String(trimmed[..<open])), trimmed.hasSuffix(")"),
                  Self.looksLikeField(String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]).trimmedBlanks) {
            set.warnings.append(RuleDiagnostic("'\(s)' may be a valid field transformer misused as a const string value", location: location, item: label))
        }
        return .value(s)
    }

    static func looksLikeField(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 2 else { return false }
        return parts.allSatisfy { p in
            guard let f = p.unicodeScalars.first, f.isASCII, f.properties.isAlphabetic else { return false }
            return p.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
        }
    }

    /// Location of a condition error: the condition's start moved by the error's line/column.
    static func offset(_ base: SourceLocation, by pos: SourcePosition) -> SourceLocation {
        if pos.line == 1 { return SourceLocation(file: base.file, line: base.line, column: base.column + pos.column - 1) }
        return SourceLocation(file: base.file, line: base.line + pos.line - 1, column: pos.column)
    }
}

/// The event types a condition can match, as Falco computes them: `evt.type` checks narrow,
/// everything else matches all types; `not` swaps the positive and negated sets.
struct EventTypeSet {
    /// A set of names, or its complement.
    struct Names {
        var complement: Bool
        var names: Set<String>
        static let all = Names(complement: true, names: [])
        static let none = Names(complement: false, names: [])

        func union(_ o: Names) -> Names {
            switch (complement, o.complement) {
            case (false, false): return Names(complement: false, names: names.union(o.names))
            case (true, true): return Names(complement: true, names: names.intersection(o.names))
            case (true, false): return Names(complement: true, names: names.subtracting(o.names))
            case (false, true): return Names(complement: true, names: o.names.subtracting(names))
            }
        }

        func intersection(_ o: Names) -> Names {
            switch (complement, o.complement) {
            case (false, false): return Names(complement: false, names: names.intersection(o.names))
            case (true, true): return Names(complement: true, names: names.union(o.names))
            case (true, false): return Names(complement: false, names: o.names.subtracting(names))
            case (false, true): return Names(complement: false, names: names.subtracting(o.names))
            }
        }
    }

    var pos: Names
    var neg: Names

    var isAll: Bool { pos.complement && pos.names.isEmpty }
    /// The positive set when it is finite.
    var positive: Set<String> { pos.complement ? [] : pos.names }

    static func of(_ e: ConditionExpr) -> EventTypeSet {
        switch e {
        case .and(let c):
            var r = EventTypeSet(pos: .all, neg: .none)
            for x in c { let s = of(x); r.pos = r.pos.intersection(s.pos); r.neg = r.neg.union(s.neg) }
            return r
        case .or(let c):
            var r = EventTypeSet(pos: .none, neg: .all)
            for x in c { let s = of(x); r.pos = r.pos.union(s.pos); r.neg = r.neg.intersection(s.neg) }
            return r
        case .not(let c):
            let s = of(c)
            return EventTypeSet(pos: s.neg, neg: s.pos)
        case .binaryCheck(.field("evt.type", nil), let op, let rhs):
            var names: Set<String> = []
            switch rhs {
            case .value(let v): names = [v]
            case .list(let vs): names = Set(vs)
            default: return EventTypeSet(pos: .all, neg: .all)
            }
            let set = Names(complement: false, names: names)
            let comp = Names(complement: true, names: names)
            switch op {
            case "=", "==", "in", "= oneof", "== oneof": return EventTypeSet(pos: set, neg: comp)
            case "!=": return EventTypeSet(pos: comp, neg: set)
            default: return EventTypeSet(pos: .all, neg: .all)
            }
        case .binaryCheck(.field("evt.num", nil), let op, .value("0")) where op == "=" || op == "==":
            // Falco's never_true idiom: event numbers start at 1
            return EventTypeSet(pos: .none, neg: .all)
        default:
            return EventTypeSet(pos: .all, neg: .all)
        }
    }
}
