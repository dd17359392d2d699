#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
