/// A hash map from integer ids (pids, file descriptors) to values: open addressing with linear
/// probing and a multiplicative hash.
///
/// Our own code on a measured hot path: the process table and the descriptor tables are read
/// two to four times per event, and `Dictionary`'s seeded SipHash was ~10% of replay time
/// (perf, `Benchmarks/rules-bench.sh`). A value type with copy-on-write storage (two arrays),
/// so a forked child's descriptor table shares its parent's until either changes.
public struct IntTable<Value>: Sequence {
    private static var empty: Int64 { .min }
    private static var deleted: Int64 { .min + 1 }

    private var keys: [Int64]
    private var values: [Value?]
    /// Live entries, and live plus deleted slots (probing stops only at empty slots).
    public private(set) var count = 0
    private var used = 0
    private var shift: UInt64

    public init() {
        keys = Array(repeating: Self.empty, count: 8)
        values = Array(repeating: nil, count: 8)
        shift = 64 - 3
    }

    @inline(__always)
    private func home(_ key: Int64) -> Int {
        Int(truncatingIfNeeded: (UInt64(bitPattern: key) &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    @inline(__always)
    private func find(_ key: Int64) -> Int? {
        let mask = keys.count - 1
        var i = home(key)
        while true {
            let k = keys[i]
            if k == key { return i }
            if k == Self.empty { return nil }
            i = (i + 1) & mask
        }
    }

    public subscript(key: Int64) -> Value? {
        get {
            guard key > Self.deleted, let i = find(key) else { return nil }
            return values[i]
        }
        set {
            precondition(key > Self.deleted, "IntTable keys above Int64.min + 1")
            if let i = find(key) {
                if let v = newValue {
                    values[i] = v
                } else {
                    keys[i] = Self.deleted
                    values[i] = nil
                    count -= 1
                }
                return
            }
            guard let v = newValue else { return }
            if (used + 1) * 2 > keys.count { rehash(minimumCapacity: (count + 1) * 4) }
            let mask = keys.count - 1
            var i = home(key)
            while keys[i] != Self.empty && keys[i] != Self.deleted { i = (i + 1) & mask }
            if keys[i] == Self.empty { used += 1 }
            keys[i] = key
            values[i] = v
            count += 1
        }
    }

    private mutating func rehash(minimumCapacity: Int) {
        var capacity = 8
        var bits: UInt64 = 3
        while capacity < minimumCapacity { capacity <<= 1; bits += 1 }
        let oldKeys = keys, oldValues = values
        keys = Array(repeating: Self.empty, count: capacity)
        values = Array(repeating: nil, count: capacity)
        shift = 64 - bits
        count = 0
        used = 0
        let mask = capacity - 1
        for (j, k) in oldKeys.enumerated() where k > Self.deleted {
            var i = home(k)
            while keys[i] != Self.empty { i = (i + 1) & mask }
            keys[i] = k
            values[i] = oldValues[j]
            count += 1
            used += 1
        }
    }

    public var isEmpty: Bool { count == 0 }

    /// Entries in table order (not sorted).
    public func makeIterator() -> AnyIterator<(key: Int64, value: Value)> {
        var j = 0
        let keys = keys, values = values
        return AnyIterator {
            while j < keys.count {
                defer { j += 1 }
                if keys[j] > Self.deleted, let v = values[j] { return (keys[j], v) }
            }
            return nil
        }
    }
}

extension IntTable: Sendable where Value: Sendable {}
