/// `gradle.lockfile` (`Type` `gradle`): `group:artifact:version=configurations` lines; `#`
/// comments and the `empty=` line are not packages. The name is `group:artifact`, as Maven names.
enum GradleLockParser {
    static func parse(_ bytes: [UInt8], path: String, layer: Int?) throws -> [InstalledPackage] {
        var found: [String: InstalledPackage] = [:]
        for (number, line) in TextLines.lines(bytes) {
            let text = line.trimmed
            if text.isEmpty || text.hasPrefix("#") || text.hasPrefix("empty=") { continue }
            let coordinates = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let parts = coordinates.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else {
                throw AnalyzerError(file: path, "line \(number): expected 'group:artifact:version=configurations', got '\(text.prefix(80))'")
            }
            let name = "\(parts[0]):\(parts[1])", version = String(parts[2])
            found[name + "@" + version] = .language(.gradle, name: name, version: version, path: path, layer: layer)
        }
        return Array(found.values)
    }
}
