/// What a language metadata file yielded, reduced while the layer streams by to the few fields a
/// scan needs (a `package.json` of 40 KiB becomes its name, version and licenses), so 20,000
/// of them cost little memory. Encoded as tagged, length-prefixed strings: names and versions
/// from hostile files may hold any byte, so nothing is escaped or split on a separator.
struct InstalledMetadataSample: Equatable {
    /// One package: name, version, licenses.
    struct Package: Equatable {
        var name: String
        var version: String
        var licenses: [String] = []
    }

    var packages: [Package] = []
    /// Why the file gave nothing (malformed, too large), one line without the path.
    var problem: String?

    private static let packageTag = UInt8(ascii: "P"), problemTag = UInt8(ascii: "W")

    func encoded() -> [UInt8] {
        var out: [UInt8] = []
        func put(_ s: String) {
            let n = UInt32(truncatingIfNeeded: s.utf8.count)
            out += [UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 24)]
            out += s.utf8
        }
        for p in packages {
            out.append(Self.packageTag)
            put(p.name)
            put(p.version)
            put(String(p.licenses.count))
            p.licenses.forEach(put)
        }
        if let problem {
            out.append(Self.problemTag)
            put(problem)
        }
        return out
    }

    /// Decodes what ``encoded()`` wrote; nil if the bytes are not such a sample.
    init?(decoding bytes: [UInt8]) {
        var i = 0
        func string() -> String? {
            guard i + 4 <= bytes.count else { return nil }
            let n = Int(bytes[i]) | Int(bytes[i + 1]) << 8 | Int(bytes[i + 2]) << 16 | Int(bytes[i + 3]) << 24
            i += 4
            guard n <= bytes.count - i else { return nil }
            defer { i += n }
            return String(decoding: bytes[i..<(i + n)], as: UTF8.self)
        }
        while i < bytes.count {
            let tag = bytes[i]
            i += 1
            switch tag {
            case Self.packageTag:
                guard let name = string(), let version = string(), let count = string().flatMap({ Int($0) }), count >= 0 else { return nil }
                var licenses: [String] = []
                for _ in 0..<count {
                    guard let l = string() else { return nil }
                    licenses.append(l)
                }
                packages.append(Package(name: name, version: version, licenses: licenses))
            case Self.problemTag:
                guard let p = string() else { return nil }
                problem = p
            default:
                return nil
            }
        }
    }

    init(packages: [Package] = [], problem: String? = nil) {
        self.packages = packages
        self.problem = problem
    }
}
