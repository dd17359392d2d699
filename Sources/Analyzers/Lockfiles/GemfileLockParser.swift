/// `Gemfile.lock` (`Type` `bundler`): every gem of a `specs:` list, the lines indented by exactly
/// four spaces, `name (version)` or `name (version-platform)` (the platform dropped, as Trivy
/// does: `nokogiri (1.13.6-x86_64-linux)` is 1.13.6). Gems from `GEM`, `GIT` and `PATH` sources
/// are all listed; their dependencies (six spaces) are constraints, not packages.
enum GemfileLockParser {
    static func parse(_ bytes: [UInt8], path: String, layer: Int?) throws -> [InstalledPackage] {
        var found: [String: InstalledPackage] = [:]
        var inSpecs = false
        for (number, line) in TextLines.lines(bytes) {
            let indent = line.prefix { $0 == " " }.count
            let text = line.trimmed
            if text.isEmpty { inSpecs = false; continue }
            if indent <= 2 { inSpecs = indent == 2 && text == "specs:"; continue }
            guard inSpecs, indent == 4 else { continue }
            let words = text.split(separator: " ")
            guard words.count == 2, words[1].hasPrefix("("), words[1].hasSuffix(")"), words[1].count > 2 else {
                throw AnalyzerError(file: path, "line \(number): expected 'name (version)' in specs, got '\(text.prefix(80))'")
            }
            let full = words[1].dropFirst().dropLast()
            let version = String(full.split(separator: "-", maxSplits: 1).first ?? full)
            let name = String(words[0])
            found[name + "@" + version] = .language(.bundler, name: name, version: version, path: path, layer: layer)
        }
        return Array(found.values)
    }
}
