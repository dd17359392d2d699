/// An rpm header blob as stored in rpmdb: index entries then a data store, big-endian.
/// Every offset is bounds-checked: the blob comes from an untrusted image.
public struct RpmHeader {
    /// Tags Vigil reads.
    public enum Tag {
        public static let name: UInt32 = 1000
        public static let version: UInt32 = 1001
        public static let release: UInt32 = 1002
        public static let epoch: UInt32 = 1003
        public static let vendor: UInt32 = 1011
        public static let license: UInt32 = 1014
        public static let arch: UInt32 = 1022
        public static let sourceRPM: UInt32 = 1044
    }

    struct Entry {
        var type: UInt32
        var offset: Int
        var count: Int
    }

    private var entries: [UInt32: Entry] = [:]
    private let store: ArraySlice<UInt8>

    /// Parses the index; `context` names the blob in errors.
    public init(_ blob: [UInt8], context: String) throws(AnalyzerError) {
        func be32(_ at: Int) -> UInt32 {
            UInt32(blob[at]) << 24 | UInt32(blob[at + 1]) << 16 | UInt32(blob[at + 2]) << 8 | UInt32(blob[at + 3])
        }
        guard blob.count >= 8 else { throw AnalyzerError(file: context, "rpm header shorter than 8 bytes") }
        let il = Int(be32(0))
        let dl = Int(be32(4))
        guard il > 0, il < 100_000, dl >= 0, dl < 256 << 20 else {
            throw AnalyzerError(file: context, "rpm header has implausible sizes (\(il) entries, \(dl) data bytes)")
        }
        let storeStart = 8 + il * 16
        guard storeStart + dl <= blob.count else {
            throw AnalyzerError(file: context, "rpm header truncated (needs \(storeStart + dl) bytes, has \(blob.count))")
        }
        store = blob[storeStart..<(storeStart + dl)]
        for i in 0..<il {
            let base = 8 + i * 16
            let tag = be32(base)
            let entry = Entry(type: be32(base + 4), offset: Int(be32(base + 8)), count: Int(be32(base + 12)))
            guard entry.offset <= dl else {
                throw AnalyzerError(file: context, "rpm header entry for tag \(tag) points outside the data store")
            }
            entries[tag] = entry
        }
    }

    /// A STRING or the first element of a STRING_ARRAY/I18NSTRING.
    public func string(_ tag: UInt32) -> String? {
        guard let e = entries[tag], e.type == 6 || e.type == 8 || e.type == 9 else { return nil }
        let start = store.startIndex + e.offset
        guard start < store.endIndex, let end = store[start...].firstIndex(of: 0) else { return nil }
        return String(decoding: store[start..<end], as: UTF8.self)
    }

    /// An INT32 value.
    public func int(_ tag: UInt32) -> Int? {
        guard let e = entries[tag], e.type == 4, e.count >= 1 else { return nil }
        let at = store.startIndex + e.offset
        guard at + 4 <= store.endIndex else { return nil }
        return Int(UInt32(store[at]) << 24 | UInt32(store[at + 1]) << 16 | UInt32(store[at + 2]) << 8 | UInt32(store[at + 3]))
    }
}
