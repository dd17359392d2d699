/// An installed gem's `specifications/*.gemspec`, read as text and never evaluated, as Trivy's
/// `gemspec` analyzer reads it: after the `Gem::Specification.new do |s|` line, the assignments
/// `s.name = …`, `s.version = …`, `s.license(s) = …`. RubyGems writes these files itself
/// (`"rack".freeze`, `Gem::Version.new("1.2")` in older ones; Debian's gem2deb writes plain
/// literals); a value that is not a string literal is reported, never guessed at.
enum GemspecParser {
    static func parse(_ bytes: [UInt8]) throws(InstalledMetadataProblem) -> [InstalledMetadataSample.Package] {
        var variable: Substring?
        var name: String?, version: String?, licenses: [String]?
        for (number, raw) in TextLines.lines(bytes) {
            let line = raw.trimmed
            if line.contains("Gem::Specification.new") {
                variable = blockVariable(line)
            }
            guard let v = variable else { continue }
            func value(of field: String) -> Substring? {
                guard line.hasPrefix(v), line.dropFirst(v.count).hasPrefix("." + field) else { return nil }
                var rest = line.dropFirst(v.count + 1 + field.count).drop { $0 == " " || $0 == "\t" }
                guard rest.first == "=", rest.dropFirst().first != "=" else { return nil }
                rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
                return rest
            }
            if name == nil, let rhs = value(of: "name") {
                name = try literal(rhs, field: "name", line: number)
            } else if version == nil, let rhs = value(of: "version") {
                version = try literal(Self.unwrapVersion(rhs), field: "version", line: number)
            } else if licenses == nil, let rhs = value(of: "licenses") {
                licenses = try list(rhs, line: number)
            } else if licenses == nil, let rhs = value(of: "license") {
                licenses = LicenseNames.split(try literal(rhs, field: "license", line: number))
            }
            if name != nil, version != nil, licenses != nil { break }
        }
        guard variable != nil else { throw InstalledMetadataProblem("no 'Gem::Specification.new do |s|' block") }
        guard let name, !name.isEmpty else { throw InstalledMetadataProblem("no name assignment") }
        guard let version, !version.isEmpty else { throw InstalledMetadataProblem("no version assignment") }
        return [InstalledMetadataSample.Package(name: name, version: version, licenses: licenses ?? [])]
    }

    /// `s` of `Gem::Specification.new do |s|`.
    static func blockVariable(_ line: Substring) -> Substring? {
        guard let open = line.firstIndex(of: "|") else { return nil }
        let rest = line[line.index(after: open)...]
        guard let close = rest.firstIndex(of: "|") else { return nil }
        let v = rest[..<close].trimmed
        return v.isEmpty ? nil : v
    }

    /// `Gem::Version.new("1.2")` or `Gem::Version.new "1.2"` → `"1.2"`.
    static func unwrapVersion(_ rhs: Substring) -> Substring {
        guard rhs.hasPrefix("Gem::Version.new") else { return rhs }
        var inner = rhs.dropFirst("Gem::Version.new".count).drop { $0 == " " || $0 == "(" }
        if let close = inner.lastIndex(of: ")") { inner = inner[..<close] }
        return inner
    }

    /// A Ruby string literal (`"x"`, `'x'`, optionally `.freeze`), whole on the line.
    static func literal(_ rhs: Substring, field: String, line: Int) throws(InstalledMetadataProblem) -> String {
        var rest = rhs
        guard let s = takeString(&rest) else {
            throw InstalledMetadataProblem("line \(line): \(field) is not a string literal ('\(NodePackageJSONParser.printable(String(rhs)))')")
        }
        return s
    }

    /// `["MIT".freeze, "Ruby"]`.
    static func list(_ rhs: Substring, line: Int) throws(InstalledMetadataProblem) -> [String] {
        guard rhs.first == "[" else {
            throw InstalledMetadataProblem("line \(line): licenses is not a list of string literals")
        }
        var rest = rhs.dropFirst()
        var items: [String] = []
        while true {
            rest = rest.drop { $0 == " " || $0 == "\t" }
            if rest.first == "]" { return items }
            guard let s = takeString(&rest) else {
                throw InstalledMetadataProblem("line \(line): licenses is not a list of string literals")
            }
            items.append(s)
            rest = rest.drop { $0 == " " || $0 == "\t" }
            if rest.first == "," { rest = rest.dropFirst() }
        }
    }

    /// Consumes a quoted string and an optional `.freeze`; nil if `rest` does not start with one.
    /// Double-quoted strings keep their escapes' characters (`\"` → `"`); interpolation (`#{`)
    /// is not a literal.
    static func takeString(_ rest: inout Substring) -> String? {
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        var out = ""
        var i = rest.index(after: rest.startIndex)
        while i < rest.endIndex {
            let c = rest[i]
            if c == quote {
                rest = rest[rest.index(after: i)...]
                if rest.hasPrefix(".freeze") { rest = rest.dropFirst(7) }
                return out
            }
            if c == "\\" {
                i = rest.index(after: i)
                guard i < rest.endIndex else { return nil }
                out.append(rest[i])
            } else if quote == "\"", c == "#", rest[rest.index(after: i)...].hasPrefix("{") {
                return nil
            } else {
                out.append(c)
            }
            i = rest.index(after: i)
        }
        return nil
    }
}
