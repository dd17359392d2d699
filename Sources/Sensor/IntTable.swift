/// A hash map from integer ids (pids) to values: open addressing with linear probing and a
/// multiplicative hash.
///
/// Our own code on a measured hot path: the process table is read two or three times per event,
/// and `Dictionary`'s seeded SipHash was ~10% of replay time (perf, `Benchmarks/rules-bench.sh`).
/// A value type with copy-on-write storage; the copy and the teardown walk only live slots with
/// code specialised for `Value`.
public struct IntTable<Value>: Sequence {
    @usableFromInline
    final class Storage {
        static var empty: Int64 { .min }
        static var deleted: Int64 { .min + 1 }

        let capacity: Int
        let shift: UInt64
        let keys: UnsafeMutablePointer<Int64>
        /// Initialised exactly where `keys` holds a live key.
        let values: UnsafeMutablePointer<Value>
        var count = 0
        /// Live plus deleted slots (probing stops only at empty ones).
        var used = 0

        init(capacity: Int) {
            var bits: UInt64 = 0
            while (1 << bits) < capacity { bits += 1 }
            self.capacity = 1 << bits
            shift = 64 - bits
            keys = .allocate(capacity: self.capacity)
            keys.initialize(repeating: Self.empty, count: self.capacity)
            values = .allocate(capacity: self.capacity)
        }

        deinit {
            for i in 0..<capacity where keys[i] > Self.deleted { (values + i).deinitialize(count: 1) }
            keys.deallocate()
            values.deallocate()
        }

        @inline(__always)
        func home(_ key: Int64) -> Int {
            Int(truncatingIfNeeded: (UInt64(bitPattern: key) &* 0x9E37_79B9_7F4A_7C15) >> shift)
        }

        @inline(__always)
        func find(_ key: Int64) -> Int? {
            let mask = capacity - 1
            var i = home(key)
            while true {
                let k = keys[i]
                if k == key { return i }
                if k == Self.empty { return nil }
                i = (i + 1) & mask
            }
        }

        /// Inserts a key known to be absent, into a table with room.
        @inline(__always)
        func insertNew(_ key: Int64, _ value: Value) {
            let mask = capacity - 1
            var i = home(key)
            while keys[i] > Self.deleted { i = (i + 1) & mask }
            if keys[i] == Self.empty { used += 1 }
            keys[i] = key
            (values + i).initialize(to: value)
            count += 1
        }

        /// A copy with room for `count + extra` entries and no deleted slots.
        func copy(extra: Int) -> Storage {
            var capacity = 8
            while capacity < (count + extra) * 2 + 2 { capacity <<= 1 }
            let c = Storage(capacity: capacity)
            for i in 0..<self.capacity where keys[i] > Self.deleted { c.insertNew(keys[i], values[i]) }
            return c
        }
    }

    /// nil until the first insertion: most processes never open a descriptor of their own.
    @usableFromInline var storage: Storage?

    public init() {}

    public var count: Int { storage?.count ?? 0 }
    public var isEmpty: Bool { count == 0 }

    public subscript(key: Int64) -> Value? {
        get {
            guard key > Storage.deleted, let s = storage, let i = s.find(key) else { return nil }
            return s.values[i]
        }
        set {
            // Int64.min and Int64.min + 1 mark empty and deleted slots: not storable (no pid or
            // descriptor is either; a hostile event naming one is simply not remembered)
            guard key > Storage.deleted else { return }
            guard storage != nil else {
                if let v = newValue {
                    let s = Storage(capacity: 8)
                    s.insertNew(key, v)
                    storage = s
                }
                return
            }
            if !isKnownUniquelyReferenced(&storage) { storage = storage.unsafelyUnwrapped.copy(extra: 1) }
            let s = storage.unsafelyUnwrapped
            if let i = s.find(key) {
                if let v = newValue {
                    s.values[i] = v
                } else {
                    s.keys[i] = Storage.deleted
                    (s.values + i).deinitialize(count: 1)
                    s.count -= 1
                }
                return
            }
            guard let v = newValue else { return }
            if (s.used + 1) * 2 > s.capacity {
                let grown = s.copy(extra: s.count + 1)
                grown.insertNew(key, v)
                storage = grown
            } else {
                s.insertNew(key, v)
            }
        }
    }

    /// Calls `body` with each value, in table order, without an iterator.
    public func forEachValue(_ body: (Value) -> Void) {
        guard let s = storage else { return }
        for i in 0..<s.capacity where s.keys[i] > Storage.deleted { body(s.values[i]) }
    }

    /// Entries in table order (not sorted).
    public func makeIterator() -> AnyIterator<(key: Int64, value: Value)> {
        var j = 0
        guard let s = storage else { return AnyIterator { nil } }
        return AnyIterator {
            while j < s.capacity {
                defer { j += 1 }
                if s.keys[j] > Storage.deleted { return (s.keys[j], s.values[j]) }
            }
            return nil
        }
    }
}

extension IntTable: @unchecked Sendable where Value: Sendable {}
