/// One process's open descriptors: descriptor → id of its name in the owning state's
/// `PathTable`.
///
/// Our own code on a measured hot path. Descriptors are small integers: the first 64 live in
/// place (inside the process record, no pointer to chase: the bench stream's process table is
/// far bigger than the cache, and each chase was a miss), the next ones in a plain array indexed
/// by descriptor. A forked child's table is a copy of ids (no reference counting), and a table
/// dies without touching its entries. With `IntTable<String>` values the first open of every
/// child copied its parent's table one retained string at a time, every exit released them
/// again, and the tables (24 bytes a slot, half empty) were most of the replay's working set —
/// together ~15% of replay on the 1M-event bench stream, where inherited tables grow to ~60
/// descriptors.
struct DescriptorTable: Sendable {
    /// Descriptors below `inPlace`: 0 when closed, else the name's id + 1.
    private var low = InlineArray<64, UInt32>(repeating: 0)
    static var inPlace: Int64 { 64 }
    /// Descriptor `inPlace + i` at index `i`, same encoding.
    private var dense: [UInt32] = []
    /// Descriptors outside both (negative or from `denseLimit` on).
    private var sparse: [Int64: UInt32] = [:]
    static let denseLimit: Int64 = 4096

    /// The id `fd` names, read where the table is: reading an element of the in-place array
    /// through the subscript copied all 256 bytes to the stack first (a memcpy on every read,
    /// write and close; perf), so the element is loaded from the array's bytes, which `mutating`
    /// (inout access, no copy) makes reachable.
    @inline(__always)
    mutating func id(_ fd: Int64) -> UInt32? {
        guard fd >= 0, fd < Self.inPlace else { return self[fd] }
        let v = withUnsafeMutableBytes(of: &low) { $0.load(fromByteOffset: Int(fd) &* 4, as: UInt32.self) }
        return v == 0 ? nil : v - 1
    }

    subscript(fd: Int64) -> UInt32? {
        @inline(__always) get {
            let v: UInt32
            if fd >= 0, fd < Self.inPlace {
                v = low[Int(fd)]
            } else if fd >= Self.inPlace, fd < Self.denseLimit {
                let i = Int(fd - Self.inPlace)
                guard i < dense.count else { return nil }
                v = dense[i]
            } else {
                return sparse[fd]
            }
            return v == 0 ? nil : v - 1
        }
        set {
            let v = newValue.map { $0 + 1 } ?? 0
            if fd >= 0, fd < Self.inPlace {
                low[Int(fd)] = v
            } else if fd >= Self.inPlace, fd < Self.denseLimit {
                let i = Int(fd - Self.inPlace)
                if i >= dense.count {
                    guard v != 0 else { return }
                    dense.append(contentsOf: repeatElement(0, count: i + 1 - dense.count))
                }
                dense[i] = v
            } else {
                sparse[fd] = newValue
            }
        }
    }

    /// Calls `body` with the id of every open descriptor.
    func forEachID(_ body: (UInt32) -> Void) {
        for i in low.indices where low[i] != 0 { body(low[i] - 1) }
        for v in dense where v != 0 { body(v - 1) }
        for v in sparse.values { body(v) }
    }
}

/// Descriptor names (paths, connection tuples) interned as small integers, so descriptor tables
/// hold plain values (`DescriptorTable`).
///
/// Ids are not reference counted. When the number of live ids reaches a threshold the owner
/// runs `collect(marking:)`: ids no descriptor table names any more are freed for reuse, and
/// the threshold becomes twice what survived (one mark pass per that many new names,
/// amortised). Deterministic: nothing depends on the clock.
final class PathTable: @unchecked Sendable {
    /// id → name ("" for a freed id).
    private var names: ContiguousArray<String> = []
    /// id → hash of its name.
    private var hashes: ContiguousArray<UInt64> = []
    /// id → whether it is free.
    private var isFree: ContiguousArray<Bool> = []
    /// Freed ids, reused before new ones.
    private var free: [UInt32] = []
    /// Open-addressing index: slot → id + 1 in the low 32 bits (0 = empty) and the high 32 bits
    /// of the name's hash above them, so a probe compares hashes without touching `hashes`.
    /// No deletions: `collect` rebuilds it.
    private var index: UnsafeMutablePointer<UInt64>
    private var capacity: Int
    /// Ids in use.
    private(set) var live = 0
    /// `collect` is due when `live` reaches this.
    private(set) var threshold: Int

    static let minimumThreshold = 16384

    init(threshold: Int = PathTable.minimumThreshold) {
        capacity = 64
        index = .allocate(capacity: capacity)
        index.initialize(repeating: 0, count: capacity)
        self.threshold = threshold
    }

    deinit { index.deallocate() }

    /// An independent copy with the same ids, for a `SystemState` copy that is about to change.
    func copy() -> PathTable {
        let c = PathTable(threshold: threshold)
        c.names = names
        c.hashes = hashes
        c.isFree = isFree
        c.free = free
        c.live = live
        c.rebuild(capacity: capacity)
        return c
    }

    var needsCollection: Bool { live >= threshold }

    /// The id of `name`, added when new.
    func intern(_ name: String) -> UInt32 {
        var name = name
        return name.withUTF8 { b in
            let h = wordHash(b)
            let mask = capacity - 1
            let tag = h & 0xFFFF_FFFF_0000_0000
            var i = Int(truncatingIfNeeded: h) & mask
            while true {
                let slot = index[i]
                if slot == 0 { break }
                if slot & 0xFFFF_FFFF_0000_0000 == tag {
                    let id = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1
                    if sameBytes(names[id], b) { return UInt32(id) }
                }
                i = (i + 1) & mask
            }
            let id: UInt32
            if let reused = free.popLast() {
                id = reused
                names[Int(id)] = String(decoding: b, as: UTF8.self)
                hashes[Int(id)] = h
                isFree[Int(id)] = false
            } else {
                id = UInt32(names.count)
                names.append(String(decoding: b, as: UTF8.self))
                hashes.append(h)
                isFree.append(false)
            }
            live += 1
            index[i] = tag | UInt64(id + 1)
            if live * 2 > capacity { rebuild(capacity: capacity * 2) }
            return id
        }
    }

    /// The name of a live id.
    @inline(__always)
    func name(_ id: UInt32) -> String { names[Int(id)] }

    /// Frees every id `mark` does not report (it calls its argument once or more per id still
    /// in use), then sets the next threshold to twice the survivors.
    func collect(marking mark: ((UInt32) -> Void) -> Void) {
        var used = [Bool](repeating: false, count: names.count)
        mark { id in used[Int(id)] = true }
        for id in names.indices where !used[id] && !isFree[id] {
            names[id] = ""
            isFree[id] = true
            free.append(UInt32(id))
            live -= 1
        }
        threshold = max(Self.minimumThreshold, live * 2)
        var c = 64
        while live * 2 > c { c <<= 1 }
        rebuild(capacity: c)
    }

    private func rebuild(capacity c: Int) {
        index.deallocate()
        capacity = c
        index = .allocate(capacity: c)
        index.initialize(repeating: 0, count: c)
        let mask = c - 1
        for id in names.indices where !isFree[id] {
            var i = Int(truncatingIfNeeded: hashes[id]) & mask
            while index[i] != 0 { i = (i + 1) & mask }
            index[i] = hashes[id] & 0xFFFF_FFFF_0000_0000 | UInt64(id + 1)
        }
    }
}
