#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Scratch memory one `JSONScanner` reuses across values: the member/element stacks and the
/// interning tables. Reports repeat a few dozen keys and many short values (severities, layer
/// digests, data-source URLs) millions of times; interning them turns a String allocation and
/// UTF-8 validation into a hash probe, and objects of one shape share one keys array.
///
/// Tables are fixed-size raw memory allocated once, so the hot path does no uniqueness or
/// exclusivity checks.
@usableFromInline
final class JSONScanState<Value> {
    // Element stack shared by every nesting level; finished arrays/objects are moved out.
    @usableFromInline @exclusivity(unchecked) var values: UnsafeMutablePointer<Value>
    @usableFromInline @exclusivity(unchecked) var valueCount = 0
    @usableFromInline @exclusivity(unchecked) var valueCapacity: Int

    // Keys of the objects being read: a key id (>= 0) or -1 - index into `otherKeys`.
    @usableFromInline @exclusivity(unchecked) var keyIDs: UnsafeMutablePointer<Int32>
    @usableFromInline @exclusivity(unchecked) var keyCount = 0
    @usableFromInline @exclusivity(unchecked) var keyCapacity: Int
    /// Keys that were not interned (escapes, too long, table full).
    @usableFromInline @exclusivity(unchecked) var otherKeys: [String] = []

    // Interned keys: open-addressing table of id+1 over `keySlots` slots; ids index the arrays.
    @usableFromInline let keySlots: Int
    @usableFromInline let maxKeys: Int
    @usableFromInline static var maxKeyLength: Int { 64 }
    @usableFromInline let keyTable: UnsafeMutablePointer<Int32>
    @usableFromInline let keyStrings: UnsafeMutablePointer<String>
    @usableFromInline let keyHashes: UnsafeMutablePointer<UInt64>
    @usableFromInline let keyLengths: UnsafeMutablePointer<Int32>
    @usableFromInline let keyBytes: UnsafeMutablePointer<UInt8>
    /// Object serial that last used each key id (exact duplicate detection in O(members)).
    @usableFromInline let keyStamps: UnsafeMutablePointer<Int>
    @usableFromInline @exclusivity(unchecked) var internedKeys = 0
    @usableFromInline @exclusivity(unchecked) var objectSerial = 0

    // Direct-mapped cache of short string values (bytes as written → decoded String).
    @usableFromInline let valueSlots: Int
    @usableFromInline static var maxValueLength: Int { 96 }
    @usableFromInline let valueHashes: UnsafeMutablePointer<UInt64>
    @usableFromInline let valueLengths: UnsafeMutablePointer<Int32>
    @usableFromInline let valueStrings: UnsafeMutablePointer<String>
    @usableFromInline let valueBytes: UnsafeMutablePointer<UInt8>

    // Direct-mapped cache of object shapes (key id sequences → one shared keys array).
    @usableFromInline let shapeSlots: Int
    @usableFromInline let shapes: UnsafeMutablePointer<Shape>

    @usableFromInline struct Shape {
        @usableFromInline var hash: UInt64 = 0
        @usableFromInline var ids: [Int32] = []
        @usableFromInline var keys: [String] = []
        @usableFromInline init() {}
    }

    /// Tables sized for `inputSize` bytes: none for small texts (a Dockerfile's exec array, one
    /// report record), where setting them up would cost more than it saves.
    @usableFromInline init(inputSize: Int) {
        let scale = inputSize < (16 << 10) ? 0 : inputSize < (1 << 20) ? 1 : 16
        keySlots = 512 * scale
        maxKeys = 256 * scale
        valueSlots = 256 * scale
        shapeSlots = 64 * scale
        valueCapacity = 256
        values = .allocate(capacity: valueCapacity)
        keyCapacity = 256
        keyIDs = .allocate(capacity: keyCapacity)
        keyTable = .allocate(capacity: keySlots)
        keyTable.initialize(repeating: 0, count: keySlots)
        keyStrings = .allocate(capacity: maxKeys)
        keyHashes = .allocate(capacity: maxKeys)
        keyLengths = .allocate(capacity: maxKeys)
        keyBytes = .allocate(capacity: maxKeys * Self.maxKeyLength)
        keyStamps = .allocate(capacity: maxKeys)
        keyStamps.initialize(repeating: 0, count: maxKeys)
        valueHashes = .allocate(capacity: valueSlots)
        valueHashes.initialize(repeating: 0, count: valueSlots)
        valueLengths = .allocate(capacity: valueSlots)
        valueLengths.initialize(repeating: -1, count: valueSlots)
        valueStrings = .allocate(capacity: valueSlots)  // initialised slot by slot (valueLengths >= 0)
        valueBytes = .allocate(capacity: valueSlots * Self.maxValueLength)
        shapes = .allocate(capacity: shapeSlots)
        shapes.initialize(repeating: Shape(), count: shapeSlots)
    }

    deinit {
        values.deinitialize(count: valueCount)
        values.deallocate()
        keyIDs.deallocate()
        keyTable.deallocate()
        keyStrings.deinitialize(count: internedKeys)
        keyStrings.deallocate()
        keyHashes.deallocate()
        keyLengths.deallocate()
        keyBytes.deallocate()
        keyStamps.deallocate()
        for i in 0..<valueSlots where valueLengths[i] >= 0 { (valueStrings + i).deinitialize(count: 1) }
        valueStrings.deallocate()
        valueHashes.deallocate()
        valueLengths.deallocate()
        valueBytes.deallocate()
        shapes.deinitialize(count: shapeSlots)
        shapes.deallocate()
    }

    @inlinable func pushValue(_ v: __owned Value) {
        if valueCount == valueCapacity { growValues() }
        (values + valueCount).initialize(to: v)
        valueCount &+= 1
    }

    @usableFromInline func growValues() {
        values = Self.doubled(values, count: valueCount, capacity: &valueCapacity)
    }

    @inlinable func pushKey(_ id: Int32) {
        if keyCount == keyCapacity { growKeys() }
        keyIDs[keyCount] = id
        keyCount &+= 1
    }

    @usableFromInline func growKeys() {
        keyIDs = Self.doubled(keyIDs, count: keyCount, capacity: &keyCapacity)
    }

    /// `p`'s first `count` elements moved to a buffer twice `capacity` (which is updated).
    @usableFromInline static func doubled<T>(_ p: UnsafeMutablePointer<T>, count: Int, capacity: inout Int) -> UnsafeMutablePointer<T> {
        capacity *= 2
        let q = UnsafeMutablePointer<T>.allocate(capacity: capacity)
        q.moveInitialize(from: p, count: count)
        p.deallocate()
        return q
    }

    /// Drops everything above the given marks (after an error).
    @usableFromInline func unwind(values v: Int, keys k: Int, otherKeys o: Int) {
        if valueCount > v { (values + v).deinitialize(count: valueCount - v); valueCount = v }
        keyCount = min(keyCount, k)
        if otherKeys.count > o { otherKeys.removeSubrange(o...) }
    }

    /// 64-bit hash of a short byte run (8 bytes per step).
    @inlinable @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(truncatingIfNeeded: n)
        var i = 0
        while i &+ 8 <= n {
            let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            h = (h ^ w) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
            i &+= 8
        }
        if i < n {
            var w: UInt64 = 0
            var s: UInt64 = 0
            while i < n { w |= UInt64(p[i]) << s; s &+= 8; i &+= 1 }
            h = (h ^ w) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
        }
        return h | 1  // never 0, so 0 marks an empty cache slot
    }

    /// The id of an interned key, interning it if there is room; nil when it cannot be interned.
    @inlinable func keyID(_ p: UnsafePointer<UInt8>, _ n: Int, repairs: Bool) -> Int32? {
        guard n <= Self.maxKeyLength && maxKeys > 0 else { return nil }
        let h = Self.hash(p, n)
        let mask = keySlots &- 1
        var slot = Int(truncatingIfNeeded: h >> 20) & mask
        while true {
            let e = keyTable[slot]
            if e == 0 { break }
            let id = Int(e &- 1)
            if keyHashes[id] == h && Int(keyLengths[id]) == n && memcmp(keyBytes + id &* Self.maxKeyLength, p, n) == 0 {
                return Int32(id)
            }
            slot = (slot &+ 1) & mask
        }
        guard internedKeys < maxKeys, let s = Self.makeString(p, n, repairs: repairs) else { return nil }
        let id = internedKeys
        internedKeys &+= 1
        (keyStrings + id).initialize(to: s)
        keyHashes[id] = h
        keyLengths[id] = Int32(n)
        (keyBytes + id &* Self.maxKeyLength).update(from: p, count: n)
        keyTable[slot] = Int32(id &+ 1)
        return Int32(id)
    }

    /// Raw bytes as written (no escapes) as a `String`: invalid UTF-8 is repaired (U+FFFD) or nil.
    @inlinable static func makeString(_ p: UnsafePointer<UInt8>, _ n: Int, repairs: Bool) -> String? {
        let bytes = UnsafeBufferPointer(start: p, count: n)
        return repairs ? String(decoding: bytes, as: UTF8.self) : String(validating: bytes, as: UTF8.self)
    }

    /// A short string value through the direct-mapped cache; nil for invalid UTF-8 when not repairing.
    @inlinable func cachedValue(_ p: UnsafePointer<UInt8>, _ n: Int, repairs: Bool) -> String? {
        if valueSlots == 0 { return Self.makeString(p, n, repairs: repairs) }
        let h = Self.hash(p, n)
        let slot = Int(truncatingIfNeeded: h >> 24) & (valueSlots &- 1)
        let bytes = valueBytes + slot &* Self.maxValueLength
        if valueHashes[slot] == h && Int(valueLengths[slot]) == n && memcmp(bytes, p, n) == 0 {
            return valueStrings[slot]
        }
        guard let s = Self.makeString(p, n, repairs: repairs) else { return nil }
        if valueLengths[slot] >= 0 { valueStrings[slot] = s } else { (valueStrings + slot).initialize(to: s) }
        valueHashes[slot] = h
        valueLengths[slot] = Int32(n)
        bytes.update(from: p, count: n)
        return s
    }

    /// The keys array for the object whose key ids are `ids[0..<n]` (all interned): shared with
    /// earlier objects of the same shape.
    @inlinable func sharedKeys(_ ids: UnsafeMutablePointer<Int32>, _ n: Int) -> [String] {
        var h: UInt64 = 0x84222325 &+ UInt64(n)
        for i in 0..<n { h = (h ^ UInt64(UInt32(bitPattern: ids[i]))) &* 0x100_0000_01B3 }
        h ^= h >> 31
        let slot = Int(truncatingIfNeeded: h) & (shapeSlots &- 1)
        let shape = shapes + slot
        if shape.pointee.hash == h && shape.pointee.ids.count == n {
            let same = shape.pointee.ids.withUnsafeBufferPointer { b -> Bool in
                for i in 0..<n where b[i] != ids[i] { return false }
                return true
            }
            if same { return shape.pointee.keys }
        }
        let keys = [String](unsafeUninitializedCapacity: n) { dst, c in
            for i in 0..<n { (dst.baseAddress! + i).initialize(to: keyStrings[Int(ids[i])]) }
            c = n
        }
        shape.pointee.hash = h
        shape.pointee.ids = Array(UnsafeBufferPointer(start: ids, count: n))
        shape.pointee.keys = keys
        return keys
    }

    /// The key stored for a stack entry.
    @inlinable func key(_ entry: Int32) -> String {
        entry >= 0 ? keyStrings[Int(entry)] : otherKeys[Int(-1 &- entry)]
    }
}
