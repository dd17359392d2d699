import TOML

/// Reads the `[[package]]` tables of TOML lockfiles (`poetry.lock`, `Cargo.lock`): their `name`
/// and `version` keys, parsed with the TOML reader RustSec advisories use. Sub-tables
/// (`[package.dependencies]`) belong to the package above and never supply its fields.
enum LockfileTOML {
    static func packages(_ bytes: [UInt8], path: String, layer: Int?, format: PackageFormat) throws -> [InstalledPackage] {
        let document: TOMLSubset.Document
        do {
            document = try TOMLSubset.parseDocument(bytes)
        } catch {
            throw AnalyzerError(file: path, "line \(error.line): \(error.message)")
        }
        guard let entries = document.root["package"] else { return [] }
        guard case .array(let tables) = entries else { throw AnalyzerError(file: path, "'package' is not an array of tables") }
        let lines = document.arrayTableLines["package"] ?? []
        var packages: [InstalledPackage] = []
        for (index, entry) in tables.enumerated() {
            let fields = entry.table ?? [:]
            let line = index < lines.count ? lines[index] : 0
            guard let name = fields["name"]?.string, !name.isEmpty else {
                throw AnalyzerError(file: path, "line \(line): [[package]] without a name")
            }
            guard let version = fields["version"]?.string, !version.isEmpty else {
                throw AnalyzerError(file: path, "line \(line): package '\(name)' has no version")
            }
            packages.append(.language(format, name: name, version: version, path: path, layer: layer))
        }
        return packages
    }
}
