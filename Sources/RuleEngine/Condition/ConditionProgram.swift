import Sensor

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
