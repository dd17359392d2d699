/// Finds the Maven artifacts in one Java archive held in memory, and in the archives nested in
/// it (`WEB-INF/lib/*.jar` of a war, `BOOT-INF/lib/*.jar` of a Spring Boot jar, wars in an ear).
///
/// Identity per archive: every valid `pom.properties` (a shaded jar lists each artifact it
/// absorbed); when there is none, `MANIFEST.MF` (Implementation-/Specification-/Bundle- fields,
/// Trivy's offline rule); when that fails too, the file name (`name-1.2.3.jar`, no group).
/// Hostile archives are bounded: nesting depth, bytes inflated per top-level file, entries per
/// archive, and every entry's inflated size against what its header declares.
struct JarInspector {
    /// Archives nested deeper than this (an ear's war's jar is depth 2) are not opened.
    static let maxDepth = 3
    /// Entries read per archive; a real fat jar has tens of thousands.
    static let maxEntries = 100_000
    /// `pom.properties` and `MANIFEST.MF` are a few hundred bytes.
    static let maxTextEntry = 1 << 20
    /// One nested archive inflated into memory.
    static let maxNestedArchive = 64 << 20
    /// All nested archives inflated for one top-level file: the zip-bomb bound.
    static let maxInflatedTotal = 256 << 20
    /// Warnings kept per top-level file (a hostile archive could otherwise produce one per entry).
    static let maxWarnings = 8

    private(set) var sample = PackageSample(format: .jar)
    private var inflatedTotal = 0
    private var droppedWarnings = 0

    /// Inspects the archive `bytes` found at `path` (root-relative).
    static func inspect(_ bytes: [UInt8], path: String) -> PackageSample {
        var inspector = JarInspector()
        inspector.visit(bytes, range: 0..<bytes.count, path: path, depth: 0)
        if inspector.droppedWarnings > 0 {
            inspector.sample.warnings.append("\(path): \(inspector.droppedWarnings) more problems not shown")
        }
        var seen: Set<[String]> = []
        inspector.sample.packages = inspector.sample.packages.filter { seen.insert([$0.name, $0.version, $0.path]).inserted }
        return inspector.sample
    }

    private mutating func warn(_ message: String) {
        if sample.warnings.count < Self.maxWarnings { sample.warnings.append(message) } else { droppedWarnings += 1 }
    }

    private mutating func visit(_ bytes: [UInt8], range: Range<Int>, path: String, depth: Int) {
        guard let zip = ZipArchive(bytes, range: range) else {
            warn("\(path): not a zip archive (no end of central directory); not analysed")
            return
        }
        var poms: [PackageSample.Package] = []
        var manifest: JavaManifest?
        var nested: [ZipArchive.Entry] = []
        var count = 0
        let problem = zip.forEachEntry { entry in
            count += 1
            if count > Self.maxEntries {
                warn("\(path): more than \(Self.maxEntries) entries; the rest are not read")
                return false
            }
            let base = Self.baseName(entry.name)
            if base.elementsEqual("pom.properties".utf8) {
                if let text = text(of: entry, in: zip, path: path), let p = Self.pomProperties(text) {
                    poms.append(PackageSample.Package(name: p.group + ":" + p.artifact, version: p.version, path: path))
                }
            } else if base.elementsEqual("MANIFEST.MF".utf8) {
                if let text = text(of: entry, in: zip, path: path) { manifest = JavaManifest(text) }
            } else if Self.isNestedArchive(base) {
                nested.append(entry)
            }
            return true
        }
        if let problem { warn("\(path): \(problem); entries after it are not read") }
        if !poms.isEmpty {
            sample.packages += poms
        } else if let id = manifest?.identity {
            sample.packages.append(PackageSample.Package(name: id.group + ":" + id.artifact, version: id.version, path: path))
        } else if let id = Self.fileNameIdentity(path) {
            sample.packages.append(PackageSample.Package(name: id.artifact, version: id.version, path: path))
        }
        for entry in nested {
            let name = entry.nameString
            let inner = path + "/" + name
            guard Self.isSafe(name) else {
                warn("\(inner): entry name escapes the archive (absolute or '..'); not analysed")
                continue
            }
            guard depth + 1 <= Self.maxDepth else {
                warn("\(inner): nested deeper than \(Self.maxDepth) archives; not analysed")
                continue
            }
            guard !entry.isEncrypted else { continue }
            let remaining = Self.maxInflatedTotal - inflatedTotal
            switch zip.data(of: entry, limit: min(Self.maxNestedArchive, entry.method == 0 ? Int.max : remaining)) {
            case .stored(let r):
                visit(bytes, range: r, path: inner, depth: depth + 1)
            case .bytes(let data):
                inflatedTotal += data.count
                visit(data, range: 0..<data.count, path: inner, depth: depth + 1)
            case .tooLarge(let declared):
                warn(remaining < Self.maxNestedArchive && declared <= Self.maxNestedArchive
                    ? "\(inner): nested archives inflate to more than \(Self.maxInflatedTotal >> 20) MiB in total (zip bomb?); not analysed"
                    : "\(inner): declares \(declared) bytes, over the \(Self.maxNestedArchive >> 20) MiB limit for a nested archive; not analysed")
            case .unsupportedMethod(let m):
                warn("\(inner): compression method \(m) is not supported; not analysed")
            case .corrupt(let why):
                warn("\(inner): \(why); not analysed")
            }
        }
    }

    private mutating func text(of entry: ZipArchive.Entry, in zip: ZipArchive, path: String) -> [UInt8]? {
        guard !entry.isEncrypted else { return nil }
        switch zip.data(of: entry, limit: Self.maxTextEntry) {
        case .stored(let r): return Array(zip.bytes[r])
        case .bytes(let b): return b
        case .tooLarge(let declared):
            warn("\(path): \(entry.nameString) declares \(declared) bytes, over the \(Self.maxTextEntry >> 20) MiB limit; not read")
        case .unsupportedMethod(let m):
            warn("\(path): \(entry.nameString) uses compression method \(m), which is not supported; not read")
        case .corrupt(let why):
            warn("\(path): \(entry.nameString) \(why); not read")
        }
        return nil
    }

    static func baseName(_ name: [UInt8]) -> ArraySlice<UInt8> {
        name.lastIndex(of: UInt8(ascii: "/")).map { name[($0 + 1)...] } ?? name[...]
    }

    /// `.jar`, `.war`, `.ear`: the nested kinds Trivy opens.
    static func isNestedArchive(_ base: ArraySlice<UInt8>) -> Bool {
        guard base.count > 4 else { return false }
        let ext = base.suffix(4)
        return ext.elementsEqual(".jar".utf8) || ext.elementsEqual(".war".utf8) || ext.elementsEqual(".ear".utf8)
    }

    /// No absolute path, no `..` component, no backslash tricks.
    static func isSafe(_ name: String) -> Bool {
        !name.hasPrefix("/") && !name.contains("\\") && !name.split(separator: "/", omittingEmptySubsequences: false).contains("..")
    }

    /// `groupId=`, `artifactId=`, `version=` lines (trimmed), all three required.
    static func pomProperties(_ bytes: [UInt8]) -> (group: String, artifact: String, version: String)? {
        var group = "", artifact = "", version = ""
        for raw in bytes.split(whereSeparator: { $0 == 0x0A || $0 == 0x0D }) {
            let line = String(decoding: raw, as: UTF8.self)[...].trimmed
            if line.hasPrefix("groupId=") { group = String(line.dropFirst(8)) }
            else if line.hasPrefix("artifactId=") { artifact = String(line.dropFirst(11)) }
            else if line.hasPrefix("version=") { version = String(line.dropFirst(8)) }
        }
        return group.isEmpty || artifact.isEmpty || version.isEmpty ? nil : (group, artifact, version)
    }

    /// Trivy's file-name rule: `^([a-zA-Z0-9._-]*[^-*])-(\d\S*(?:-SNAPSHOT)?).jar$`, applied to
    /// the base name.
    static func fileNameIdentity(_ path: String) -> (artifact: String, version: String)? {
        let base = Array((path.split(separator: "/").last ?? "").utf8)
        guard base.count > 4, base.suffix(4).elementsEqual(".jar".utf8) else { return nil }
        let stem = base.dropLast(4)
        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        func isNameByte(_ b: UInt8) -> Bool {
            isDigit(b) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || b == 0x2E || b == 0x5F || b == 0x2D
        }
        // The regex is greedy: the split is at the last `-` followed by a digit whose left side
        // is a valid name and whose right side has no whitespace.
        guard !stem.contains(where: { $0 == 0x20 || $0 == 0x09 }) else { return nil }
        var i = stem.endIndex - 1
        while i > stem.startIndex {
            if stem[i] == 0x2D, i + 1 < stem.endIndex, isDigit(stem[i + 1]) {
                let name = stem[stem.startIndex..<i]
                if let last = name.last, last != 0x2D, last != 0x2A, name.dropLast().allSatisfy(isNameByte) {
                    return (String(decoding: name, as: UTF8.self), String(decoding: stem[(i + 1)...], as: UTF8.self))
                }
            }
            i -= 1
        }
        return nil
    }
}
