import Yams
import VigilCore

/// Parses Alpine secdb files (`v3.10/main.yaml`, or the same shape as JSON) and Wolfi's
/// `security.json`: `packages[].pkg.{name, secfixes: {fixedVersion: [ids]}}`.
///
/// Both YAML and JSON go through Yams' node tree: scalars keep their source text, so a key like
/// `1.10` stays `1.10` instead of becoming the Double 1.1, mapping order is kept, and errors
/// carry line numbers.
enum AlpineSecdbImporter {
    static func parse(path: String, data: [UInt8]) throws(VulnDBError) -> FeedParseResult {
        guard let text = String(validating: data, as: UTF8.self) else {
            throw VulnDBError(.malformedFeed, "\(path): not valid UTF-8")
        }
        try refuseAliases(path: path, data: data)
        let root = try compose(path: path, text: text)
        guard let root, case .mapping = root else {
            throw VulnDBError(.malformedFeed, "\(path)\(lineSuffix(root)): expected a mapping with distroversion and packages")
        }
        let ecosystem = try ecosystem(of: root, path: path)
        let source = ecosystem.family

        var result = FeedParseResult()
        guard let packagesNode = root["packages"], !isNull(packagesNode) else { return result }
        guard case let .sequence(packages) = packagesNode else {
            throw VulnDBError(.malformedFeed, "\(path)\(lineSuffix(packagesNode)): packages is not a list")
        }
        for entry in packages {
            guard let pkg = entry["pkg"], case .mapping = pkg else {
                result.skip("package entry without a pkg mapping")
                continue
            }
            guard let name = pkg["name"]?.scalar?.string, !name.isEmpty else {
                result.skip("package without a name")
                continue
            }
            guard let secfixes = pkg["secfixes"], !isNull(secfixes) else { continue }
            guard case let .mapping(fixes) = secfixes else {
                result.skip("secfixes is not a mapping")
                continue
            }
            for (versionNode, idsNode) in fixes {
                guard let version = versionNode.scalar?.string, !version.isEmpty else {
                    result.skip("secfixes key is not a version string")
                    continue
                }
                // "0" is the secdb convention for "this package was never affected".
                let notAffected = version == "0"
                for entryText in entries(idsNode, skipped: &result) {
                    for id in vulnerabilityIDs(in: entryText) {
                        result.batch.advisories.append(AdvisoryRecord(
                            vulnerabilityID: id, ecosystem: ecosystem, packageName: name,
                            status: notAffected ? .notAffected : .fixed,
                            fixedVersion: notAffected ? nil : version, source: source))
                    }
                }
            }
        }
        return result
    }

    /// Splits one secfixes list entry into ids.
    ///
    /// Entries carry extra text in the wild: `CVE-2019-5060 TALOS-2019-0844` (two ids),
    /// `CVE-2018-14468 (FrameRelay)` (a remark: parenthesised text ends the ids),
    /// `CVE 2018-16859` and `CVE_2019-2426` (typos for `CVE-…`, repaired).
    static func vulnerabilityIDs(in entry: String) -> [String] {
        let tokens = entry.split(whereSeparator: { $0 == " " || $0 == "\t" })
        var ids: [String] = []
        var k = 0
        while k < tokens.count {
            var token = tokens[k]
            k += 1
            if token.hasPrefix("(") { break }
            while let last = token.last, last == "," || last == ";" { token = token.dropLast() }
            guard !token.isEmpty else { continue }
            if token == "CVE", k < tokens.count, tokens[k].first?.isNumber == true {
                ids.append("CVE-" + tokens[k])
                k += 1
            } else if token.hasPrefix("CVE_") {
                ids.append("CVE-" + token.dropFirst(4))
            } else {
                ids.append(String(token))
            }
        }
        return ids
    }

    private static func entries(_ node: Node, skipped result: inout FeedParseResult) -> [String] {
        switch node {
        case let .sequence(items):
            return items.compactMap { item in
                guard let text = item.scalar?.string, !isNull(item) else {
                    result.skip("secfixes entry is not a string")
                    return nil
                }
                return text
            }
        case let .scalar(scalar):
            // `2.1-r0: CVE-2020-0001` (one id without a list) or an empty `2.1-r0:`.
            return isNull(node) ? [] : [scalar.string]
        default:
            result.skip("secfixes entry is not a string")
            return []
        }
    }

    /// `distroversion: v3.10` → alpine 3.10; no distroversion: Wolfi (`packages.wolfi.dev`,
    /// reponame `os`) or Chainguard (`packages.cgr.dev`), which have no releases.
    private static func ecosystem(of root: Node, path: String) throws(VulnDBError) -> Ecosystem {
        if let version = root["distroversion"]?.scalar?.string, !version.isEmpty {
            let release = version.hasPrefix("v") ? String(version.dropFirst()) : version
            return Ecosystem(family: "alpine", release: release)
        }
        let urlPrefix = root["urlprefix"]?.scalar?.string ?? ""
        let repoName = root["reponame"]?.scalar?.string ?? ""
        if urlPrefix.contains("cgr.dev") { return Ecosystem(family: "chainguard", release: "") }
        if urlPrefix.contains("wolfi.dev") || repoName == "os" { return Ecosystem(family: "wolfi", release: "") }
        throw VulnDBError(.malformedFeed, "\(path): no distroversion, and urlprefix/reponame do not name Wolfi or Chainguard")
    }

    /// Refuses YAML anchors and aliases (`&a`, `*a`). Secdb feeds never use them, and an alias
    /// "billion laughs" used as a mapping key makes composing exponential (Yams hashes the
    /// expanded key to detect duplicates): a small hostile file would hang the import.
    static func refuseAliases(path: String, data: [UInt8], feed: String = "secdb feeds") throws(VulnDBError) {
        var line = 1
        var previous: UInt8 = 0x0A
        var inSingle = false, inDouble = false
        // Inside a `|` or `>` block scalar (advisory descriptions) every character is text, so
        // lines more indented than the block's key are skipped: `{&var*}` there is no alias.
        var blockParentIndent: Int?
        var i = 0
        while i < data.count {
            if previous == 0x0A {
                var indent = 0
                while i + indent < data.count, data[i + indent] == 0x20 { indent += 1 }
                let end = FeedBytes.index(of: 0x0A, in: data, from: i) ?? data.count
                let blank = data[(i + indent)..<end].allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
                if let parent = blockParentIndent, blank || indent > parent {
                    line += 1
                    i = end + 1
                    continue
                }
                blockParentIndent = nil
                if Self.opensBlockScalar(data[(i + indent)..<end]) { blockParentIndent = indent }
            }
            let b = data[i]
            if b == 0x0A { line += 1; inSingle = false; inDouble = false; previous = b; i += 1; continue }
            if b == UInt8(ascii: "'") && !inDouble { inSingle.toggle() }
            if b == UInt8(ascii: "\"") && !inSingle { inDouble.toggle() }
            if !inSingle, !inDouble, b == UInt8(ascii: "&") || b == UInt8(ascii: "*"),
               [0x0A, 0x20, 0x09, UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: ",")].contains(previous),
               i + 1 < data.count, Self.isAnchorChar(data[i + 1]) {
                // Only where a node may start: after indentation, `- `, `: `, `? `, `[`, `{` or `,`.
                var j = i - 1
                while j >= 0, data[j] == 0x20 || data[j] == 0x09 { j -= 1 }
                let before: UInt8 = j >= 0 ? data[j] : 0x0A
                if [0x0A, UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "?"), UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: ",")].contains(before) {
                    throw VulnDBError(.malformedFeed, "\(path):\(line): YAML anchors and aliases are not accepted in \(feed)")
                }
            }
            previous = b
            i += 1
        }
    }

    /// A line whose value is a block scalar header: `key: |`, `- >-`, `key: |2+` (a trailing
    /// comment allowed).
    private static func opensBlockScalar(_ line: ArraySlice<UInt8>) -> Bool {
        var text = line
        if let hash = text.firstIndex(of: UInt8(ascii: "#")), hash > text.startIndex, text[hash - 1] == 0x20 {
            text = text[..<hash]
        }
        while let last = text.last, last == 0x20 || last == 0x09 || last == 0x0D { text = text.dropLast() }
        while let last = text.last, last == UInt8(ascii: "-") || last == UInt8(ascii: "+") || FeedBytes.isDigit(last) { text = text.dropLast() }
        guard let indicator = text.last, indicator == UInt8(ascii: "|") || indicator == UInt8(ascii: ">") else { return false }
        let rest = text.dropLast()
        guard let before = rest.last else { return false }
        return before == 0x20 && (rest.dropLast().last.map { $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "-") } ?? false
            || rest.dropLast().allSatisfy { $0 == 0x20 })
    }

    private static func isAnchorChar(_ b: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(b)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
    }

    static func compose(path: String, text: String) throws(VulnDBError) -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw VulnDBError(.malformedFeed, "\(path)\(describe(error))")
        } catch {
            throw VulnDBError(.malformedFeed, "\(path): invalid YAML: \(FeedText.oneLine(String(describing: error)))")
        }
    }

    /// `:LINE: invalid YAML: problem`, one line; Yams' own description appends a source snippet
    /// (or, for duplicate keys, the whole document).
    private static func describe(_ error: YamlError) -> String {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let contextText = context.map { "\($0.text) (line \($0.mark.line)): " } ?? ""
            return ":\(mark.line): invalid YAML: \(contextText)\(problem)"
        case let .reader(problem, _, _, _):
            return ": invalid YAML: \(problem)"
        case let .duplicatedKeysInMapping(duplicates, context):
            return ":\(context.mark.line): invalid YAML: duplicate key(s) \(duplicates.joined(separator: ", "))"
        default:
            return ": invalid YAML: \(FeedText.oneLine(error.description))"
        }
    }

    static func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar else { return false }
        // `key:` with nothing after it is an empty plain scalar, YAML's null.
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    static func lineSuffix(_ node: Node?) -> String {
        node?.mark.map { ":\($0.line)" } ?? ""
    }
}
