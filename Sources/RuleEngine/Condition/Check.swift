import Sensor

import VigilCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
