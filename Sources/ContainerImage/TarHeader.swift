/// One tar entry's metadata after GNU long-name and PAX records have been applied.
public struct TarHeader: Sendable, Equatable {
    /// Entry types Vigil distinguishes.
    public enum Kind: Sendable, Equatable {
        case file, hardLink, symlink, directory, other
    }

    /// The name as written in the archive (after PAX/GNU overrides), not yet cleaned.
    public var rawName: String
    /// Link target for hard and symbolic links.
    public var linkName: String
    public var kind: Kind
    /// Bytes of data stored in the archive for this entry.
    public var size: Int
    public var mode: Int
    /// The raw type flag byte, for messages.
    public var typeFlag: UInt8

    /// Whether a 512-byte block's checksum field matches its contents (signed or unsigned sum).
    public static func checksumValid(_ block: [UInt8]) -> Bool {
        guard block.count >= 512 else { return false }
        guard let stored = parseOctal(block[148..<156]) else { return false }
        var unsigned = 0
        var signed = 0
        for i in 0..<512 {
            let b = (148..<156).contains(i) ? UInt8(ascii: " ") : block[i]
            unsigned += Int(b)
            signed += Int(Int8(bitPattern: b))
        }
        return stored == unsigned || stored == signed
    }

    /// Parses an octal field (NUL/space padded) or a GNU base-256 number.
    static func parseNumeric(_ field: ArraySlice<UInt8>) -> Int? {
        guard let first = field.first else { return nil }
        if first & 0x80 != 0 {
            // Base-256: big-endian two's complement in the remaining bits.
            if first & 0x40 != 0 { return nil } // negative
            var value = Int(first & 0x3F)
            for b in field.dropFirst() {
                guard value <= (Int.max >> 8) else { return nil }
                value = value << 8 | Int(b)
            }
            return value
        }
        return parseOctal(field)
    }

    static func parseOctal(_ field: ArraySlice<UInt8>) -> Int? {
        var value = 0
        var seenDigit = false
        var ended = false
        for b in field {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                if ended { return nil }
                guard value <= (Int.max >> 3) else { return nil }
                value = value << 3 | Int(b - UInt8(ascii: "0"))
                seenDigit = true
            case 0, UInt8(ascii: " "):
                if seenDigit { ended = true }
            default:
                return nil
            }
        }
        return value
    }

    static func parseString(_ field: ArraySlice<UInt8>) -> String {
        let end = field.firstIndex(of: 0) ?? field.endIndex
        return String(decoding: field[field.startIndex..<end], as: UTF8.self)
    }
}
