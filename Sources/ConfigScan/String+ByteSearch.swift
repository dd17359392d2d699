extension StringProtocol {
    /// Substring test on UTF-8 bytes: much cheaper than the generic `contains(_:)` on hot paths.
    func includes(_ needle: String) -> Bool { byteOffset(of: needle) != nil }

    /// UTF-8 offset of the first occurrence of `needle`.
    func byteOffset(of needle: String) -> Int? {
        let n = Array(needle.utf8)
        guard let first = n.first else { return 0 }
        let h = Array(utf8)
        guard h.count >= n.count else { return nil }
        var i = 0
        let last = h.count - n.count
        while i <= last {
            if h[i] == first {
                var k = 1
                while k < n.count && h[i + k] == n[k] { k += 1 }
                if k == n.count { return i }
            }
            i += 1
        }
        return nil
    }
}
