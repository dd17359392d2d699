import JSONValue

/// The packages of an SPDX 2.3 JSON document: each package's `purl` external reference, its
/// `name`/`versionInfo`, `Key: value` annotations (what Vigil and Trivy write: `PkgType`,
/// `SrcName`, `FilePath`…) and `sourceInfo` (`built package from: src 1.2-3`); the OS from the
/// package whose `primaryPackagePurpose` is `OPERATING-SYSTEM`.
enum SPDXPackages {
    static func read(_ root: JSON, path: String) throws -> ([SBOMComponent], OperatingSystem?, Int) {
        guard let list = root["packages"] else { return ([], nil, 0) }
        guard let packages = list.arrayValue else { throw AnalyzerError(file: path, "$.packages: expected an array") }
        var components: [SBOMComponent] = []
        var os: OperatingSystem?
        var skipped = 0
        for (i, pkg) in packages.enumerated() {
            let here = "$.packages[\(i)]"
            guard pkg.objectValue != nil else { throw AnalyzerError(file: path, "\(here): expected an object") }
            let name = try CycloneDXComponents.string(pkg, "name", here, path)
            let version = try CycloneDXComponents.string(pkg, "versionInfo", here, path)
            let purpose = try CycloneDXComponents.string(pkg, "primaryPackagePurpose", here, path)
            if purpose == "OPERATING-SYSTEM" {
                if let name, let version { os = OperatingSystem(family: name.lowercased(), name: version) }
                continue
            }
            var purlText: String?
            if let refs = pkg["externalRefs"] {
                guard let items = refs.arrayValue else { throw AnalyzerError(file: path, "\(here).externalRefs: expected an array") }
                for (j, ref) in items.enumerated() where ref["referenceType"]?.stringValue == "purl" {
                    guard let locator = ref["referenceLocator"]?.stringValue else {
                        throw AnalyzerError(file: path, "\(here).externalRefs[\(j)].referenceLocator: expected a string")
                    }
                    purlText = locator
                    break
                }
            }
            guard let purlText else {
                // The described artifact (an image, a source tree) is no package to match.
                if !["CONTAINER", "SOURCE", "APPLICATION"].contains(purpose ?? "") { skipped += 1 }
                continue
            }
            guard let purl = ParsedPackageURL(purlText) else {
                throw AnalyzerError(file: path, "\(here).externalRefs: '\(purlText.prefix(120))' is not a package URL")
            }
            var properties: [String: String] = [:]
            for annotation in pkg["annotations"]?.arrayValue ?? [] {
                guard let comment = annotation["comment"]?.stringValue, let colon = comment.firstIndex(of: ":") else { continue }
                let value = comment[comment.index(after: colon)...].drop { $0 == " " }
                properties[String(comment[..<colon])] = String(value)
            }
            if properties["SrcName"] == nil, let info = pkg["sourceInfo"]?.stringValue, info.hasPrefix("built package from: ") {
                let words = info.dropFirst("built package from: ".count).split(separator: " ")
                if words.count == 2 { properties["SrcName"] = String(words[0]) }
            }
            components.append(SBOMComponent(location: here, purl: purl, name: name, version: version, properties: properties))
        }
        return (components, os, skipped)
    }
}
