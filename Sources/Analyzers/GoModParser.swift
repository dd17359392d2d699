import ContainerImage
import Versioning

/// `go.mod`: the `require` directives (single-line and blocks), with `replace` directives applied
/// (a replacement by another module version changes the name and version; one by a local path
/// drops the module, as there is no version to match). Since Go 1.17 `go.mod` lists every module
/// in the build; for older modules the missing indirect ones come from `go.sum`, as Trivy does.
enum GoModParser {
    static func parse(_ bytes: [UInt8], path: String, layer: Int?, goSum: FoundFile?) throws -> [InstalledPackage] {
        var requires: [(name: String, version: String)] = []
        var replaces: [(from: String, fromVersion: String?, to: String, toVersion: String?)] = []
        var goVersion: String?
        var block: String?

        for (number, raw) in TextLines.lines(bytes) {
            var line = raw
            if let comment = line.firstRange(of: "//") { line = line[..<comment.lowerBound] }
            line = line.trimmed
            if line.isEmpty { continue }
            if let current = block {
                if line == ")" { block = nil; continue }
                try directive(current, Array(line.split(whereSeparator: { $0 == " " || $0 == "\t" })), number)
                continue
            }
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let verb = words.first else { continue }
            if words.count == 2, words[1] == "(" {
                block = String(verb)
                continue
            }
            try directive(String(verb), Array(words.dropFirst()), number)
        }
        if block != nil { throw AnalyzerError(file: path, "unexpected end of file inside a '\(block!) (' block") }

        func directive(_ verb: String, _ args: [Substring], _ number: Int) throws {
            switch verb {
            case "go":
                goVersion = args.first.map(String.init)
            case "require":
                guard args.count == 2 else {
                    throw AnalyzerError(file: path, "line \(number): expected 'module version' in require, got '\(args.joined(separator: " "))'")
                }
                requires.append((unquote(args[0]), unquote(args[1])))
            case "replace":
                guard let arrow = args.firstIndex(of: "=>"), arrow > 0, arrow < args.count - 1 else {
                    throw AnalyzerError(file: path, "line \(number): expected 'module [version] => target [version]' in replace")
                }
                let left = args[..<arrow], right = args[(arrow + 1)...]
                replaces.append((unquote(left.first!), left.count > 1 ? unquote(left.last!) : nil,
                                 unquote(right.first!), right.count > 1 ? unquote(right.last!) : nil))
            default:
                break  // module, exclude, retract, toolchain, godebug
            }
        }

        var modules: [String: String] = [:]
        for (name, version) in requires { modules[name] = version }
        // Before 1.17 the indirect dependencies are only in go.sum (`module version h1:…`).
        if let goSum, let go = goVersion, VersionComparator.compare(go + (go.count(where: { $0 == "." }) == 1 ? ".0" : ""), "1.17.0", scheme: .semver) < 0 {
            for (_, line) in TextLines.lines(goSum.bytes) {
                let words = line.split(separator: " ")
                guard words.count == 3, !words[1].hasSuffix("/go.mod") else { continue }
                let name = String(words[0]), version = String(words[1])
                if let existing = modules[name], VersionComparator.compare(existing, version, scheme: .semver) >= 0 { continue }
                if requires.contains(where: { $0.name == name }) { continue }
                modules[name] = version
            }
        }
        for r in replaces {
            guard let version = modules[r.from], r.fromVersion == nil || r.fromVersion == version else { continue }
            modules[r.from] = nil
            // A local directory replacement (`=> ../fork`) has no version to match.
            if let toVersion = r.toVersion { modules[r.to] = toVersion }
        }
        return modules.map { .language(.gomod, name: $0.key, version: $0.value, path: path, layer: layer) }
    }

    static func unquote(_ s: Substring) -> String {
        s.count >= 2 && (s.first == "\"" || s.first == "`") && s.last == s.first ? String(s.dropFirst().dropLast()) : String(s)
    }
}
