/// The build information Go's linker embeds in every binary (the `\xff Go buildinf:` blob): the
/// toolchain version and the module list `go version -m` prints, read as Go's debug/buildinfo
/// does and reduced to packages as Trivy's gobinary parser does: `stdlib` at the toolchain
/// version (`v1.21.5`), every dependency (its replacement when replaced), and the main module
/// with its version, or the one stamped with `-ldflags -X …version=`, or none (`(devel)`).
struct GoBuildInfo: Equatable {
    var goVersion: String
    var mainPath: String?
    var mainVersion: String?
    var deps: [(path: String, version: String)]
    var settings: [(key: String, value: String)]

    static func == (a: GoBuildInfo, b: GoBuildInfo) -> Bool {
        a.goVersion == b.goVersion && a.mainPath == b.mainPath && a.mainVersion == b.mainVersion
            && a.deps.elementsEqual(b.deps, by: { $0 == $1 }) && a.settings.elementsEqual(b.settings, by: { $0 == $1 })
    }

    /// debug/buildinfo searches this much of the data start for the blob.
    static let searchSize = 64 << 10
    /// Module lists of big programs are tens of KiB; anything past this is not a build info.
    static let maxInfoSize = 4 << 20

    enum Outcome: Equatable {
        case found(GoBuildInfo)
        case notGo
        /// Go before 1.18 stores pointers to the strings; `resolve` could not follow them.
        case pointerFormat
    }

    /// The blob's bytes as `magicBytes`: `\xff` then ` Go buildinf:`.
    static var magicBytes: [UInt8] { [0xFF] + Array(" Go buildinf:".utf8) }

    /// Searches `data` (the bytes from the data start, which is 16-aligned in memory as in the
    /// file) for the blob and decodes it. `pointerReader(address, bigEndian, pointerSize)` reads
    /// the pointer format's strings (nil when the bytes are not at hand).
    static func decode(_ data: ArraySlice<UInt8>, pointerReader: ((Int, Bool, Int) -> [UInt8]?)? = nil) -> Outcome {
        let magic = magicBytes
        let searchEnd = min(data.endIndex, data.startIndex + searchSize)
        var i = data.startIndex
        var found: Int?
        while i + 32 <= searchEnd {
            if data[i] == 0xFF, data[i..<(i + magic.count)].elementsEqual(magic) { found = i; break }
            i += 16
        }
        guard let start = found else { return .notGo }
        let ptrSize = Int(data[start + 14]), flags = data[start + 15]
        // The module text is framed by binary sentinels: kept as bytes until they are stripped.
        var version = "", modBytes: [UInt8] = []
        if flags & 2 != 0 {
            var p = start + 32
            guard let v = readVarintBytes(data, &p), let m = readVarintBytes(data, &p) else { return .notGo }
            (version, modBytes) = (String(decoding: v, as: UTF8.self), m)
        } else {
            guard let pointerReader, ptrSize == 4 || ptrSize == 8 else { return .pointerFormat }
            let bigEndian = flags != 0
            func pointer(_ at: Int) -> Int? {
                var v = 0
                for k in 0..<ptrSize {
                    v |= Int(data[at + k]) << (bigEndian ? 8 * (ptrSize - 1 - k) : 8 * k)
                }
                return v
            }
            guard let vp = pointer(start + 16), let mp = pointer(start + 16 + ptrSize),
                  let v = pointerReader(vp, bigEndian, ptrSize) else { return .pointerFormat }
            version = String(decoding: v, as: UTF8.self)
            modBytes = pointerReader(mp, bigEndian, ptrSize) ?? []
        }
        guard !version.isEmpty else { return .notGo }
        // Strip the sentinels framing the module info (cmd/go's infoStart and infoEnd).
        let text = modBytes.count >= 33 && modBytes[modBytes.count - 17] == 0x0A
            ? String(decoding: modBytes[16..<(modBytes.count - 16)], as: UTF8.self) : ""
        return .found(parse(version: version, modInfo: text))
    }

    private static func readVarintBytes(_ data: ArraySlice<UInt8>, _ p: inout Int) -> [UInt8]? {
        var value = 0, shift = 0
        while true {
            guard p < data.endIndex, shift < 63 else { return nil }
            let b = data[p]
            p += 1
            value |= Int(b & 0x7F) << shift
            if b & 0x80 == 0 { break }
            shift += 7
        }
        guard value >= 0, value <= maxInfoSize, value < data.endIndex - p else { return nil }
        defer { p += value }
        return Array(data[p..<(p + value)])
    }

    /// runtime/debug's `ParseBuildInfo` over the module text (`path`, `mod`, `dep`, `=>`, `build` lines).
    static func parse(version: String, modInfo: String) -> GoBuildInfo {
        var info = GoBuildInfo(goVersion: version, mainPath: nil, mainVersion: nil, deps: [], settings: [])
        var lastWasMain = false
        for line in modInfo.split(separator: "\n") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            switch f.first {
            case "path": continue // the main package's import path; the main module is `mod`
            case "mod":
                if f.count >= 3 { info.mainPath = f[1]; info.mainVersion = f[2] }
                lastWasMain = true
            case "dep":
                if f.count >= 3 { info.deps.append((f[1], f[2])) }
                lastWasMain = false
            case "=>":
                guard f.count >= 3 else { continue }
                if lastWasMain { info.mainPath = f[1]; info.mainVersion = f[2] } else if !info.deps.isEmpty { info.deps[info.deps.count - 1] = (f[1], f[2]) }
            case "build":
                guard f.count >= 2, let eq = f[1].firstIndex(of: "=") else { continue }
                info.settings.append((String(f[1][..<eq]), unquote(String(f[1][f[1].index(after: eq)...]))))
            default: continue
            }
        }
        return info
    }

    /// Go quotes a build setting's value with `strconv.Quote` when it holds spaces or quotes.
    static func unquote(_ s: String) -> String {
        guard s.count >= 2, s.first == "\"", s.last == "\"" else { return s }
        var out = "", escaped = false
        for c in s.dropFirst().dropLast() {
            if escaped {
                switch c { case "n": out.append("\n"); case "t": out.append("\t"); default: out.append(c) }
                escaped = false
            } else if c == "\\" { escaped = true } else { out.append(c) }
        }
        return out
    }

    /// The packages Trivy reports for this binary: name and version, `stdlib` first.
    var packages: [(name: String, version: String)] {
        var result: [(String, String)] = [("stdlib", Self.stdlibVersion(goVersion))]
        for dep in deps where !dep.path.isEmpty {
            result.append((dep.path, dep.version == "(devel)" ? "" : dep.version))
        }
        if let mainPath, !mainPath.isEmpty {
            var version = mainVersion == "(devel)" ? "" : (mainVersion ?? "")
            if version.isEmpty || Self.isPseudoVersion(version) {
                let stamped = ldflagsVersion(module: mainPath)
                if !stamped.isEmpty { version = stamped }
            }
            result.append((mainPath, version))
        }
        return result
    }

    /// `go1.21.5` → `v1.21.5`; a GOEXPERIMENT list (` X:…`, `-X:…`) or vendor suffix is dropped.
    static func stdlibVersion(_ goVersion: String) -> String {
        var v = goVersion.hasPrefix("go") ? String(goVersion.dropFirst(2)) : goVersion
        if let space = v.firstIndex(of: " ") { v = String(v[..<space]) }
        let u = Array(v.utf8)
        if let x = u.indices.first(where: { u[$0...].starts(with: "-X:".utf8) }) { v = String(decoding: u[..<x], as: UTF8.self) }
        return "v" + v
    }

    /// The main module's version stamped with `-ldflags -X key=value`, Trivy's rule: keys ending
    /// in `.version`/`.ver` whose value is semver; `<module>/cmd/…` keys first, then `main.`,
    /// `common.`, `version.`, `cmd.`, then the rest; two different values in a tier give none.
    func ldflagsVersion(module: String) -> String {
        guard let flags = settings.first(where: { $0.key == "-ldflags" })?.value else { return "" }
        let words = Self.shellWords(flags)
        var assignments: [String: String] = [:]
        var i = 0
        while i < words.count {
            let w = words[i]
            var assignment: String?
            if w == "-X" || w == "--X" {
                if i + 1 < words.count { assignment = words[i + 1]; i += 1 }
            } else if w.hasPrefix("-X=") { assignment = String(w.dropFirst(3)) } else if w.hasPrefix("--X=") { assignment = String(w.dropFirst(4)) }
            i += 1
            guard let assignment, let eq = assignment.firstIndex(of: "=") else { continue }
            assignments[String(assignment[..<eq])] = String(assignment[assignment.index(after: eq)...])
        }
        var tiers: [[String]] = [[], [], []]
        for (rawKey, rawValue) in assignments {
            let key = rawKey.drop { $0 == "'" }, value = String(rawValue.reversed().drop { $0 == "'" }.reversed())
            let lower = key.lowercased()
            guard lower.hasSuffix(".version") || lower.hasSuffix(".ver"), Self.isSemver(value) || Self.isSemver("v" + value) else { continue }
            let last = key.split(separator: "/").last.map(String.init) ?? String(key)
            let prefix = (last.split(separator: ".", maxSplits: 1).first.map(String.init) ?? last).lowercased()
            if key.hasPrefix(module + "/cmd/") { tiers[0].append(value) }
            else if ["main", "common", "version", "cmd"].contains(prefix) { tiers[1].append(value) }
            else { tiers[2].append(value) }
        }
        for tier in tiers where !tier.isEmpty { return tier.count == 1 ? tier[0] : "" }
        return ""
    }

    /// Splits like a POSIX shell: spaces separate, single and double quotes group, `\` escapes.
    static func shellWords(_ s: String) -> [String] {
        var words: [String] = [], current = "", inWord = false
        var quote: Character?
        var escaped = false
        for c in s {
            if escaped { current.append(c); escaped = false; inWord = true; continue }
            if c == "\\" && quote != "'" { escaped = true; continue }
            if let q = quote {
                if c == q { quote = nil } else { current.append(c) }
                continue
            }
            if c == "'" || c == "\"" { quote = c; inWord = true; continue }
            if c == " " || c == "\t" || c == "\n" {
                if inWord { words.append(current); current = ""; inWord = false }
                continue
            }
            current.append(c)
            inWord = true
        }
        if inWord { words.append(current) }
        return words
    }

    /// golang.org/x/mod/semver's `IsValid`: `v` major[.minor[.patch]] [-pre] [+build].
    static func isSemver(_ v: String) -> Bool {
        guard v.hasPrefix("v") else { return false }
        var rest = Substring(v.dropFirst())
        if let plus = rest.firstIndex(of: "+") {
            let build = rest[rest.index(after: plus)...]
            guard !build.isEmpty, build.split(separator: ".", omittingEmptySubsequences: false).allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") } }) else { return false }
            rest = rest[..<plus]
        }
        if let dash = rest.firstIndex(of: "-") {
            let pre = rest[rest.index(after: dash)...]
            guard !pre.isEmpty, pre.split(separator: ".", omittingEmptySubsequences: false).allSatisfy({ id in
                !id.isEmpty && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
                    && !(id.count > 1 && id.first == "0" && id.allSatisfy(\.isNumber))
            }) else { return false }
            rest = rest[..<dash]
        }
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count) else { return false }
        return parts.allSatisfy { p in !p.isEmpty && p.allSatisfy { $0.isASCII && $0.isNumber } && !(p.count > 1 && p.first == "0") }
    }

    /// golang.org/x/mod/module's `IsPseudoVersion`: a 14-digit timestamp and a revision after
    /// a `0.` or `-` (`v0.0.0-20191109021931-daa7c04131f5`, `v1.2.4-0.20191109021931-daa7c04131f5`).
    static func isPseudoVersion(_ v: String) -> Bool {
        guard v.filter({ $0 == "-" }).count >= 1, isSemver(v) else { return false }
        let core = v.split(separator: "+", maxSplits: 1).first.map(String.init) ?? v
        let parts = core.split(separator: "-")
        guard parts.count >= 3, let revision = parts.last, revision.allSatisfy(\.isHexDigit), !revision.isEmpty else { return false }
        let stamp = parts[parts.count - 2]
        let digits = stamp.split(separator: ".").last.map(String.init) ?? String(stamp)
        return digits.count == 14 && digits.allSatisfy(\.isNumber)
    }
}
