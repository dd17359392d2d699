import Sensor
import VigilCore

/// A rule ready to run.
public final class CompiledRule: @unchecked Sendable {
    public let rule: LoadedRule
    let program: ConditionProgram
    public let output: OutputTemplate
    let outputFields: [(name: String, ref: FieldRef?)]
    /// The output template with each field replaced by its index in `outputFields`.
    let outputPlan: [OutputPiece]

    enum OutputPiece {
        case text(String)
        case field(Int)
    }

    init(rule: LoadedRule, program: ConditionProgram, registry: FieldRegistry) {
        self.rule = rule
        self.program = program
        output = OutputTemplate(rule.output)
        var fields: [(String, FieldRef?)] = []
        var plan: [OutputPiece] = []
        for segment in output.segments {
            switch segment {
            case .text(let t): plan.append(.text(t))
            case .field(let name, let arg):
                let full = arg.map { "\(name)[\($0)]" } ?? name
                if let i = fields.firstIndex(where: { $0.0 == full }) {
                    plan.append(.field(i))
                } else {
                    plan.append(.field(fields.count))
                    fields.append((full, RuleEvaluator.fieldRef(name, arg: arg, registry: registry)))
                }
            }
        }
        outputFields = fields
        outputPlan = plan
    }

    public var name: String { rule.name }
}

/// A rule that matched an event.
public struct RuleMatch: Sendable {
    public let rule: CompiledRule
    public let process: ProcessRecord

    /// The values of the fields the condition reads, for "why did this fire".
    public func explanation(event: Event, state: SystemState) -> String {
        var seen: [String] = []
        var parts: [String] = []
        rule.rule.compiled?.forEach { node in
            guard case .field(let name, let arg) = node else { return }
            let full = arg.map { "\(name)[\($0)]" } ?? name
            if seen.contains(full) { return }
            seen.append(full)
            let value = RuleEvaluator.fieldRef(name, arg: arg, registry: .standard)
                .flatMap { FieldExtractor.extract($0, event, process, state) }?.text ?? "<NA>"
            parts.append("\(full)=\(value)")
        }
        return "condition true with " + parts.joined(separator: " ")
    }
}

/// Runs compiled rules over events; rules are indexed by event type so an event only meets the
/// rules that can match it.
public struct RuleEvaluator: Sendable {
    public let rules: [CompiledRule]
    /// Rule indices per `EventType.code`.
    private let byCode: [[Int]]
    /// Rules for event types outside `EventType.known`, by name.
    private let byName: [String: [Int]]
    /// Rules that match every event type.
    private let anyType: [Int]
    /// Problems found while compiling (a rule that fails here is skipped).
    public let warnings: [RuleDiagnostic]

    /// Results of shared condition nodes for the event being evaluated.
    private let memo: EvaluationMemo
    /// `byCode` as +0 references, for the per-event loop.
    private let lists: CandidateLists

    public init(rules set: RuleSet, registry: FieldRegistry = .standard) {
        var compiled: [CompiledRule] = []
        var warnings: [RuleDiagnostic] = []
        var compiler = SharedCompiler(registry: registry, rules: set.rules.filter(\.isActive).compactMap(\.compiled))
        for r in set.rules where r.isActive {
            do {
                let program = try compiler.compile(r.compiled!)
                compiled.append(CompiledRule(rule: r, program: program, registry: registry))
            } catch {
                warnings.append(RuleDiagnostic("rule disabled: \(error.message)", location: r.conditionLocation, item: "rule '\(r.name)'"))
            }
        }
        var byCode = Array(repeating: [Int](), count: EventType.known.count)
        var byName: [String: [Int]] = [:]
        var anyType: [Int] = []
        for (i, r) in compiled.enumerated() {
            guard let types = r.rule.eventTypes else {
                anyType.append(i)
                continue
            }
            for t in types {
                let code = EventType(name: t).code
                if code == 0 { byName[t, default: []].append(i) } else { byCode[Int(code)].append(i) }
            }
        }
        // keep file order inside each bucket, with all-type rules merged in
        for c in byCode.indices where !anyType.isEmpty { byCode[c] = (byCode[c] + anyType).sorted() }
        for k in byName.keys { byName[k] = (byName[k]! + anyType).sorted() }
        self.rules = compiled
        memo = EvaluationMemo(count: compiler.memoSlots)
        for r in compiled { r.program.prepare() }
        self.byCode = byCode
        lists = CandidateLists(byCode.map { $0.map { compiled[$0] } })
        self.byName = byName
        self.anyType = anyType
        self.warnings = warnings
    }

    /// Calls `body` for each rule matching `event`, in rule order. Allocation-free. One
    /// evaluation at a time per evaluator (shared subconditions are memoised per event).
    public func forEachMatch(_ event: Event, state: SystemState, _ body: (CompiledRule, ProcessRecord) -> Void) {
        let code = Int(event.type.code)
        // most events (reads, writes, clones, exits…) have no candidate rule: nothing to look up
        if code != 0, lists.rules[code].isEmpty { return }
        guard let process = state.process(event.pid) else { return }
        memo.nextEvent()
        if code != 0 {
            let list = lists.rules[code]
            for k in 0..<list.count where list[k].program._withUnsafeGuaranteedRef({ $0.evaluate(event, process, state, memo) }) {
                body(list[k].rule.takeUnretainedValue(), process)
            }
        } else {
            for i in byName[event.type.name] ?? anyType where rules[i].program.evaluate(event, process, state, memo) { body(rules[i], process) }
        }
    }

    /// Per event-type code, the candidate rules and their programs as unmanaged references
    /// (the evaluator's `rules` keeps them alive): the loop over them retains nothing.
    final class CandidateLists: @unchecked Sendable {
        struct Entry {
            let rule: Unmanaged<CompiledRule>
            let program: Unmanaged<ConditionProgram>
        }

        let rules: UnsafeMutableBufferPointer<UnsafeMutableBufferPointer<Entry>>

        init(_ byCode: [[CompiledRule]]) {
            rules = .allocate(capacity: byCode.count)
            for (code, list) in byCode.enumerated() {
                let entries = UnsafeMutableBufferPointer<Entry>.allocate(capacity: list.count)
                for (k, r) in list.enumerated() {
                    entries.initializeElement(at: k, to: Entry(rule: .passUnretained(r), program: .passUnretained(r.program)))
                }
                rules.initializeElement(at: code, to: entries)
            }
        }

        deinit {
            for list in rules { list.deallocate() }
            rules.deallocate()
        }
    }

    /// The rules matching `event`.
    public func evaluate(_ event: Event, state: SystemState) -> [RuleMatch] {
        var out: [RuleMatch] = []
        forEachMatch(event, state: state) { out.append(RuleMatch(rule: $0, process: $1)) }
        return out
    }

    /// Number of (event type, rule) index entries, for diagnostics.
    public var indexedTypes: Int { byCode.filter { !$0.isEmpty }.count + byName.count }

    // MARK: compilation

    static func fieldRef(_ name: String, arg: String?, registry: FieldRegistry) -> FieldRef? {
        guard let (entry, a) = registry.resolve(name, arg: arg) else { return nil }
        return FieldRef(id: entry.id, name: name, arg: a, index: a.flatMap { Int($0) } ?? -1)
    }

    static func compile(_ e: ConditionExpr, registry: FieldRegistry) throws(RuleEngineError) -> ConditionProgram {
        switch e {
        case .and(let c):
            var out: [ConditionProgram] = []
            for x in c { out.append(try compile(x, registry: registry)) }
            return .and(out)
        case .or(let c):
            var out: [ConditionProgram] = []
            for x in c { out.append(try compile(x, registry: registry)) }
            return .or(out)
        case .not(let c):
            return .not(try compile(c, registry: registry))
        case .unaryCheck(let left, _):
            let l = try operand(left, registry: registry)
            return .check(try Check(left: l, op: .exists, quantifier: .none, strings: [], rightOperand: nil, anyAncestor: false))
        case .binaryCheck(let left, let opText, let right):
            let l = try operand(left, registry: registry)
            let parts = opText.split(separator: " ")
            let quantifier: Quantifier
            switch parts.count > 1 ? String(parts[1]) : "" {
            case "oneof", "anyof": quantifier = .any
            case "allof": quantifier = .all
            default: quantifier = .none
            }
            guard let op = CompareOp(operator: String(parts[0])) else {
                throw RuleEngineError(.compile, "unsupported operator '\(opText)'")
            }
            var anyAncestor = false
            if case .field(let name, nil) = left, ancestorFields.contains(name) {
                anyAncestor = true
            }
            switch right {
            case .value(let v):
                return .check(try Check(left: l, op: op, quantifier: quantifier, strings: [v], rightOperand: nil, anyAncestor: anyAncestor))
            case .list(let vs):
                if vs.isEmpty, quantifier == .none, op == .inSet || op == .intersects || op == .pmatch { return .constant(false) }
                return .check(try Check(left: l, op: op, quantifier: quantifier == .none && vs.count > 1 ? .any : (quantifier == .none ? .none : quantifier), strings: vs, rightOperand: nil, anyAncestor: anyAncestor))
            default:
                let r = try operand(right, registry: registry)
                return .check(try Check(left: l, op: op, quantifier: .none, strings: [], rightOperand: r, anyAncestor: anyAncestor))
            }
        case .identifier(let name):
            throw RuleEngineError(.compile, "undefined macro '\(name)'")
        case .value, .list, .field, .transformer, .call:
            throw RuleEngineError(.compile, "'\(e)' is not a condition")
        }
    }

    /// Fields without an index that compare every ancestor (`proc.aname in (…)`: any of them).
    static let ancestorFields: Set<String> = ["proc.aname", "proc.apid", "proc.aexe", "proc.aexepath", "proc.acmdline"]

    /// The operators whose any-of operands one `ByteMatcher` can hold together.
    private static let fusibleOperators: [CompareOp] = [.eq, .inSet, .glob, .startswith, .endswith, .contains]

    /// The field an `or` alternative tests when it can join others on that field in one
    /// matcher: a field other than the ancestor ones (no transformer) against constants with
    /// `=`, `in`, `glob`, `startswith`, `endswith` or `contains`. Fields that do not take the byte
    /// path (`evt.type`, network and number fields) are left apart by `fuse`.
    static func fusionKey(_ e: ConditionExpr) -> String? {
        guard case .binaryCheck(.field(let name, let arg), let opText, let right) = e, !ancestorFields.contains(name),
              let op = CompareOp(operator: opText), fusibleOperators.contains(op) else { return nil }
        switch right {
        case .value: break
        case .list(let items) where !items.isEmpty: break
        default: return nil
        }
        return "\(name)[\(arg ?? "")]"
    }

    /// One check for `or`ed alternatives sharing a `fusionKey`: the union of their matchers.
    /// nil when the field does not take the byte path (the alternatives then stay apart).
    static func fuse(_ group: [ConditionExpr], registry: FieldRegistry) -> Check? {
        var spec = ByteMatcher.Spec()
        var left: Operand?
        for e in group {
            guard case .binaryCheck(let field, let opText, let right) = e,
                  let operand = try? operand(field, registry: registry) else { return nil }
            left = operand
            let strings: [String]
            switch right {
            case .value(let v): strings = [v]
            case .list(let vs): strings = vs
            default: return nil
            }
            guard let op = CompareOp(operator: opText), let part = ByteMatcher.spec(op: op, strings: strings, needles: strings.map { Array($0.utf8) }) else { return nil }
            spec.add(part)
        }
        guard let left, let check = try? Check(left: left, op: .inSet, quantifier: .any, strings: [], rightOperand: nil,
                                                 anyAncestor: false, fused: ByteMatcher(spec)),
              check.matchesBytes else { return nil }
        return check
    }

    static func operand(_ e: ConditionExpr, registry: FieldRegistry) throws(RuleEngineError) -> Operand {
        switch e {
        case .field(let name, let arg):
            guard let ref = fieldRef(name, arg: arg, registry: registry) else {
                throw RuleEngineError(.compile, "unsupported field '\(name)'")
            }
            return .field(ref)
        case .transformer(let t, let inner):
            return .transformed(t, try operand(inner, registry: registry))
        case .call("join", let args, _):
            guard case .value(let sep)? = args.first else { throw RuleEngineError(.compile, "join needs a separator") }
            var parts: [Operand] = []
            for a in args.dropFirst() {
                if case .value(let lit) = a { parts.append(.literal(lit)) } else { parts.append(try operand(a, registry: registry)) }
            }
            return .joined(sep, parts)
        case .value(let v):
            return .literal(v)
        default:
            throw RuleEngineError(.compile, "'\(e)' is not supported as an operand")
        }
    }
}

/// Compiles a rule set's conditions so identical subexpressions (macro expansions repeated across
/// rules) become one node, and gives a memo slot to each node used more than once.
struct SharedCompiler {
    let registry: FieldRegistry
    private var uses: [ConditionExpr: Int] = [:]
    private var nodes: [ConditionExpr: ConditionProgram] = [:]
    private(set) var memoSlots = 0

    init(registry: FieldRegistry, rules: [ConditionExpr]) {
        self.registry = registry
        for r in rules { countUses(r) }
    }

    private mutating func countUses(_ e: ConditionExpr) {
        uses[e, default: 0] += 1
        switch e {
        case .and(let c), .or(let c): for x in c { countUses(x) }
        case .not(let c): countUses(c)
        default: break
        }
    }

    mutating func compile(_ e: ConditionExpr) throws(RuleEngineError) -> ConditionProgram {
        if let node = nodes[e] { return node }
        let node: ConditionProgram
        switch e {
        case .and(let c):
            var out: [ConditionProgram] = []
            for x in c { out.append(try compile(x)) }
            node = .and(out)
        case .or(let c):
            // alternatives testing one string field against constants become one check with
            // one matcher (`fd.name in (…) or fd.name glob … or fd.name startswith …`): one
            // field read and one dispatch instead of one per alternative
            var groups: [String: [ConditionExpr]] = [:]
            for x in c { if let key = RuleEvaluator.fusionKey(x) { groups[key, default: []].append(x) } }
            var fused: [String: Check] = [:]
            for (key, group) in groups where group.count > 1 {
                if let check = RuleEvaluator.fuse(group, registry: registry) { fused[key] = check }
            }
            var out: [ConditionProgram] = []
            var placed: Set<String> = []
            for x in c {
                if let key = RuleEvaluator.fusionKey(x), let check = fused[key] {
                    if placed.insert(key).inserted { out.append(.check(check)) }
                    continue
                }
                out.append(try compile(x))
            }
            node = out.count == 1 ? out[0] : .or(out)
        case .not(let c):
            node = .not(try compile(c))
        default:
            node = try RuleEvaluator.compile(e, registry: registry)
        }
        if (uses[e] ?? 0) > 1, node.kind != .constant {
            node.memoSlot = memoSlots
            memoSlots += 1
        }
        nodes[e] = node
        return node
    }
}
