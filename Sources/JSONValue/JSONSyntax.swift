/// Which JSON dialect `JSONScanner` accepts.
public struct JSONSyntax: Sendable {
    /// Deepest nesting accepted; deeper input fails with `.tooDeep` before the stack is at risk.
    public var maxDepth: Int
    /// `nan`, `NaN`, `-nan`, `Infinity`, `-Infinity` (jq reads them).
    public var allowsNonFiniteLiterals: Bool
    /// `01`, `-007` (jq reads them as numbers).
    public var allowsLeadingZeros: Bool
    /// Raw bytes below 0x20 inside strings (jq keeps them).
    public var allowsControlCharacters: Bool
    /// Invalid UTF-8 in strings becomes U+FFFD (jq); otherwise it is an error.
    public var repairsInvalidUTF8: Bool
    /// A leading UTF-8 byte order mark is skipped.
    public var skipsByteOrderMark: Bool

    public init(maxDepth: Int, allowsNonFiniteLiterals: Bool, allowsLeadingZeros: Bool, allowsControlCharacters: Bool,
                repairsInvalidUTF8: Bool, skipsByteOrderMark: Bool) {
        self.maxDepth = maxDepth
        self.allowsNonFiniteLiterals = allowsNonFiniteLiterals
        self.allowsLeadingZeros = allowsLeadingZeros
        self.allowsControlCharacters = allowsControlCharacters
        self.repairsInvalidUTF8 = repairsInvalidUTF8
        self.skipsByteOrderMark = skipsByteOrderMark
    }

    /// RFC 8259, nesting limited to 512.
    public static let strict = JSONSyntax(maxDepth: 512, allowsNonFiniteLiterals: false, allowsLeadingZeros: false,
                                          allowsControlCharacters: false, repairsInvalidUTF8: false, skipsByteOrderMark: false)
    /// What jq 1.8 reads: the extensions above, nesting limited to 10,000.
    public static let jq = JSONSyntax(maxDepth: 10_000, allowsNonFiniteLiterals: true, allowsLeadingZeros: true,
                                      allowsControlCharacters: true, repairsInvalidUTF8: true, skipsByteOrderMark: true)
}

/// Where and why `JSONScanner` stopped. Front ends turn `kind` into their own message texts
/// (`JSONParser`'s, jq's).
public struct JSONSyntaxError: Error, Sendable {
    public enum Kind: Sendable, Equatable {
        /// Input ended where a value was expected.
        case unexpectedEnd
        case tooDeep
        case keyNotString
        case expectedColon
        /// Neither `,` nor the closing bracket after a member or element.
        case expectedSeparator
        /// A `'`-quoted string.
        case singleQuote
        /// A byte that cannot start a value (`}`, `:`, …).
        case unexpectedCharacter
        /// A word that is not `true`, `false`, `null` (or a non-finite literal when allowed).
        case invalidLiteral
        /// A token starting like a number that is not one.
        case invalidNumber
        case invalidEscape
        case unterminatedString
        case controlCharacter
        case invalidUTF8
        /// Something other than whitespace after the value.
        case trailingData
    }
    public var kind: Kind
    /// Byte offset of the cursor when the error was found.
    public var offset: Int
    /// 1-based line of `offset`.
    public var line: Int
    /// Bytes since the start of that line.
    public var column: Int
    /// True when the cursor was at the end of input.
    public var atEnd: Bool

    public init(kind: Kind, offset: Int, line: Int, column: Int, atEnd: Bool) {
        self.kind = kind
        self.offset = offset
        self.line = line
        self.column = column
        self.atEnd = atEnd
    }
}
