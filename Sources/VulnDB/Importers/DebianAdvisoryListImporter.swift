import VigilCore
/// Parses the security tracker's `data/DSA/list` and `data/DLA/list` text files:
///
/// ```
/// [02 May 2018] DSA-4195-1 wget - security update
/// 	{CVE-2018-0494}
/// 	[jessie] - wget 1.16-1+deb8u5
/// 	[stretch] - wget 1.18-5+deb9u2
/// 	NOTE: fixed in testing at time of DSA
/// ```
///
/// The scanner walks bytes line by line and only builds Strings for the fields it keeps: the two
/// lists are ~1.3 MB and are re-imported on every database build.
enum DebianAdvisoryListImporter {
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    private static let severityWords: Set<String> = ["unimportant", "low", "medium", "high", "not yet assigned"]

    /// The advisory whose header was seen last; release lines belong to it.
    private struct Advisory {
        var id: String
        var remainder: String
        var published: String
        var ids: [String] = []
        var hasPackageLines = false
    }

    /// Accumulates records; one VulnerabilityRecord per id, however many advisories name it.
    private struct Output {
        var result = FeedParseResult()
        var vulnerabilityIndex: [String: Int] = [:]

        mutating func reference(_ id: String, advisory: String, title: String? = nil, published: String? = nil) {
            let url = "https://security-tracker.debian.org/tracker/\(advisory)"
            if let index = vulnerabilityIndex[id] {
                FeedText.appendUnique(url, to: &result.batch.vulnerabilities[index].references)
            } else {
                vulnerabilityIndex[id] = result.batch.vulnerabilities.count
                result.batch.vulnerabilities.append(VulnerabilityRecord(
                    id: id, title: title, references: [url], published: published, source: "debian"))
            }
        }

        mutating func finish(_ advisory: Advisory?) {
            // An advisory that names no CVE is its own vulnerability, but only if it actually
            // listed packages: "DSA-4205-1 jessie end-of-life" is an announcement, not a flaw.
            guard let advisory, advisory.ids.isEmpty, advisory.hasPackageLines else { return }
            reference(advisory.id, advisory: advisory.id,
                      title: advisory.remainder.isEmpty ? nil : advisory.remainder, published: advisory.published)
        }
    }

    static func parse(path: String, data: [UInt8]) throws(VulnDBError) -> FeedParseResult {
        var output = Output()
        var current: Advisory?
        var lineNumber = 0
        var lineStart = 0
        if data.count >= 3, data[0] == 0xEF, data[1] == 0xBB, data[2] == 0xBF { lineStart = 3 }

        while lineStart < data.count {
            var lineEnd = FeedBytes.index(of: UInt8(ascii: "\n"), in: data, from: lineStart) ?? data.count
            let next = lineEnd + 1
            lineNumber += 1
            while lineEnd > lineStart, FeedBytes.isSpace(data[lineEnd - 1]) { lineEnd -= 1 }
            var first = lineStart
            while first < lineEnd, data[first] == UInt8(ascii: " ") || data[first] == UInt8(ascii: "\t") { first += 1 }
            defer { lineStart = next }
            guard first < lineEnd else { continue }

            let line = Line(data: data, start: first, end: lineEnd, number: lineNumber, path: path)
            let indented = first > lineStart
            let byte = data[first]

            if !indented, byte == UInt8(ascii: "["), let header = try parseHeader(line) {
                output.finish(current)
                current = header
            } else if byte == UInt8(ascii: "{") {
                guard current != nil else { throw line.error("CVE list before any advisory header") }
                guard data[lineEnd - 1] == UInt8(ascii: "}") else { throw line.error("CVE list without closing '}'") }
                for id in line.words(from: first + 1, to: lineEnd - 1) {
                    current!.ids.append(id)
                    output.reference(id, advisory: current!.id)
                }
            } else if byte == UInt8(ascii: "[") {
                guard current != nil else { throw line.error("release line before any advisory header") }
                try parseRelease(line, advisory: &current!, output: &output.result)
            } else if FeedBytes.hasPrefix(data, at: first, Array("NOTE:".utf8)) {
                continue
            } else {
                throw line.error(indented ? "unrecognised line (expected {CVE…}, [release] - package version, or NOTE:)"
                                          : "unrecognised line (expected an advisory header '[dd Mon yyyy] DSA-…')")
            }
        }
        output.finish(current)
        return output.result
    }

    /// `[dd Mon yyyy] DSA-NNNN-N rest`. Returns nil when the bracket holds no date, so an
    /// unindented release line can still be read as one; throws when it is a broken header.
    private static func parseHeader(_ line: Line) throws(VulnDBError) -> Advisory? {
        guard let close = line.index(of: UInt8(ascii: "]"), from: line.start + 1) else {
            throw line.error("advisory header without closing ']'")
        }
        let dateWords = line.words(from: line.start + 1, to: close)
        guard dateWords.count == 3, dateWords[0].allSatisfy(\.isNumber) else {
            // `[jessie] - pkg 1.0` at column 0: a release line that lost its indentation.
            if line.text(from: line.start + 1, to: close).allSatisfy({ $0.isLetter || $0 == "-" }) { return nil }
            throw line.error("malformed advisory date '\(line.text(from: line.start + 1, to: close))'")
        }
        guard let day = Int(dateWords[0]), (1...31).contains(day),
              let month = months.firstIndex(of: dateWords[1]),
              dateWords[2].count == 4, let year = Int(dateWords[2])
        else {
            throw line.error("malformed advisory date '\(dateWords.joined(separator: " "))'")
        }
        var words = line.words(from: close + 1, to: line.end, limit: 2)
        guard !words.isEmpty, isAdvisoryID(words[0]) else {
            throw line.error("missing or malformed advisory id after the date")
        }
        let id = words.removeFirst()
        let remainder = FeedText.oneLine(words.first ?? "")
        let published = "\(year)-\(month < 9 ? "0" : "")\(month + 1)-\(day < 10 ? "0" : "")\(day)T00:00:00Z"
        return Advisory(id: id, remainder: remainder, published: published)
    }

    /// `DSA-4195-1`, `DLA-1234-2`, old-style `DSA-141`.
    private static func isAdvisoryID(_ word: String) -> Bool {
        let parts = word.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, let prefix = parts.first, !prefix.isEmpty,
              prefix.allSatisfy({ $0.isASCII && $0.isUppercase })
        else { return false }
        return parts.dropFirst().allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }

    /// `[codename] - srcpkg version (remark)`, `[codename] - srcpkg <not-affected> (reason)`,
    /// `<end-of-life>`, `<unfixed>`.
    private static func parseRelease(_ line: Line, advisory: inout Advisory, output: inout FeedParseResult) throws(VulnDBError) {
        guard let close = line.index(of: UInt8(ascii: "]"), from: line.start + 1) else {
            throw line.error("release line without closing ']'")
        }
        let codename = line.text(from: line.start + 1, to: close)
        guard !codename.isEmpty else { throw line.error("empty release name in []") }

        var mainEnd = line.end
        var remark: String?
        if let open = line.index(of: UInt8(ascii: "("), from: close) {
            guard line.data[line.end - 1] == UInt8(ascii: ")") else { throw line.error("unclosed '(' in release line") }
            remark = line.text(from: open + 1, to: line.end - 1)
            mainEnd = open
        }
        let words = line.words(from: close + 1, to: mainEnd)
        guard words.first == "-" else { throw line.error("expected ' - ' after [\(codename)]") }
        guard words.count >= 2 else { throw line.error("missing package name after [\(codename)] -") }
        guard words.count >= 3 else { throw line.error("missing version for \(words[1]) in [\(codename)]") }
        guard words.count == 3 else {
            throw line.error("unexpected text '\(words[3...].joined(separator: " "))' after the version")
        }
        let package = words[1]
        let version = words[2]
        advisory.hasPackageLines = true

        let status: AdvisoryStatus
        var fixedVersion: String?
        if version.hasPrefix("<") {
            guard version.hasSuffix(">") else { throw line.error("unclosed '<' in '\(version)'") }
            switch version.dropFirst().dropLast() {
            case "not-affected": status = .notAffected
            case "end-of-life": status = .endOfLife
            case "unfixed", "postponed", "ignored", "no-dsa": status = .affected
            default:
                output.skip("unknown release tag \(version)")
                return
            }
        } else {
            status = .fixed
            fixedVersion = version
        }
        guard let release = DebianReleases.release(forCodename: codename) else {
            output.skip("unknown Debian release '\(codename)'")
            return
        }
        // Old entries carry the urgency in the remark: `(medium)`, `(bug #123; high)`; for
        // <not-affected> the remark is the reason, which never matches a severity word.
        let severity = remark.flatMap { text in
            text.split(separator: ";").lazy
                .map { FeedText.oneLine($0) }
                .first { severityWords.contains(String($0.prefix { $0 != "*" })) }
        }
        let ecosystem = Ecosystem(family: "debian", release: release)
        for id in advisory.ids.isEmpty ? [advisory.id] : advisory.ids {
            output.batch.advisories.append(AdvisoryRecord(
                vulnerabilityID: id, ecosystem: ecosystem, packageName: package, status: status,
                fixedVersion: fixedVersion, vendorSeverity: severity, source: "debian", advisoryID: advisory.id))
        }
    }

    /// One trimmed line of the file, addressed by byte offsets into the whole buffer.
    private struct Line {
        let data: [UInt8]
        let start: Int
        let end: Int
        let number: Int
        let path: String

        func error(_ what: String) -> VulnDBError {
            VulnDBError(.malformedFeed, "\(path):\(number): \(what)")
        }

        func index(of byte: UInt8, from: Int) -> Int? {
            var i = from
            while i < end {
                if data[i] == byte { return i }
                i += 1
            }
            return nil
        }

        func text(from: Int, to: Int) -> String {
            from < to ? String(decoding: data[from..<to], as: UTF8.self) : ""
        }

        /// Blank-separated words in `from..<to`; with `limit`, the last word is the untouched rest.
        func words(from: Int, to: Int, limit: Int = .max) -> [String] {
            var result: [String] = []
            var i = from
            while i < to {
                while i < to, data[i] == UInt8(ascii: " ") || data[i] == UInt8(ascii: "\t") { i += 1 }
                guard i < to else { break }
                var j = i
                if result.count == limit - 1 {
                    j = to
                    while j > i, data[j - 1] == UInt8(ascii: " ") || data[j - 1] == UInt8(ascii: "\t") { j -= 1 }
                } else {
                    while j < to, data[j] != UInt8(ascii: " "), data[j] != UInt8(ascii: "\t") { j += 1 }
                }
                result.append(String(decoding: data[i..<j], as: UTF8.self))
                i = j
            }
            return result
        }
    }
}
