import Sensor

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
