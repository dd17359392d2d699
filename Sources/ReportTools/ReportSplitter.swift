import Classification
import Foundation
import JSONValue
import SystemIO

/// `vigil report split`: one Trivy-shaped file per group of vulnerabilities, written while the
/// report streams past (memory: one vulnerability, the headers, and bounded output buffers).
///
/// Files are named PREFIX + group + `_vulns.json` (`wp_` + `bo` → `wp_bo_vulns.json`). They are
/// written beside their final names and renamed into place only when the whole input has been
/// read, so a bad report leaves no partial output.
public struct ReportSplitter {
    /// How vulnerabilities are grouped.
    public enum Grouping: String, Sendable, CaseIterable {
        /// By category short name (`bo`, `dos`, …); a vulnerability with several goes in each. Every
        /// category gets a file, empty or not.
        case category
        /// By lower-cased severity; all five severities get a file.
        case severity
        /// By sanitised package name (`PkgName`); only packages present get a file.
        case package
    }

    /// One written file.
    public struct Output: Sendable, Equatable {
        public var group: String
        public var path: String
        public var vulnerabilities: Int
    }

    public var grouping: Grouping
    public var prefix: String
    public var classifier: Classifier
    /// Output buffered per file before it is appended to disk.
    public var flushThreshold = 1 << 20
    /// All buffers are flushed when together they exceed this.
    public var totalBufferLimit = 64 << 20

    public init(by grouping: Grouping, prefix: String, classifier: Classifier) {
        self.grouping = grouping
        self.prefix = prefix
        self.classifier = classifier
    }

    /// Splits the report at `path`; returns the files written in group order.
    public func split(reportAt path: String) throws(ReportError) -> [Output] {
        var visitor = SplitVisitor(splitter: self, input: path)
        do {
            try ReportStreamReader(path: path).read(into: &visitor)
            return try visitor.finish()
        } catch {
            visitor.discard()
            throw error
        }
    }

    /// `golang.org/x/net` → `golang.org_x_net`: letters, digits, `.`, `-`, `_`, `+` kept, the rest `_`;
    /// never empty and never starting with a dot.
    public static func sanitise(_ name: String) -> String {
        var out = ""
        for s in name.unicodeScalars {
            switch s {
            case "a"..."z", "A"..."Z", "0"..."9", ".", "-", "_", "+": out.unicodeScalars.append(s)
            default: out += "_"
            }
        }
        if out.isEmpty { return "_" }
        if out.hasPrefix(".") { out = "_" + out.dropFirst() }
        return out
    }
}

/// One output file being written.
final class GroupFile {
    let group: String
    let path: String
    let temporary: String
    var buffer: [UInt8] = []
    var started = false
    var resultOpen = false
    var anyResult = false
    var firstInResult = true
    var count = 0
    var createdTemporary = false

    init(group: String, path: String) {
        self.group = group
        self.path = path
        temporary = path + ".tmp-\(getpid())"
    }

    func flush() throws(ReportError) {
        guard !buffer.isEmpty || !createdTemporary else { return }
        let flags = O_WRONLY | O_CREAT | (createdTemporary ? O_APPEND : O_TRUNC)
        let fd = open(temporary, flags, 0o644)
        guard fd >= 0 else { throw ReportError(.unwritable, path: path, message: "cannot write: \(String(cString: strerror(errno)))") }
        createdTemporary = true
        defer { close(fd) }
        let failure = DescriptorIO.writeAll(fd, buffer)
        if failure != 0 {
            throw ReportError(.unwritable, path: path, message: "write failed: \(String(cString: strerror(failure)))")
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

struct SplitVisitor: ReportVisitor {
    let splitter: ReportSplitter
    let input: String
    let printer = JSONPrinter(indent: 2)
    var files: [String: GroupFile] = [:]
    var order: [String] = []
    var usedPaths: [String: String] = [:]
    var header: [(String, JSON)] = []
    var resultHeader: [(String, JSON)] = []
    var buffered = 0

    init(splitter: ReportSplitter, input: String) {
        self.splitter = splitter
        self.input = input
        switch splitter.grouping {
        case .category: for c in Category.allCases { _ = file(for: c.shortName) }
        case .severity: for s in ["critical", "high", "medium", "low", "unknown"] { _ = file(for: s) }
        case .package: break
        }
    }

    /// Longest file name a group contributes (bytes): with the prefix, `-N` and `_vulns.json` it
    /// must stay under the 255-byte `NAME_MAX` of Linux file systems.
    static let maximumNameLength = 160

    /// The file of `group` (a category, a severity or a raw package name), created on first use.
    mutating func file(for group: String) -> GroupFile {
        if let f = files[group] { return f }
        var base = ReportSplitter.sanitise(group)
        if base.utf8.count > Self.maximumNameLength {
            // Cut on a character boundary (sanitised names are ASCII, so any byte is one).
            base = String(base.utf8.prefix(Self.maximumNameLength))!
        }
        var name = base
        var n = 2
        // Two package names may sanitise (or truncate) alike (`a/b`, `a\0b`, `a_b`): keep them apart.
        while let owner = usedPaths[name], owner != group { name = "\(base)-\(n)"; n += 1 }
        usedPaths[name] = group
        let f = GroupFile(group: name, path: splitter.prefix + name + "_vulns.json")
        files[group] = f
        order.append(group)
        return f
    }

    mutating func header(_ members: [(String, JSON)]) throws(ReportError) { header = members }

    mutating func beginResult(_ members: [(String, JSON)]) throws(ReportError) {
        // A split file lists the vulnerabilities of its group; the full package list stays in the input.
        resultHeader = members.filter { $0.0 != "Packages" }
    }

    mutating func vulnerability(_ v: JSON) throws(ReportError) {
        let decision = VulnerabilityCategories.decision(of: v, classifier: splitter.classifier)
        let categories = decision.categories
        let annotated = VulnerabilityCategories.annotated(v, decision)
        let groups: [String]
        switch splitter.grouping {
        case .category: groups = categories.map(\.shortName)
        case .severity: groups = [ReportSplitter.sanitise((v["Severity"]?.stringValue ?? "unknown").lowercased())]
        case .package: groups = [v["PkgName"]?.stringValue ?? "unknown"]
        }
        for g in groups {
            let f = file(for: g)
            let before = f.buffer.count
            if !f.started { startFile(f) }
            if !f.resultOpen {
                if f.anyResult { f.buffer.append(UInt8(ascii: ",")) }
                f.buffer.append(contentsOf: "\n    {".utf8)
                for (k, value) in resultHeader { member(k, value, level: 3, into: f) ; f.buffer.append(UInt8(ascii: ",")) }
                f.buffer.append(contentsOf: "\n      \"Vulnerabilities\": [".utf8)
                f.resultOpen = true
                f.firstInResult = true
            }
            if !f.firstInResult { f.buffer.append(UInt8(ascii: ",")) }
            f.firstInResult = false
            f.buffer.append(contentsOf: "\n        ".utf8)
            printer.write(annotated, level: 4, into: &f.buffer)
            f.count += 1
            buffered += f.buffer.count - before
            if f.buffer.count >= splitter.flushThreshold {
                buffered -= f.buffer.count
                try f.flush()
            }
        }
        if buffered > splitter.totalBufferLimit {
            for f in files.values { try f.flush() }
            buffered = 0
        }
    }

    mutating func endResult(_ members: [(String, JSON)]) throws(ReportError) {
        for f in files.values where f.resultOpen {
            f.buffer.append(contentsOf: "\n      ]".utf8)
            for (k, value) in members { f.buffer.append(UInt8(ascii: ",")); member(k, value, level: 3, into: f) }
            f.buffer.append(contentsOf: "\n    }".utf8)
            f.resultOpen = false
            f.anyResult = true
        }
    }

    mutating func end(_ members: [(String, JSON)]) throws(ReportError) {
        for f in files.values {
            if f.started {
                f.buffer.append(contentsOf: "\n  ]".utf8)
            } else {
                f.buffer.append(UInt8(ascii: "{"))
                for (i, (k, value)) in header.enumerated() {
                    if i > 0 { f.buffer.append(UInt8(ascii: ",")) }
                    member(k, value, level: 1, into: f)
                }
            }
            let hadMembers = f.started || !header.isEmpty
            for (i, (k, value)) in members.enumerated() {
                if hadMembers || i > 0 { f.buffer.append(UInt8(ascii: ",")) }
                member(k, value, level: 1, into: f)
            }
            if hadMembers || !members.isEmpty { f.buffer.append(contentsOf: "\n}\n".utf8) } else { f.buffer.append(contentsOf: "}\n".utf8) }
        }
    }

    func startFile(_ f: GroupFile) {
        f.buffer.append(UInt8(ascii: "{"))
        for (k, value) in header { member(k, value, level: 1, into: f); f.buffer.append(UInt8(ascii: ",")) }
        f.buffer.append(contentsOf: "\n  \"Results\": [".utf8)
        f.started = true
    }

    func member(_ key: String, _ value: JSON, level: Int, into f: GroupFile) {
        f.buffer.append(0x0A)
        f.buffer.append(contentsOf: repeatElement(UInt8(ascii: " "), count: level * 2))
        printer.write(.string(key), level: level, into: &f.buffer)
        f.buffer.append(contentsOf: ": ".utf8)
        printer.write(value, level: level, into: &f.buffer)
    }

    /// Flushes every file and renames them into place, in group order.
    func finish() throws(ReportError) -> [ReportSplitter.Output] {
        for g in order { try files[g]!.flush() }
        var outputs: [ReportSplitter.Output] = []
        for g in order {
            let f = files[g]!
            if rename(f.temporary, f.path) != 0 {
                throw ReportError(.unwritable, path: f.path, message: "cannot rename into place: \(String(cString: strerror(errno)))")
            }
            outputs.append(.init(group: f.group, path: f.path, vulnerabilities: f.count))
        }
        if splitter.grouping == .package { outputs.sort { $0.group < $1.group } }
        return outputs
    }

    /// Removes temporary files after a failure.
    func discard() {
        for f in files.values where f.createdTemporary { unlink(f.temporary) }
    }
}
