/// The main section of a jar's `META-INF/MANIFEST.MF`, reduced to the attributes Trivy derives
/// a Maven identity from when a jar carries no `pom.properties` (continuation lines joined,
/// values trimmed, `%`-placeholders ignored).
struct JavaManifest: Equatable {
    private var attributes: [String: String] = [:]

    init(_ bytes: [UInt8]) {
        var current = ""
        func flush() {
            guard let colon = current.firstIndex(of: ":") else { return }
            let key = String(current[..<colon])
            let value = String(current[current.index(after: colon)...].trimmed)
            guard !value.isEmpty, !value.hasPrefix("%") else { return }
            attributes[key] = value
        }
        var i = 0
        while i < bytes.count {
            var j = i
            while j < bytes.count, bytes[j] != 0x0A, bytes[j] != 0x0D { j += 1 }
            let line = String(decoding: bytes[i..<j], as: UTF8.self)
            // CR, LF or CRLF end a line.
            i = j < bytes.count && bytes[j] == 0x0D && j + 1 < bytes.count && bytes[j + 1] == 0x0A ? j + 2 : j + 1
            if line.isEmpty { break } // end of the main section
            if line.hasPrefix(" ") { current += line.dropFirst(); continue }
            flush()
            current = line
        }
        flush()
    }

    subscript(key: String) -> String? { attributes[key] }

    /// `groupId:artifactId` and version as Trivy's offline jar parser derives them, or nil.
    var identity: (group: String, artifact: String, version: String)? {
        let group = self["Implementation-Vendor-Id"]
            ?? self["Bundle-SymbolicName"].map { name in
                // `com.fasterxml.jackson.core.jackson-databind` → `com.fasterxml.jackson.core`.
                name.lastIndex(of: ".").map { $0 == name.startIndex ? name : String(name[..<$0]) } ?? name
            }
            ?? self["Implementation-Vendor"] ?? self["Specification-Vendor"]
        let artifact = self["Implementation-Title"] ?? self["Specification-Title"] ?? self["Bundle-Name"]
        let version = self["Implementation-Version"] ?? self["Specification-Version"] ?? self["Bundle-Version"]
        guard let group, let artifact, let version else { return nil }
        return (group, artifact, version)
    }
}
