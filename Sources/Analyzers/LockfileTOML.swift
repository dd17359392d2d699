/// Reads the `[[package]]` tables of TOML lockfiles (`poetry.lock`, `Cargo.lock`): their
/// `name` and `version` keys. Only as much TOML as those files use is understood — tables, arrays
/// of tables, `key = value` with basic and literal strings; other values (arrays, inline tables,
/// multi-line strings, numbers) are skipped, spanning lines when they do.
enum LockfileTOML {
    static func packages(_ bytes: [UInt8], path: String, layer: Int?, format: PackageFormat) throws -> [InstalledPackage] {
        var packages: [InstalledPackage] = []
        var inPackage = false
        var fields: [String: String] = [:]
        var tableLine = 0
        var depth = 0  // open brackets/braces of a multi-line value
        var inMultilineString: String?  // the closing delimiter
        var fieldsLocked = false  // inside a `[package.x]` sub-table

        func flush() throws {
            defer { fields = [:] }
            guard inPackage else { return }
            guard let name = fields["name"], !name.isEmpty else {
                throw AnalyzerError(file: path, "line \(tableLine): [[package]] without a name")
            }
            guard let version = fields["version"], !version.isEmpty else {
                throw AnalyzerError(file: path, "line \(tableLine): package '\(name)' has no version")
            }
            packages.append(.language(format, name: name, version: version, path: path, layer: layer))
        }

        for (number, raw) in TextLines.lines(bytes) {
            if let closing = inMultilineString {
                if raw.contains(closing) { inMultilineString = nil }
                continue
            }
            let line = raw.trimmed
            if depth > 0 {
                depth += bracketBalance(line)
                if depth < 0 { throw AnalyzerError(file: path, "line \(number): unbalanced ']' or '}'") }
                continue
            }
            if line.isEmpty || line.first == "#" { continue }
            if line.first == "[" {
                let isArray = line.hasPrefix("[[")
                let header = line.drop { $0 == "[" }.prefix { $0 != "]" }.trimmed
                guard line.contains("]") else { throw AnalyzerError(file: path, "line \(number): unterminated table header") }
                if !isArray, header.hasPrefix("package.") {
                    // `[package.dependencies]` and friends belong to the package above but carry
                    // none of its own fields.
                    fieldsLocked = true
                    continue
                }
                try flush()
                fieldsLocked = false
                inPackage = isArray && header == "package"
                tableLine = number
                continue
            }
            guard let eq = line.firstIndex(of: "=") else {
                throw AnalyzerError(file: path, "line \(number): expected 'key = value', got '\(line.prefix(60))'")
            }
            let key = String(line[..<eq].trimmed).trimming("\"")
            let value = line[line.index(after: eq)...].trimmed
            if value.hasPrefix("\"\"\"") || value.hasPrefix("'''") {
                let delimiter = String(value.prefix(3))
                if !value.dropFirst(3).contains(delimiter) { inMultilineString = delimiter }
                continue
            }
            if let string = try basicOrLiteralString(value, path: path, line: number) {
                if inPackage, !fieldsLocked { fields[key] = string }
                continue
            }
            depth = bracketBalance(value)
            if depth < 0 { throw AnalyzerError(file: path, "line \(number): unbalanced ']' or '}'") }
        }
        if inMultilineString != nil || depth > 0 {
            throw AnalyzerError(file: path, "unexpected end of file inside a multi-line value")
        }
        try flush()
        return packages
    }

    /// `"text"` (with escapes) or `'text'`; nil for any other value.
    static func basicOrLiteralString(_ value: Substring, path: String, line: Int) throws -> String? {
        guard let quote = value.first, quote == "\"" || quote == "'" else { return nil }
        var out = ""
        var i = value.index(after: value.startIndex)
        while i < value.endIndex {
            let c = value[i]
            if c == quote { return out }
            if c == "\\", quote == "\"" {
                i = value.index(after: i)
                guard i < value.endIndex else { break }
                switch value[i] {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "\"": out.append("\"")
                case "\\": out.append("\\")
                default: out.append(value[i])
                }
            } else {
                out.append(c)
            }
            i = value.index(after: i)
        }
        throw AnalyzerError(file: path, "line \(line): unterminated string")
    }

    /// Net count of `[`/`{` over `]`/`}` outside strings.
    static func bracketBalance(_ text: Substring) -> Int {
        var balance = 0
        var quote: Character?
        var escaped = false
        for c in text {
            if let q = quote {
                if escaped { escaped = false } else if c == "\\" && q == "\"" { escaped = true } else if c == q { quote = nil }
                continue
            }
            switch c {
            case "\"", "'": quote = c
            case "[", "{": balance += 1
            case "]", "}": balance -= 1
            case "#": return balance
            default: break
            }
        }
        return balance
    }
}
