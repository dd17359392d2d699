@testable import Analyzers
import ContainerImage
import Foundation
import ImageFixtures
import Testing

/// Go programs Debian ships (runc, skopeo, containerd and its tools) and one built here with two
/// vendored Debian module sources and a stamped `-ldflags -X main.version=`, copied into a root
/// filesystem outside any package manager. The expected packages come from `go version -m`
/// (Go's own reader of the same build info) on each file, line by line.
@Suite(.enabled(if: LangBinaryFixtures.available && LangBinaryFixtures.tool("/usr/bin/go")), .serialized)
struct GoBinaryRealTests {
    static let pkgs = LangBinaryFixtures.packages

    /// What `go version -m` says, reduced as Trivy reduces build info: `stdlib` at `v` + the Go
    /// version (any ` X:…` suffix dropped), every `dep` (or the `=>` replacement after it), the
    /// `mod` main module — `(devel)` is no version, unless `-ldflags` stamps `-X main.version=`.
    static func expected(_ binary: String) throws -> [String] {
        let run = try LangBinaryFixtures.run("/usr/bin/go", ["version", "-m", binary])
        try #require(run.status == 0, "go version -m \(binary): \(run.err)")
        var lines = run.out.split(separator: "\n").map(String.init)
        let head = lines.removeFirst()
        let go = String(head[head.index(head.lastIndex(of: " ")!, offsetBy: 1)...])
        var result = ["stdlib v" + String(go.dropFirst(2))]
        var main: (String, String)?
        var lastDep = -1
        var stamped: String?
        for line in lines {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init).dropFirst()
            switch f.first {
            case "mod": main = (f[f.startIndex + 1], f[f.startIndex + 2])
            case "dep": result.append("\(f[f.startIndex + 1]) \(f[f.startIndex + 2])"); lastDep = result.count - 1
            case "=>": if lastDep >= 0 { result[lastDep] = "\(f[f.startIndex + 1]) \(f[f.startIndex + 2])" }
            case "build":
                let setting = f[f.startIndex + 1]
                if setting.hasPrefix("-ldflags="), let r = setting.range(of: "-X main.version=") {
                    stamped = String(setting[r.upperBound...].prefix { $0 != " " && $0 != "\"" })
                }
            default: break
            }
        }
        if let (path, version) = main {
            result.append("\(path) \(version == "(devel)" ? (stamped ?? "") : version)")
        }
        return result.sorted()
    }

    static func inventory(_ root: String) throws -> Inventory {
        try InventoryBuilder.build(DirectoryFileSystem(root: root, request: InventoryBuilder.request))
    }

    static func found(_ inventory: Inventory, _ path: String) -> [String]? {
        inventory.applications.first { $0.type == .gobinary && $0.filePath == path }?.packages.map { "\($0.name) \($0.version)" }.sorted()
    }

    @Test(arguments: [("runc", "usr/sbin/runc"), ("skopeo", "usr/bin/skopeo"), ("containerd", "usr/bin/containerd"),
                      ("containerd", "usr/bin/ctr"), ("containerd", "usr/bin/containerd-shim-runc-v2")])
    func debianGoProgram(package: String, path: String) throws {
        let scratch = ScratchDirectory()
        let source = Self.pkgs + "/\(package)/" + path
        let target = "usr/local/bin/" + (path as NSString).lastPathComponent
        try LangBinaryFixtures.place(source, in: scratch.path + "/root", as: target)
        let inventory = try Self.inventory(scratch.path + "/root")
        #expect(Self.found(inventory, target) == (try Self.expected(source)))
        #expect(inventory.warnings.isEmpty)
        // The same bytes owned by dpkg are the OS package's, as Trivy skips system-installed files.
        try FileManager.default.createDirectory(atPath: scratch.path + "/root/var/lib/dpkg/info", withIntermediateDirectories: true)
        try Data("/\(target)\n".utf8).write(to: URL(fileURLWithPath: scratch.path + "/root/var/lib/dpkg/info/\(package).list"))
        #expect(Self.found(try Self.inventory(scratch.path + "/root"), target) == nil)
    }

    /// Builds `probe` from vendored Debian module sources (no network: GOPROXY=off, -mod=vendor).
    static func buildProbe(in dir: String) throws -> String {
        let src = dir + "/src"
        let fm = FileManager.default
        try fm.createDirectory(atPath: src + "/vendor/github.com/pkg", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: src + "/vendor/golang.org/x", withIntermediateDirectories: true)
        try fm.copyItem(atPath: pkgs + "/golang-github-pkg-errors-dev/usr/share/gocode/src/github.com/pkg/errors", toPath: src + "/vendor/github.com/pkg/errors")
        try fm.copyItem(atPath: pkgs + "/golang-golang-x-text-dev/usr/share/gocode/src/golang.org/x/text", toPath: src + "/vendor/golang.org/x/text")
        let errorsVersion = "v" + (try LangBinaryFixtures.upstream("golang-github-pkg-errors-dev"))
        let textVersion = "v" + (try LangBinaryFixtures.upstream("golang-golang-x-text-dev"))
        try """
        module example.com/vigil/probe

        go 1.19

        require (
        \tgithub.com/pkg/errors \(errorsVersion)
        \tgolang.org/x/text \(textVersion)
        )

        """.write(toFile: src + "/go.mod", atomically: true, encoding: .utf8)
        try """
        # github.com/pkg/errors \(errorsVersion)
        ## explicit
        github.com/pkg/errors
        # golang.org/x/text \(textVersion)
        ## explicit; go 1.17
        golang.org/x/text/internal/language
        golang.org/x/text/internal/language/compact
        golang.org/x/text/internal/tag
        golang.org/x/text/language

        """.write(toFile: src + "/vendor/modules.txt", atomically: true, encoding: .utf8)
        try """
        package main

        import (
        \t"fmt"

        \t"github.com/pkg/errors"
        \t"golang.org/x/text/language"
        )

        var version = "dev"

        func main() { fmt.Println(errors.New("probe"), language.English, version) }

        """.write(toFile: src + "/main.go", atomically: true, encoding: .utf8)
        let build = try LangBinaryFixtures.run("/usr/bin/go", ["build", "-buildvcs=false", "-ldflags", "-X main.version=1.4.2", "-o", dir + "/probe", "."],
                                               environment: ["HOME": dir, "GOCACHE": dir + "/cache", "GOFLAGS": "-mod=vendor", "GOPROXY": "off"], in: src)
        try #require(build.status == 0, "go build: \(build.err)")
        return dir + "/probe"
    }

    /// A module build: deps with versions, the `(devel)` main module stamped by -ldflags; then
    /// the same binary padded past the whole-file limit (read by streaming the data segment
    /// only), and one whose section headers lie (found through the program headers).
    @Test func builtProbeWholeStreamedAndLying() throws {
        let scratch = ScratchDirectory()
        let probe = try Self.buildProbe(in: scratch.path)
        let expected = try Self.expected(probe)
        #expect(expected.contains("example.com/vigil/probe 1.4.2"))
        #expect(expected.count == 4)
        let root = scratch.path + "/root"
        try LangBinaryFixtures.place(probe, in: root, as: "app/probe")
        // ELF ignores bytes past its last section: Go's own reader still reads the padded copy.
        try LangBinaryFixtures.place(probe, in: root, as: "app/probe-padded")
        let padded = try FileHandle(forWritingTo: URL(fileURLWithPath: root + "/app/probe-padded"))
        try padded.seekToEnd()
        try padded.write(contentsOf: Data(count: ELFSampleReader.maxWholeFile + (1 << 20)))
        try padded.close()
        #expect(try Self.expected(root + "/app/probe-padded") == expected)
        // e_shoff pointing far past the end of the file.
        var lying = Array(try Data(contentsOf: URL(fileURLWithPath: probe)))
        for k in 0..<8 { lying[0x28 + k] = k == 5 ? 0x7F : 0 }
        try LangBinaryFixtures.place(probe, in: root, as: "app/probe-lying")
        try Data(lying).write(to: URL(fileURLWithPath: root + "/app/probe-lying"))
        let inventory = try Self.inventory(root)
        #expect(Self.found(inventory, "app/probe") == expected)
        #expect(Self.found(inventory, "app/probe-padded") == expected)
        #expect(Self.found(inventory, "app/probe-lying") == expected)
        #expect(inventory.applications.first { $0.filePath == "app/probe" }?.packages.contains { $0.name == "example.com/vigil/probe" && $0.databasePath == "app/probe" } == true)
        #expect(inventory.warnings.isEmpty)
    }

    /// Halves of a real Go binary, and its first bytes only: nothing crashes, nothing is invented.
    @Test func truncatedGoBinaries() throws {
        let scratch = ScratchDirectory()
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Self.pkgs + "/runc/usr/sbin/runc")))
        let root = scratch.path + "/root"
        try FileManager.default.createDirectory(atPath: root + "/bin", withIntermediateDirectories: true)
        for (name, cut) in [("head", 4096), ("half", bytes.count / 2), ("tail", bytes.count - 100)] {
            try Data(bytes[..<cut]).write(to: URL(fileURLWithPath: root + "/bin/" + name))
            chmod(root + "/bin/" + name, 0o755)
        }
        let inventory = try Self.inventory(root)
        for app in inventory.applications where app.type == .gobinary {
            #expect(app.packages.map(\.name) == ["stdlib"], "\(app.filePath)")
        }
        #expect(inventory.warnings.allSatisfy { !$0.contains("\n") })
    }
}
