/// `pom.xml` (`Type` `pom`) read on its own: no network, no local repository, no parent POM
/// beyond the file. Packages are the project itself (`groupId:artifactId`, groupId and version
/// inherited from `<parent>` when the project omits them, as Maven does) and each `<dependency>`
/// of `<dependencies>` whose version this file decides: written there, or given by this file's
/// `<dependencyManagement>`, with `${…}` resolved from this file's `<properties>`,
/// `project.version`/`project.groupId`/`project.artifactId` (and their `pom.`-less and
/// `parent.` forms). `test`-scoped dependencies are left out (they are not part of what runs).
/// Dependencies whose version comes from a parent, an imported BOM or a property this file does
/// not define cannot be resolved offline: they are counted in one warning per file, not guessed.
/// Transitive dependencies are not listed (Trivy fetches their POMs from repositories).
enum PomParser {
    static func parse(_ bytes: [UInt8], path: String, layer: Int?, warn: (String) -> Void) throws -> [InstalledPackage] {
        let root: MarkupElement
        do {
            root = try MarkupElement.parse(bytes)
        } catch {
            throw AnalyzerError(file: path, "line \(error.line): \(error.message)")
        }
        guard root.name == "project" else { throw AnalyzerError(file: path, "line \(root.line): the root element is <\(root.name)>, not <project>") }
        let parent = root.child("parent")
        var properties: [String: String] = [:]
        for p in root.child("properties")?.children ?? [] { properties[p.name] = p.text.trimmedWhitespace }
        let groupID = root.value("groupId") ?? parent?.value("groupId")
        let version = root.value("version") ?? parent?.value("version")
        for (key, value) in [("groupId", groupID), ("artifactId", root.value("artifactId")), ("version", version)] {
            guard let value else { continue }
            properties["project." + key] = value
            properties["pom." + key] = value
            properties[key] = properties[key] ?? value
        }
        if let pg = parent?.value("groupId") { properties["project.parent.groupId"] = pg; properties["parent.groupId"] = pg }
        if let pv = parent?.value("version") { properties["project.parent.version"] = pv; properties["parent.version"] = pv }

        func resolve(_ text: String?) -> String? {
            guard var s = text else { return nil }
            // Properties may refer to properties; ten rounds end any cycle.
            for _ in 0..<10 where s.contains("${") {
                var out = "", rest = Substring(s)
                while let open = rest.firstRange(of: "${") {
                    out += rest[..<open.lowerBound]
                    guard let close = rest[open.upperBound...].firstIndex(of: "}") else { out += rest[open.lowerBound...]; rest = ""; break }
                    let key = String(rest[open.upperBound..<close])
                    out += properties[key] ?? "${\(key)}"
                    rest = rest[rest.index(after: close)...]
                }
                s = out + rest
            }
            return s.contains("${") ? nil : s
        }

        var managed: [String: String] = [:]
        for dep in root.child("dependencyManagement")?.child("dependencies")?.children ?? [] where dep.name == "dependency" {
            guard let g = resolve(dep.value("groupId")), let a = resolve(dep.value("artifactId")), let v = resolve(dep.value("version")) else { continue }
            managed["\(g):\(a)"] = v
        }

        var found: [String: InstalledPackage] = [:]
        func add(_ name: String, _ version: String, _ line: Int) throws {
            // `[1.0,2.0)` ranges and `LATEST` are not versions to match.
            guard isExactVersion(version) else { return }
            found[name + "@" + version] = .language(.pom, name: name, version: version, path: path, layer: layer)
        }
        if let g = resolve(groupID), let a = resolve(root.value("artifactId")), let v = resolve(version) {
            try add("\(g):\(a)", v, root.line)
        }
        var unresolved = 0
        for dep in root.child("dependencies")?.children ?? [] where dep.name == "dependency" {
            if dep.value("scope") == "test" { continue }
            guard let g = resolve(dep.value("groupId")), let a = resolve(dep.value("artifactId")) else {
                throw AnalyzerError(file: path, "line \(dep.line): <dependency> without a resolvable groupId and artifactId")
            }
            guard let v = resolve(dep.value("version")) ?? managed["\(g):\(a)"] else { unresolved += 1; continue }
            try add("\(g):\(a)", v, dep.line)
        }
        if unresolved > 0 {
            warn("\(path): \(unresolved) dependenc\(unresolved == 1 ? "y takes its" : "ies take their") version from a parent POM, an imported BOM or an undefined property, which are not read (no network): not listed")
        }
        return Array(found.values)
    }

    static func isExactVersion(_ v: String) -> Bool {
        !v.isEmpty && !v.contains("[") && !v.contains("(") && !v.contains(",") && v != "LATEST" && v != "RELEASE"
    }
}
