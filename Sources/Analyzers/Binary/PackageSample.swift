/// What a language sampler found in one file (packages and warnings), in the small line format
/// samples are kept and cached in: `K<TAB>type` once, `P<TAB>name<TAB>version<TAB>path` per
/// package (path: where inside the file it was found, `app.war/WEB-INF/lib/x.jar`), `W<TAB>text`
/// per warning.
struct PackageSample: Equatable {
    struct Package: Equatable {
        var name: String
        var version: String
        var path: String
    }

    var format: PackageFormat?
    var packages: [Package] = []
    var warnings: [String] = []

    init(format: PackageFormat? = nil) { self.format = format }

    init(decoding bytes: [UInt8]) {
        for line in bytes.split(separator: 0x0A) {
            let fields = line.split(separator: 0x09, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            switch (fields.first, fields.count) {
            case ("K", 2): format = PackageFormat(rawValue: fields[1])
            case ("P", 4): packages.append(Package(name: fields[1], version: fields[2], path: fields[3]))
            case ("W", 2): warnings.append(fields[1])
            default: continue
            }
        }
    }

    func encoded() -> [UInt8] {
        var out = ""
        if let format { out += "K\t\(format.rawValue)\n" }
        for p in packages { out += "P\t\(Self.clean(p.name))\t\(Self.clean(p.version))\t\(Self.clean(p.path))\n" }
        for w in warnings { out += "W\t\(Self.clean(w))\n" }
        return Array(out.utf8)
    }

    /// Control characters (tabs and newlines in a hostile name) become spaces: one field, one line.
    static func clean(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { return s }
        return String(s.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
    }
}
