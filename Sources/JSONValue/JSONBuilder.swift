/// Builds one tree model from the values `JSONScanner` reads.
///
/// The scanner owns the byte-level work (cursor, whitespace, strings, numbers, nesting, key
/// interning); a builder only wraps finished pieces in its own value type, so `JSON` and jq's
/// value model share one parser. Conformers are concrete structs: the scanner is specialised for
/// each, so these calls inline.
public protocol JSONBuilder {
    associatedtype Value

    /// `null`.
    mutating func null() -> Value
    /// `true` or `false`.
    mutating func bool(_ value: Bool) -> Value
    /// A number token, already checked against the syntax. `integer` is its value when the token is
    /// a plain integer of at most 15 digits (exact as a `Double`); `-0` comes as 0 with text `-0`.
    mutating func number(_ text: UnsafeBufferPointer<UInt8>, integer: Int64?) -> Value
    /// `nan`, `Infinity` and friends (only when `JSONSyntax.allowsNonFiniteLiterals`).
    mutating func number(_ value: Double) -> Value
    /// A decoded string.
    mutating func string(_ value: String) -> Value
    /// An array. The builder takes the elements: it must move every one of them out of `elements`
    /// (`moveInitialize`, `move()`), since the scanner reuses that memory without deinitialising it.
    mutating func array(_ elements: UnsafeMutableBufferPointer<Value>) -> Value
    /// An object, members in document order. `keys` is often shared between objects of the same
    /// shape. `values` must be moved out as for `array`. `hasDuplicateKeys` is exact.
    mutating func object(keys: [String], values: UnsafeMutableBufferPointer<Value>, hasDuplicateKeys: Bool) -> Value
}

extension UnsafeMutableBufferPointer {
    /// Moves every element into a new exact-size array (no retain/release, no growth slack).
    @inlinable public func moveToArray() -> [Element] {
        guard let base = baseAddress, count > 0 else { return [] }
        return [Element](unsafeUninitializedCapacity: count) { dst, n in
            dst.baseAddress!.moveInitialize(from: base, count: count)
            n = count
        }
    }
}
