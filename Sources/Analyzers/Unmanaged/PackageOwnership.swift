import ContainerImage

/// The files package managers installed: dpkg's `var/lib/dpkg/info/*.list` (and the
/// `status.d/*.md5sums` of distroless images), apk's `F:`/`R:` lines. A file listed there belongs
/// to its package and is never reported as unmanaged. Paths are compared after folding the
/// merged-`/usr` aliases (`bin/bash` and `usr/bin/bash` are one file on Debian 12).
struct PackageOwnership {
    private(set) var paths: Set<String> = []

    /// Keeps dpkg file lists whole (they are small: a few MiB for a full Debian image).
    struct DpkgListSampler: FileSampler {
        static let directory = "var/lib/dpkg/info/"
        static let maxBytes = 16 << 20
        var identity: String { "dpkg-list-v1" }

        func reader(for path: String, size: Int) -> (any SampleReader)? {
            guard path.utf8.last == UInt8(ascii: "t"), path.hasSuffix(".list"), path.hasPrefix(Self.directory) else { return nil }
            return PrefixSampleReader(limit: Self.maxBytes)
        }
    }

    init(_ fs: any FileSystemView, samples: [FoundFile]) throws {
        for file in samples where file.path.hasPrefix(DpkgListSampler.directory) && file.path.hasSuffix(".list") {
            for line in file.bytes.split(separator: 0x0A) { add(line) }
        }
        for file in try fs.files(in: DpkgAnalyzer.statusDirectory) where file.path.hasSuffix(".md5sums") {
            // `<md5>  <path>` without a leading slash.
            for line in file.bytes.split(separator: 0x0A) {
                if let space = line.firstIndex(of: 0x20) { add(line[space...].drop { $0 == 0x20 }) }
            }
        }
        if let installed = try fs.file(at: ApkAnalyzer.installedPath) {
            var directory: ArraySlice<UInt8> = []
            for line in installed.bytes.split(separator: 0x0A) where line.count > 2 && line[line.startIndex + 1] == UInt8(ascii: ":") {
                switch line.first {
                case UInt8(ascii: "F"): directory = line.dropFirst(2)
                case UInt8(ascii: "R"): add(directory + [UInt8(ascii: "/")] + line.dropFirst(2))
                default: break
                }
            }
        }
    }

    init(paths: Set<String>) { self.paths = Set(paths.map(Self.canonical)) }

    private mutating func add(_ raw: ArraySlice<UInt8>) {
        var line = raw
        if line.last == 0x0D { line = line.dropLast() }
        while line.first == UInt8(ascii: "/") { line = line.dropFirst() }
        guard !line.isEmpty else { return }
        paths.insert(Self.canonical(String(decoding: line, as: UTF8.self)))
    }

    func owns(_ path: String) -> Bool { paths.contains(Self.canonical(path)) }

    /// `usr/bin/x` → `bin/x` (and `sbin`, `lib*`): merged-`/usr` systems list either spelling.
    static func canonical(_ path: String) -> String {
        guard path.hasPrefix("usr/") else { return path }
        let rest = path.dropFirst(4)
        for dir in ["bin/", "sbin/", "lib/", "lib32/", "lib64/", "libx32/"] where rest.hasPrefix(dir) { return String(rest) }
        return path
    }
}
