/// Installed Python distributions: the core metadata file of a wheel install
/// (`<name>-<ver>.dist-info/METADATA`) or an egg (`*.egg-info/PKG-INFO`, or a `*.egg-info` file).
/// Both are RFC 822 headers (Python's "core metadata"), then a blank line and the description.
enum PythonMetadataParser {
    /// Only files under a `site-packages` or `dist-packages` directory are installed packages;
    /// the same names elsewhere are source trees and build leftovers.
    static func isInstalledLocation(_ path: String) -> Bool {
        path.split(separator: "/").contains { $0 == "site-packages" || $0 == "dist-packages" }
    }

    static func parse(_ bytes: [UInt8], path: String, layer: Int?) throws -> InstalledPackage {
        var name: String?
        var version: String?
        var licenses: [String] = []
        var lastNumber = 0
        for (number, line) in TextLines.lines(bytes) {
            lastNumber = number
            if line.isEmpty { break }  // end of headers; the description follows
            if line.first == " " || line.first == "\t" { continue }  // folded continuation
            guard let colon = line.firstIndex(of: ":") else {
                throw AnalyzerError(file: path, "line \(number): expected 'Field: value' in Python package metadata, got '\(line.prefix(60))'")
            }
            let key = line[..<colon].lowercased()
            let value = String(line[line.index(after: colon)...].trimmed)
            switch key {
            case "name": name = value
            case "version": version = value
            case "license-expression": licenses = [value]
            case "license" where licenses.isEmpty && !value.isEmpty && value.uppercased() != "UNKNOWN" && value.count < 80:
                licenses = [value]
            case "classifier" where value.hasPrefix("License :: ") && licenses.isEmpty:
                if let last = value.split(separator: ":").last.map({ String(Substring($0).trimmed) }), !last.isEmpty,
                   last != "OSI Approved" { licenses = [last] }
            default: break
            }
        }
        guard let name, !name.isEmpty else {
            throw AnalyzerError(file: path, "line \(max(lastNumber, 1)): Python package metadata without a Name field")
        }
        guard let version, !version.isEmpty else {
            throw AnalyzerError(file: path, "line \(max(lastNumber, 1)): Python package '\(name)' has no Version field")
        }
        return .language(.pythonPackage, name: name, version: version, path: path, layer: layer, licenses: licenses)
    }
}

/// `requirements.txt`: only exact pins (`name==1.2.3`, `name[extra]===1.2.3 ; markers`) say
/// what will be installed; ranges, URLs, editable installs and options are skipped, as Trivy's
/// pip analyzer does.
enum RequirementsParser {
    static func parse(_ bytes: [UInt8], path: String, layer: Int?) throws -> [InstalledPackage] {
        var packages: [InstalledPackage] = []
        var pending = ""
        var pendingLine = 0
        for (number, raw) in TextLines.lines(bytes) {
            var line = raw
            // A comment starts at `#` at the line start or after whitespace.
            if let hash = line.indices.first(where: { line[$0] == "#" && ($0 == line.startIndex || [" ", "\t"].contains(line[line.index(before: $0)])) }) {
                line = line[..<hash]
            }
            if pending.isEmpty { pendingLine = number }
            if line.trimmed.hasSuffix("\\") {
                pending += line.trimmed.dropLast() + " "
                continue
            }
            let text = (pending + line).trimming(" \t")
            pending = ""
            if text.isEmpty || text.hasPrefix("-") { continue }
            guard let pin = text.firstRange(of: "==") else { continue }
            let nameSpec = text[..<pin.lowerBound].trimming(" \t")
            var versionSpec = Substring(text[pin.upperBound...])
            if versionSpec.first == "=" { versionSpec = versionSpec.dropFirst() }  // `===`
            let version = versionSpec.prefix { !" \t;,".contains($0) }.trimming(" \t")
            if versionSpec.dropFirst(version.count).trimmed.first == "," { continue }  // `==1.0,<2`: not a single pin
            let name = nameSpec.prefix { $0 != "[" && $0 != " " && $0 != "<" && $0 != ">" && $0 != "!" && $0 != "~" }
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
                throw AnalyzerError(file: path, "line \(pendingLine): cannot read a package name in '\(text.prefix(60))'")
            }
            guard !version.isEmpty, !version.contains("*") else {
                if version.contains("*") { continue }  // `==1.*` is a prefix match, not a pin
                throw AnalyzerError(file: path, "line \(pendingLine): '\(name)' is pinned with '==' but no version")
            }
            packages.append(.language(.pip, name: String(name), version: version, path: path, layer: layer))
        }
        return packages
    }
}

extension StringProtocol {
    func trimming(_ set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
