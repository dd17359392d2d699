@testable import Analyzers
import ContainerImage
import Foundation
import Testing

/// Language analyzers over a small root filesystem written for these tests
/// (`Fixtures/langroot`) and over in-memory files for the error cases.
@Suite struct LanguageAnalyzerTests {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent()
        return url.path + "/Fixtures/langroot"
    }()

    func applications() throws -> [Application] {
        try LanguageAnalyzer.analyze(DirectoryFileSystem(root: Self.root, request: InventoryBuilder.request))
    }

    func summary(_ app: Application) -> [String] { app.packages.map { "\($0.name)@\($0.version)" } }

    @Test func findsEveryApplicationSortedByTypeThenPath() throws {
        let apps = try applications()
        #expect(apps.map { "\($0.type.rawValue) \($0.filePath)" } == [
            "cargo srv/rust/Cargo.lock", "gomod srv/go/go.mod", "pip app/requirements.txt", "pipenv app/Pipfile.lock",
            "poetry app/poetry.lock", "python-pkg ",
        ])
        #expect(apps.map(\.target).last == "Python")
    }

    @Test func installedPythonPackagesOnlyUnderSitePackages() throws {
        let python = try #require(try applications().first { $0.type == .pythonPackage })
        #expect(summary(python) == ["Django@3.2", "Jinja2@2.10", "PyYAML@5.3"])
        #expect(python.packages.map(\.databasePath) == [
            "usr/lib/python3.11/site-packages/Django-3.2.dist-info/METADATA",
            "usr/local/lib/python3.9/site-packages/Jinja2-2.10.egg-info/PKG-INFO",
            "usr/lib/python3/dist-packages/PyYAML-5.3.egg-info",
        ])
        // The description after the headers is not read as headers ("Name: NotAHeader").
        #expect(python.packages.map(\.licenses) == [["BSD-3-Clause"], ["BSD License"], ["MIT"]])
    }

    @Test func requirementsKeepsExactPinsOnly() throws {
        let pip = try #require(try applications().first { $0.type == .pip })
        // urllib3 (a range), certifi (==2020.*) and idna (==2.7, <3) are not single pins.
        #expect(summary(pip) == ["Flask@1.0", "pyyaml@5.2a1", "requests@2.19.1", "six@1.11.0"])
    }

    @Test func pipfileLockDefaultSectionOnly() throws {
        let pipenv = try #require(try applications().first { $0.type == .pipenv })
        #expect(summary(pipenv) == ["django@3.2.0"])
    }

    @Test func poetryLockIgnoresSubTablesAndMultilineStrings() throws {
        let poetry = try #require(try applications().first { $0.type == .poetry })
        #expect(summary(poetry) == ["jinja2@2.10.1.post1", "markupsafe@1.1.1"])
    }

    @Test func goModAppliesReplacementsAndReadsGoSumBefore117() throws {
        let gomod = try #require(try applications().first { $0.type == .gomod })
        #expect(summary(gomod) == [
            "github.com/new/fork@v1.2.0",
            "golang.org/x/crypto@v0.0.0-20200622213623-75b288015ac9",
            "golang.org/x/net@v0.0.0-20210226172049-e18ecbb05110",
            "golang.org/x/text@v0.3.5",
        ])
    }

    @Test func goSumIgnoredFrom117() throws {
        let mod = "module m\n\ngo 1.17\n\nrequire golang.org/x/text v0.3.5\n"
        let sum = "golang.org/x/crypto v0.1.0 h1:x=\n"
        let fs = MemoryFS(files: ["go.mod": mod, "go.sum": sum])
        let apps = try LanguageAnalyzer.analyze(fs)
        #expect(apps.map { summary($0) } == [["golang.org/x/text@v0.3.5"]])
    }

    @Test func cargoLockListsEveryPackage() throws {
        let cargo = try #require(try applications().first { $0.type == .cargo })
        #expect(summary(cargo) == ["myapp@0.1.0", "smallvec@1.6.0", "tokio@1.0.0"])
    }

    @Test func inventoryCarriesApplications() throws {
        let inventory = try InventoryBuilder.build(DirectoryFileSystem(root: Self.root, request: InventoryBuilder.request))
        #expect(inventory.os == nil)
        #expect(inventory.applications.count == 6)
    }

    /// A package deleted in a later layer is gone; the layer that added a lockfile is recorded.
    @Test func layeredFilesystemHonoursWhiteoutsAndRecordsLayers() throws {
        var lower = LayerContents()
        lower.entries["usr/lib/python3/site-packages/gone-1.0.dist-info/METADATA"] = .file(Array("Name: gone\nVersion: 1.0\n".utf8))
        lower.entries["usr/lib/python3/site-packages/kept-2.0.dist-info/METADATA"] = .file(Array("Name: kept\nVersion: 2.0\n".utf8))
        var upper = LayerContents()
        upper.whiteouts.insert("usr/lib/python3/site-packages/gone-1.0.dist-info")
        upper.entries["app/Cargo.lock"] = .file(Array("[[package]]\nname = \"a\"\nversion = \"1.0.0\"\n".utf8))
        let fs = LayeredFileSystem(layers: [lower, upper], layerNames: ["l1", "l2"])
        let apps = try LanguageAnalyzer.analyze(fs)
        #expect(apps.map { summary($0) } == [["a@1.0.0"], ["kept@2.0"]])
        #expect(apps.map { $0.packages.map(\.layer) } == [[1], [0]])
    }

    @Test(arguments: [
        ("usr/lib/python3/site-packages/x-1.dist-info/METADATA", "Name: x\n",
         "usr/lib/python3/site-packages/x-1.dist-info/METADATA: line 1: Python package 'x' has no Version field"),
        ("usr/lib/python3/site-packages/x-1.dist-info/METADATA", "Version: 1\nbroken line\n",
         "usr/lib/python3/site-packages/x-1.dist-info/METADATA: line 2: expected 'Field: value' in Python package metadata, got 'broken line'"),
        ("Cargo.lock", "[[package]]\nname = \"a\"\n\n[[package]]\nname = \"b\"\nversion = \"1.0.0\"\n",
         "Cargo.lock: line 1: package 'a' has no version"),
        ("poetry.lock", "[[package]]\nname = \"a\nversion = \"1\"\n", "poetry.lock: line 2: unterminated string"),
        ("go.mod", "module m\nrequire (\n\tgolang.org/x/text\n)\n",
         "go.mod: line 3: expected 'module version' in require, got 'golang.org/x/text'"),
        ("go.mod", "module m\nrequire (\n\tgolang.org/x/text v0.3.5\n", "go.mod: unexpected end of file inside a 'require (' block"),
        ("Pipfile.lock", "{\"default\": {\"a\": {\"version\": \">=1\"}}}", "Pipfile.lock: package 'a': version '>=1' is not an exact '==' pin"),
        ("requirements.txt", "ok==1.0\n==2.0\n", "requirements.txt: line 2: cannot read a package name in '==2.0'"),
    ])
    func badFilesNameTheFileAndLine(path: String, text: String, message: String) {
        let error = #expect(throws: AnalyzerError.self) { try LanguageAnalyzer.analyze(MemoryFS(files: [path: text])) }
        #expect(error?.description == message)
    }

    @Test func namePatterns() {
        let metadata = LanguageAnalyzer.pythonMetadata
        #expect(metadata.matches("a/site-packages/x-1.dist-info/METADATA"))
        #expect(!metadata.matches("a/site-packages/.dist-info/METADATA"))
        #expect(!metadata.matches("METADATA"))
        #expect(LanguageAnalyzer.eggInfoFile.matches("a/b-1.egg-info"))
        #expect(!LanguageAnalyzer.eggInfoFile.matches("a/.egg-info"))
        #expect(LanguageAnalyzer.cargoLock.matches("Cargo.lock") && LanguageAnalyzer.cargoLock.matches("x/y/Cargo.lock"))
        #expect(InventoryBuilder.request.wants("srv/app/poetry.lock"))
        #expect(!InventoryBuilder.request.wants("srv/app/poetry.lock.bak"))
    }
}
