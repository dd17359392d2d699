import Sensor
import VigilCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A condition compiled for evaluation: fields resolved to extractors, constants pre-parsed
/// (numbers, sets, lowercased needles, regexes) so nothing is parsed per event.
///
/// Rules share subconditions (Falco's macros expand `open_read`, `sensitive_files`, `container`
/// into many rules): the compiler gives one node to every identical subexpression, and a node
/// used more than once has a memo slot, so it is evaluated once per event however many rules
/// reach it (`EvaluationMemo`).
///
/// Evaluation runs a flat plan per rule (and per shared node): its leaves in order with
/// short-circuit jumps, so and/or/not cost no calls. Plans hold unmanaged references: reading a
/// class reference out of an array or an optional costs a retain/release pair, which was ~15% of
/// rule evaluation (`perf`, Falco's stable rules over the bench stream); the strong references
/// are `children`/`check`.
final class ConditionProgram: @unchecked Sendable {
    enum Kind: UInt8 { case and, or, not, constant, check }

    let kind: Kind
    let children: ContiguousArray<ConditionProgram>
    let check: Check?
    let constantValue: Bool
    /// Index into the evaluator's memo, or -1 for nodes reached once per event at most.
    var memoSlot = -1
    private let checkRef: Unmanaged<Check>?

    private init(kind: Kind, children: ContiguousArray<ConditionProgram> = [], check: Check? = nil, constant: Bool = false) {
        self.kind = kind
        self.children = children
        self.check = check
        constantValue = constant
        checkRef = check.map { Unmanaged.passUnretained($0) }
    }

    deinit {
        if plan.baseAddress != nil { plan.deallocate() }
    }

    static func and(_ c: [ConditionProgram]) -> ConditionProgram { ConditionProgram(kind: .and, children: ContiguousArray(c)) }
    static func or(_ c: [ConditionProgram]) -> ConditionProgram { ConditionProgram(kind: .or, children: ContiguousArray(c)) }
    static func not(_ c: ConditionProgram) -> ConditionProgram { ConditionProgram(kind: .not, children: [c]) }
    static func constant(_ b: Bool) -> ConditionProgram { ConditionProgram(kind: .constant, constant: b) }
    static func check(_ c: Check) -> ConditionProgram { ConditionProgram(kind: .check, check: c) }

    /// The node as a flat list of leaves with short-circuit jumps (`prepare()`): rule roots and
    /// memoised nodes run their plan in a loop instead of walking and/or/not recursively.
    private var plan: UnsafeMutableBufferPointer<Step> = .init(start: nil, count: 0)

    /// One leaf of a plan: a check, a shared (memoised) subcondition or a constant, and where
    /// to go next on each outcome (`accept`/`reject` end the plan).
    struct Step {
        enum Leaf: UInt8 { case check, shared, constant }
        var leaf: Leaf
        var constant: Bool
        var onTrue: Int32
        var onFalse: Int32
        /// A shared leaf's memo slot, read in the plan loop: most shared leaves an event reaches
        /// were already evaluated for it (7 of 12.6 per event with Falco's rules on the bench
        /// stream), and a hit then costs no call.
        var memoSlot: Int32
        var check: Unmanaged<Check>?
        var shared: Unmanaged<ConditionProgram>?
    }

    private static let accept: Int32 = -1
    private static let reject: Int32 = -2

    /// Builds the plans of this node and of the memoised nodes below it (once, before any
    /// evaluation).
    func prepare() {
        guard plan.baseAddress == nil else { return }
        let count = leaves(root: true)
        plan = .allocate(capacity: count)
        var next = 0
        emit(into: plan, root: true, onTrue: Self.accept, onFalse: Self.reject, next: &next)
        precondition(next == count)
        for i in 0..<count where plan[i].leaf == .shared {
            plan[i].shared.unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.prepare() }
        }
    }

    /// Whether the node is a leaf of its parents' plans.
    private var isLeaf: Bool {
        memoSlot >= 0 || kind == .check || kind == .constant || ((kind == .and || kind == .or) && children.isEmpty)
    }

    private func leaves(root: Bool) -> Int {
        if !root && isLeaf { return 1 }
        switch kind {
        case .and, .or: return children.isEmpty ? 1 : children.reduce(0) { $0 + $1.leaves(root: false) }
        case .not: return children[0].leaves(root: false)
        case .check, .constant: return 1
        }
    }

    /// Writes this node's leaves into `out` from `next` on: an `and` jumps to its next child
    /// on true and to `onFalse` on false, an `or` the other way round, a `not` swaps the two.
    private func emit(into out: UnsafeMutableBufferPointer<Step>, root: Bool, onTrue: Int32, onFalse: Int32, next: inout Int) {
        func step(_ leaf: Step.Leaf, constant: Bool = false, check: Unmanaged<Check>? = nil, shared: ConditionProgram? = nil) {
            out.initializeElement(at: next, to: Step(leaf: leaf, constant: constant, onTrue: onTrue, onFalse: onFalse,
                                                     memoSlot: Int32(shared?.memoSlot ?? -1),
                                                     check: check, shared: shared.map { Unmanaged.passUnretained($0) }))
            next += 1
        }
        if !root && memoSlot >= 0 {
            step(.shared, shared: self)
            return
        }
        switch kind {
        case .check:
            step(.check, check: checkRef)
        case .constant:
            step(.constant, constant: constantValue)
        case .and, .or:
            if children.isEmpty {
                step(.constant, constant: kind == .and)
                return
            }
            for (k, child) in children.enumerated() {
                let last = k == children.count - 1
                let following = Int32(next + child.leaves(root: false))
                if kind == .and {
                    child.emit(into: out, root: false, onTrue: last ? onTrue : following, onFalse: onFalse, next: &next)
                } else {
                    child.emit(into: out, root: false, onTrue: onTrue, onFalse: last ? onFalse : following, next: &next)
                }
            }
        case .not:
            children[0].emit(into: out, root: false, onTrue: onFalse, onFalse: onTrue, next: &next)
        }
    }

    func evaluate(_ e: Event, _ p: ProcessRecord, _ s: SystemState, _ m: EvaluationMemo) -> Bool {
        guard memoSlot >= 0 else { return run(e, p, s, m) }
        let slot = m.slots + memoSlot
        if slot.pointee.epoch == m.epoch { return slot.pointee.value }
        let v = run(e, p, s, m)
        slot.pointee = EvaluationMemo.Slot(epoch: m.epoch, value: v)
        return v
    }

    @inline(__always)
    private func run(_ e: Event, _ p: ProcessRecord, _ s: SystemState, _ m: EvaluationMemo) -> Bool {
        let steps = plan.baseAddress.unsafelyUnwrapped
        var pc = 0
        while true {
            let step = steps[pc]
            let r: Bool
            switch step.leaf {
            case .check: r = step.check.unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.evaluate(e, p, s) }
            case .shared:
                let slot = m.slots + Int(step.memoSlot)
                r = slot.pointee.epoch == m.epoch
                    ? slot.pointee.value
                    : step.shared.unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.evaluate(e, p, s, m) }
            case .constant: r = step.constant
            }
            let next = r ? step.onTrue : step.onFalse
            if next < 0 { return next == Self.accept }
            pc = Int(next)
        }
    }
}

/// Per-event results of the shared condition nodes. Owned by one `RuleEvaluator` and used by one
/// evaluation at a time (`forEachMatch` begins a new epoch per event; a slot whose epoch is not
/// the current one holds nothing).
final class EvaluationMemo: @unchecked Sendable {
    struct Slot { var epoch: UInt32; var value: Bool }
    let slots: UnsafeMutablePointer<Slot>
    let count: Int
    private(set) var epoch: UInt32 = 0

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: max(count, 1))
        slots.initialize(repeating: Slot(epoch: 0, value: false), count: max(count, 1))
    }

    deinit { slots.deallocate() }

    /// Starts an event: every slot becomes stale.
    @inline(__always)
    func nextEvent() {
        if epoch == .max {
            slots.update(repeating: Slot(epoch: 0, value: false), count: max(count, 1))
            epoch = 0
        }
        epoch &+= 1
    }
}

/// A field (possibly transformed) as an operand.
indirect enum Operand: @unchecked Sendable {
    case field(FieldRef)
    case transformed(String, Operand)
    case joined(String, [Operand])
    case literal(String)

    func value(_ e: Event, _ p: ProcessRecord, _ s: SystemState) -> FieldValue? {
        switch self {
        case .field(let f): return FieldExtractor.extract(f, e, p, s)
        case .literal(let l): return .string(l)
        case .joined(let sep, let parts):
            var out: [String] = []
            for part in parts {
                guard let v = part.value(e, p, s) else { return nil }
                out.append(v.text)
            }
            return .string(out.joined(separator: sep))
        case .transformed(let t, let inner):
            guard let v = inner.value(e, p, s) else { return nil }
            switch t {
            case "tolower": return .string(v.text.lowercased())
            case "toupper": return .string(v.text.uppercased())
            case "basename": return .string(Paths.basename(v.text))
            case "len": return .number(Int64(v.text.utf8.count))
            // libsinsp skips every `=`, wherever it stands
            case "b64": return Base64.decode(v.text.utf8, padding: .isSkipped, rejectsLoneCharacter: false).map { .string(String(decoding: $0, as: UTF8.self)) }
            default: return v  // val
            }
        }
    }

    /// The field this operand reads, for explanations.
    var fieldName: String {
        switch self {
        case .field(let f): return f.arg.map { "\(f.name)[\($0)]" } ?? f.name
        case .transformed(let t, let inner): return "\(t)(\(inner.fieldName))"
        case .joined(_, let parts): return "join(" + parts.map(\.fieldName).joined(separator: ", ") + ")"
        case .literal(let l): return "\"\(l)\""
        }
    }

    var isNumeric: Bool {
        switch self {
        case .field(let f): return FieldRegistry.standard.entries[f.name]?.kind == .number
        case .transformed(let t, _): return t == "len"
        default: return false
        }
    }

    var isBool: Bool {
        if case .field(let f) = self { return FieldRegistry.standard.entries[f.name]?.kind == .bool }
        return false
    }
}

/// Comparison operators, with `oneof`/`anyof`/`allof` folded into `quantifier`.
enum CompareOp: Sendable {
    case eq, ne, lt, le, gt, ge, contains, icontains, bcontains, startswith, bstartswith, endswith
    case glob, iglob, regex, inSet, intersects, pmatch, exists

    /// A binary operator as written in a condition (without its `oneof`/`allof` quantifier).
    init?(operator text: String) {
        switch text {
        case "=", "==": self = .eq
        case "!=": self = .ne
        case "<": self = .lt
        case "<=": self = .le
        case ">": self = .gt
        case ">=": self = .ge
        case "contains": self = .contains
        case "icontains": self = .icontains
        case "bcontains": self = .bcontains
        case "startswith": self = .startswith
        case "bstartswith": self = .bstartswith
        case "endswith": self = .endswith
        case "glob": self = .glob
        case "iglob": self = .iglob
        case "regex": self = .regex
        case "in": self = .inSet
        case "intersects": self = .intersects
        case "pmatch": self = .pmatch
        default: return nil
        }
    }
}

enum Quantifier: Sendable { case none, any, all }

/// One comparison, with its right-hand side prepared.
final class Check: @unchecked Sendable {
    let left: Operand
    let op: CompareOp
    let quantifier: Quantifier
    /// Constant operands as written.
    let strings: [String]
    /// Lowercased (icontains, iglob) or decoded (bcontains/bstartswith hex) needles.
    let needles: [[UInt8]]
    let numbers: [Int64]
    let stringSet: Set<String>
    let numberSet: Set<Int64>
    let rightOperand: Operand?
    let regexes: [UnsafeMutablePointer<regex_t>]
    /// For fields without an index (`proc.aname`, `proc.apid`): compare every ancestor.
    let anyAncestor: Bool
    /// The left operand when it is a plain field (the common case, read without enum matching).
    let plainField: FieldRef?
    /// +0 view of `plainField` for the per-event path.
    private let plainFieldRef: Unmanaged<FieldRef>?
    /// IPv4 networks for `fd.net`-style fields (`=`, `!=`, `in` compare addresses with CIDRs).
    let networks: [(network: UInt32, mask: UInt32)]
    let isNetworkField: Bool
    /// For `evt.type =/!=/in` checks: membership by event-type code, no string hashing.
    let typeCodes: [Bool]?
    /// The string operands compiled for byte matching (`=`, `!=`, `in`, `startswith`,
    /// `endswith`, `contains`, `glob`), nil for the other operators.
    let matcher: ByteMatcher?
    /// `!=`: the matcher tests equality.
    let negateMatcher: Bool
    /// The first operand as a boolean (`true`/`false`), nil when it is neither.
    private let boolOperand: Bool?
    /// +0 view of `matcher` for the per-event path.
    private let matcherRef: Unmanaged<ByteMatcher>?
    /// The common shapes, decided once: a string field against constant strings (no
    /// `FieldValue` built), `fd.directory`/`fd.filename` as slices of `fd.name`, an event-type
    /// table, or the general path.
    private enum Path: UInt8 { case general, typeCode, plainString, pathComponent, boolField, number }
    private let path: Path
    /// Whether the check matches the field's bytes with its `matcher` (what a fused check needs).
    var matchesBytes: Bool { path == .plainString || path == .pathComponent }

    /// `fused`: the matcher of several `or`ed checks on this field (`RuleEvaluator.fuse`),
    /// used instead of one built from `strings`.
    init(left: Operand, op: CompareOp, quantifier: Quantifier, strings: [String], rightOperand: Operand?, anyAncestor: Bool,
         fused: ByteMatcher? = nil) throws(RuleEngineError) {
        self.left = left
        self.op = op
        self.quantifier = quantifier
        self.strings = strings
        self.rightOperand = rightOperand
        self.anyAncestor = anyAncestor
        if case .field(let f) = left { plainField = f } else { plainField = nil }
        plainFieldRef = plainField.map { Unmanaged.passUnretained($0) }
        if let f = plainField, f.id == .evtType, quantifier != .all, [.eq, .ne, .inSet].contains(op),
           strings.allSatisfy({ EventType(name: $0).code != 0 }) {
            var table = Array(repeating: false, count: EventType.known.count)
            for s in strings { table[Int(EventType(name: s).code)] = true }
            typeCodes = table
        } else {
            typeCodes = nil
        }
        if let f = plainField, [.fdNet, .fdSnet, .fdCnet, .fdRnet, .fdLnet].contains(f.id) {
            isNetworkField = true
            var nets: [(UInt32, UInt32)] = []
            for s in strings {
                guard let n = CIDR.parse(s) else { throw RuleEngineError(.compile, "'\(s)' is not an IPv4 network (CIDR) for \(f.name)") }
                nets.append(n)
            }
            networks = nets
        } else {
            isNetworkField = false
            networks = []
        }
        switch op {
        case .icontains, .iglob: needles = strings.map { Array($0.lowercased().utf8) }
        case .bcontains, .bstartswith:
            var decoded: [[UInt8]] = []
            for s in strings {
                guard let bytes = Hex.decode(s) else { throw RuleEngineError(.compile, "'\(s)' is not a valid hex string for \(op)") }
                decoded.append(bytes)
            }
            needles = decoded
        default: needles = strings.map { Array($0.utf8) }
        }
        if left.isNumeric && rightOperand == nil && op != .exists {
            var nums: [Int64] = []
            for s in strings {
                guard let n = Check.parseNumber(s) else { throw RuleEngineError(.compile, "'\(s)' is not a valid number for \(left.fieldName)") }
                nums.append(n)
            }
            numbers = nums
        } else {
            numbers = []
        }
        stringSet = Set(strings)
        numberSet = Set(numbers)
        var rx: [UnsafeMutablePointer<regex_t>] = []
        if op == .regex {
            for s in strings {
                guard let r = Self.compileRegex(s) else { throw RuleEngineError(.compile, "invalid regular expression '\(s)'") }
                rx.append(r)
            }
        }
        regexes = rx
        if let fused {
            matcher = fused
        } else if rightOperand == nil, typeCodes == nil, !isNetworkField, quantifier != .all, !(op == .ne && quantifier == .any), !strings.isEmpty {
            let first = quantifier == .none
            matcher = ByteMatcher.make(op: op, strings: first ? [strings[0]] : strings, needles: first ? [needles[0]] : needles)
        } else {
            matcher = nil
        }
        negateMatcher = op == .ne
        matcherRef = matcher.map { Unmanaged.passUnretained($0) }
        boolOperand = strings.first == "true" ? true : (strings.first == "false" ? false : nil)
        if typeCodes != nil {
            path = .typeCode
        } else if let f = plainField, !anyAncestor, rightOperand == nil, quantifier == .none, op == .eq || op == .ne,
                  boolOperand != nil, FieldRegistry.standard.entries[f.name]?.kind == .bool {
            path = .boolField
        } else if let f = plainField, !anyAncestor, rightOperand == nil, !numbers.isEmpty, FieldExtractor.isPlainNumber(f),
                  quantifier == .none ? [.eq, .ne, .lt, .le, .gt, .ge].contains(op) : (quantifier == .any && op == .inSet) {
            path = .number
        } else if let f = plainField, matcher != nil, !anyAncestor, !isNetworkField {
            if f.id == .fdDirectory || f.id == .fdFilename {
                path = .pathComponent
            } else if FieldExtractor.isPlainString(f) {
                path = .plainString
            } else {
                path = .general
            }
        } else {
            path = .general
        }
    }

    deinit {
        for r in regexes { GlibcRegex.free(r); r.deallocate() }
    }

    /// The `regex` operator's compiled pattern (whole-value match), nil when `pattern` is not a
    /// valid POSIX extended regular expression. The rule compiler calls it too, so a rule that
    /// `vigil watch` could not run fails `vigil rules validate` the same way. The caller frees it.
    static func compileRegex(_ pattern: String) -> UnsafeMutablePointer<regex_t>? {
        let r = UnsafeMutablePointer<regex_t>.allocate(capacity: 1)
        guard GlibcRegex.compile(r, "^(" + pattern + ")$", REG_EXTENDED | REG_NOSUB) == 0 else {
            r.deallocate()
            return nil
        }
        return r
    }

    static func parseNumber(_ s: String) -> Int64? {
        if s.hasPrefix("0x") || s.hasPrefix("0X") { return Int64(s.dropFirst(2), radix: 16) }
        if let n = Int64(s) { return n }
        if let d = Double(s), d.isFinite, abs(d) < 9.2e18 { return Int64(d) }
        return nil
    }

    func evaluate(_ e: Event, _ p: ProcessRecord, _ s: SystemState) -> Bool {
        switch path {
        case .plainString:
            guard let str = plainFieldRef.unsafelyUnwrapped._withUnsafeGuaranteedRef({ FieldExtractor.string($0, e, p, s) }) else { return false }
            return matcherRef.unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.matches(str) } != negateMatcher
        case .pathComponent:
            // the directory or file name as a slice of fd.name: no String built
            guard let name = FieldExtractor.fdName(e) else { return false }
            let directory = plainFieldRef.unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.id == .fdDirectory }
            return matcherRef.unsafelyUnwrapped._withUnsafeGuaranteedRef { m in
                Paths.withComponent(name, directory: directory) { m.matches($0, string: nil) }
            } != negateMatcher
        case .boolField:
            guard let b = plainFieldRef.unsafelyUnwrapped._withUnsafeGuaranteedRef({ FieldExtractor.bool($0, e, p, s) }) else { return false }
            return (b == boolOperand.unsafelyUnwrapped) != (op == .ne)
        case .typeCode:
            let code = Int(e.type.code)
            // unknown event types (code 0) never equal a known name
            let member = code != 0 && typeCodes.unsafelyUnwrapped[code]
            return op == .ne ? !member : member
        case .number:
            // a number field against constants: no FieldValue built
            guard let n = plainFieldRef.unsafelyUnwrapped._withUnsafeGuaranteedRef({ FieldExtractor.number($0, e, p, s) }) else { return false }
            let k = numbers[0]
            switch op {
            case .eq: return n == k
            case .ne: return n != k
            case .lt: return n < k
            case .le: return n <= k
            case .gt: return n > k
            case .ge: return n >= k
            default: return numberSet.contains(n)
            }
        case .general:
            return evaluateGeneral(e, p, s)
        }
    }

    private func evaluateGeneral(_ e: Event, _ p: ProcessRecord, _ s: SystemState) -> Bool {
        if anyAncestor, let f = plainField {
            var cur = s.parent(of: p)
            var depth = 0
            while let a = cur, depth < 64 {
                if let v = FieldExtractor.ancestorValue(f.id, a), compare(v, e, p, s) { return true }
                cur = s.parent(of: a)
                depth += 1
            }
            return false
        }
        if let typeCodes {
            let code = Int(e.type.code)
            // unknown event types (code 0) never equal a known name
            let member = code != 0 && typeCodes[code]
            return op == .ne ? !member : member
        }
        if isNetworkField, let f = plainField {
            // fd.net matches either end of the connection
            var inside = false
            var any = false
            func consider(_ a: String?) {
                guard let a, let ip = CIDR.address(a) else { return }
                any = true
                if networks.contains(where: { ip & $0.mask == $0.network }) { inside = true }
            }
            if f.id == .fdNet {
                consider(e.sip)
                consider(e.dip)
            } else {
                consider(FieldExtractor.extract(f, e, p, s)?.text)
            }
            guard any else { return false }
            switch op {
            case .eq, .inSet, .intersects: return inside
            case .ne: return !inside
            case .exists: return true
            default: return false
            }
        }
        let value: FieldValue?
        if let f = plainFieldRef {
            value = f._withUnsafeGuaranteedRef { FieldExtractor.extract($0, e, p, s) }
        } else {
            value = left.value(e, p, s)
        }
        guard let v = value else { return false }
        if op == .exists { return true }
        return compare(v, e, p, s)
    }

    private func compare(_ v: FieldValue, _ e: Event, _ p: ProcessRecord, _ s: SystemState) -> Bool {
        if let rightOperand {
            guard let r = rightOperand.value(e, p, s) else { return false }
            return compareDynamic(v, r)
        }
        switch v {
        case .number(let n): return compareNumber(n)
        case .bool(let b):
            switch op {
            case .eq: return b ? boolOperand == .some(true) : boolOperand == .some(false)
            case .ne: return b ? boolOperand != .some(true) : boolOperand != .some(false)
            case .inSet: return stringSet.contains(b ? "true" : "false")
            default: return false
            }
        case .string(let str): return compareString(str)
        }
    }

    private func compareNumber(_ n: Int64) -> Bool {
        guard !numbers.isEmpty || op == .inSet else { return compareString(String(n)) }
        switch op {
        case .eq: return quantified { numbers[$0] == n }
        case .ne: return quantifier == .none ? numbers[0] != n : quantified { numbers[$0] != n }
        case .lt: return n < numbers[0]
        case .le: return n <= numbers[0]
        case .gt: return n > numbers[0]
        case .ge: return n >= numbers[0]
        case .inSet, .intersects: return numberSet.contains(n)
        default: return compareString(String(n))
        }
    }

    @inline(__always)
    private func quantified(_ body: (Int) -> Bool) -> Bool {
        let count = max(strings.count, numbers.count)
        switch quantifier {
        case .none: return count > 0 && body(0)
        case .any:
            for i in 0..<count where body(i) { return true }
            return false
        case .all:
            for i in 0..<count where !body(i) { return false }
            return count > 0
        }
    }

    private func compareString(_ str: String) -> Bool {
        // =, !=, in, startswith, endswith, contains and glob against constants (any-of or single)
        if let matcher { return matcher.matches(str) != negateMatcher }
        switch op {
        case .eq: return quantified { strings[$0] == str }
        case .ne: return quantified { strings[$0] != str }
        case .lt: return quantified { str < strings[$0] }
        case .le: return quantified { str <= strings[$0] }
        case .gt: return quantified { str > strings[$0] }
        case .ge: return quantified { str >= strings[$0] }
        case .contains, .bcontains: return quantified { ByteSearch.contains(str, needles[$0]) }
        case .icontains:
            let lower = str.lowercased()
            return quantified { ByteSearch.contains(lower, needles[$0]) }
        case .startswith, .bstartswith: return quantified { ByteSearch.hasPrefix(str, needles[$0]) }
        case .endswith: return quantified { ByteSearch.hasSuffix(str, needles[$0]) }
        case .glob: return quantified { fnmatch(strings[$0], str, 0) == 0 }
        case .iglob:
            let lower = str.lowercased()
            return quantified { i in needles[i].withUnsafeBufferPointer { _ in fnmatch(String(decoding: needles[i], as: UTF8.self), lower, 0) == 0 } }
        case .regex: return quantified { GlibcRegex.execute(regexes[$0], str, 0, nil, 0) == 0 }
        case .inSet, .intersects: return stringSet.contains(str)
        case .pmatch:
            for prefix in strings {
                let trimmed = prefix.hasSuffix("/") && prefix.count > 1 ? String(prefix.dropLast()) : prefix
                if str == trimmed || ByteSearch.hasPrefix(str, Array((trimmed == "/" ? "/" : trimmed + "/").utf8)) { return true }
            }
            return false
        case .exists: return true
        }
    }

    private func compareDynamic(_ a: FieldValue, _ b: FieldValue) -> Bool {
        if case .number(let x) = a, case .number(let y) = b {
            switch op {
            case .eq, .inSet: return x == y
            case .ne: return x != y
            case .lt: return x < y
            case .le: return x <= y
            case .gt: return x > y
            case .ge: return x >= y
            default: break
            }
        }
        let x = a.text, y = b.text
        switch op {
        case .eq, .inSet: return x == y
        case .ne: return x != y
        case .lt: return x < y
        case .le: return x <= y
        case .gt: return x > y
        case .ge: return x >= y
        case .contains, .bcontains: return ByteSearch.contains(x, Array(y.utf8))
        case .icontains: return ByteSearch.contains(x.lowercased(), Array(y.lowercased().utf8))
        case .startswith, .bstartswith: return ByteSearch.hasPrefix(x, Array(y.utf8))
        case .endswith: return ByteSearch.hasSuffix(x, Array(y.utf8))
        case .glob: return fnmatch(y, x, 0) == 0
        case .iglob: return fnmatch(y.lowercased(), x.lowercased(), 0) == 0
        default: return false
        }
    }
}

/// Byte-level substring tests on a String's UTF-8 storage.
enum ByteSearch {
    static func contains(_ s: String, _ needle: [UInt8]) -> Bool {
        needle.withUnsafeBufferPointer { n in contains(s, n) }
    }

    /// For constant needles (`"O_RDONLY"`): no array, no lazy global.
    static func contains(_ s: String, _ needle: StaticString) -> Bool {
        contains(s, UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount))
    }

    static func contains(_ s: String, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
        if needle.isEmpty { return true }
        func search(_ hay: UnsafeBufferPointer<UInt8>) -> Bool {
            guard hay.count >= needle.count, let base = hay.baseAddress else { return false }
            return Bytes.contains(base, hay.count, needle.baseAddress!, needle.count)
        }
        if let r = s.utf8.withContiguousStorageIfAvailable(search) { return r }
        var str = s
        return str.withUTF8(search)
    }

    static func hasPrefix(_ s: String, _ prefix: [UInt8]) -> Bool {
        var str = s
        return str.withUTF8 { hay in
            guard hay.count >= prefix.count else { return false }
            if prefix.isEmpty { return true }
            return prefix.withUnsafeBufferPointer { memcmp(hay.baseAddress!, $0.baseAddress!, prefix.count) == 0 }
        }
    }

    static func hasSuffix(_ s: String, _ suffix: [UInt8]) -> Bool {
        var str = s
        return str.withUTF8 { hay in
            guard hay.count >= suffix.count else { return false }
            if suffix.isEmpty { return true }
            return suffix.withUnsafeBufferPointer { memcmp(hay.baseAddress! + (hay.count - suffix.count), $0.baseAddress!, suffix.count) == 0 }
        }
    }
}

enum Hex {
    static func decode(_ s: String) -> [UInt8]? {
        let b = Array(s.utf8)
        guard b.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        var i = 0
        func nib(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: c - 0x30
            case 0x41...0x46: c - 0x41 + 10
            case 0x61...0x66: c - 0x61 + 10
            default: nil
            }
        }
        while i < b.count {
            guard let h = nib(b[i]), let l = nib(b[i + 1]) else { return nil }
            out.append(h << 4 | l)
            i += 2
        }
        return out
    }
}

/// IPv4 addresses and networks for `fd.net`, `fd.snet`, …
enum CIDR {
    /// A dotted-quad IPv4 address (`10.0.0.1`), parsed on its bytes.
    static func address(_ s: String) -> UInt32? {
        var v: UInt32 = 0
        var octet: UInt32 = 0
        var digits = 0
        var dots = 0
        for c in s.utf8 {
            if c == UInt8(ascii: ".") {
                guard digits > 0, dots < 3 else { return nil }
                v = v << 8 | octet
                octet = 0
                digits = 0
                dots += 1
            } else if c >= 0x30 && c <= 0x39 {
                octet = octet * 10 + UInt32(c - 0x30)
                digits += 1
                guard octet < 256 else { return nil }
            } else {
                return nil
            }
        }
        guard dots == 3, digits > 0 else { return nil }
        return v << 8 | octet
    }

    static func parse(_ s: String) -> (UInt32, UInt32)? {
        let pieces = s.split(separator: "/")
        guard let ip = address(String(pieces[0])) else { return nil }
        var bits: UInt32 = 32
        if pieces.count == 2 {
            guard let b = UInt32(pieces[1]), b <= 32 else { return nil }
            bits = b
        } else if pieces.count > 2 {
            return nil
        }
        let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - bits)
        return (ip & mask, mask)
    }
}
