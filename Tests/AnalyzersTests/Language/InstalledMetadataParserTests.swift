@testable import Analyzers
import Testing

/// Each metadata parser on small inputs written here: the shapes Trivy accepts, what it leaves
/// out, and malformed files that must become one-line problems rather than crashes.
@Suite struct InstalledMetadataParserTests {
    typealias Package = InstalledMetadataSample.Package

    static func parse(_ kind: InstalledMetadataKind, _ text: String) -> Result<[Package], InstalledMetadataProblem> {
        Result { () throws(InstalledMetadataProblem) in try kind.parse(Array(text.utf8)) }
    }

    static func problem(_ kind: InstalledMetadataKind, _ text: String) -> String? {
        if case .failure(let p) = parse(kind, text) { return p.message }
        return nil
    }

    @Test(arguments: [
        ("node_modules/lodash/package.json", InstalledMetadataKind.nodePackageJSON),
        ("usr/share/nodejs/@babel/core/package.json", .nodePackageJSON),
        ("usr/lib/ruby/gems/3.1.0/specifications/rack-2.2.4.gemspec", .gemspec),
        ("app/vendor/composer/installed.json", .composerInstalled),
        ("app/MyApp.deps.json", .dotnetDeps),
        ("src/packages.lock.json", .nugetLock),
        ("src/packages.config", .nugetConfig),
        ("opt/conda/envs/x/conda-meta/pip-22.2.2-py38h06a4308_0.json", .condaMeta),
        ("opt/conda/conda-meta/zlib-1.2.13-h5eee18b_0.json", .condaMeta),
    ])
    func recognisedPaths(path: String, kind: InstalledMetadataKind) {
        #expect(InstalledMetadataKind.of(path) == kind)
    }

    @Test(arguments: [
        "node_modules/lodash/package-lock.json", "usr/lib/ruby/gems/3.1.0/gems/rack-2.2.4/rack.gemspec", "specifications.gemspec",
        "etc/installed.json", ".deps.json", "opt/conda/conda-meta/history", "opt/conda/conda-meta/invalid.json",
        "opt/conda/conda-meta/a-b.json", "packages.configx",
    ])
    func ignoredPaths(path: String) {
        #expect(InstalledMetadataKind.of(path) == nil)
    }

    @Test func nodePackageShapes() throws {
        let full = #"{"name": "@babel/parser", "version": "7.23.0", "license": "MIT", "private": true, "dependencies": {"x": "^1"}}"#
        #expect(try Self.parse(.nodePackageJSON, full).get() == [Package(name: "@babel/parser", version: "7.23.0", licenses: ["MIT"])])
        let legacy = #"{"name": "a", "version": "1.0.0", "license": {"type": "BSD-3-Clause", "url": "x"}}"#
        #expect(try Self.parse(.nodePackageJSON, legacy).get().first?.licenses == ["BSD-3-Clause"])
        let list = #"{"name": "a", "version": "1.0.0", "license": [{"type": "MIT"}, {"type": "Apache-2.0"}]}"#
        #expect(try Self.parse(.nodePackageJSON, list).get().first?.licenses == ["MIT", "Apache-2.0"])
        // Sub-path helpers and workspace roots have no version: no package, no problem.
        #expect(try Self.parse(.nodePackageJSON, #"{"name": "ajax", "main": "x.js"}"#).get().isEmpty)
        #expect(try Self.parse(.nodePackageJSON, #"{"private": true, "workspaces": ["packages/*"]}"#).get().isEmpty)
    }

    @Test func nodeProblems() {
        #expect(Self.problem(.nodePackageJSON, #"{"name": "a b", "version": "1"}"#)?.contains("not a valid npm package name") == true)
        #expect(Self.problem(.nodePackageJSON, #"{"name": 5, "version": "1"}"#) == #"package.json: "name" is not a string"#)
        #expect(Self.problem(.nodePackageJSON, "[1, 2]") == "the document is not a JSON object")
        #expect(Self.problem(.nodePackageJSON, "{\n\"name\": \"a\",\n\"version\": }")?.hasPrefix("line 3:") == true)
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(Self.problem(.nodePackageJSON, deep)?.contains("nesting deeper") == true)
    }

    @Test func gemspecAsRubyGemsWritesIt() throws {
        let text = """
        # -*- encoding: utf-8 -*-
        # stub: rack 2.2.4 ruby lib

        Gem::Specification.new do |s|
          s.name = "rack".freeze
          s.version = "2.2.4"

          s.required_rubygems_version = Gem::Requirement.new(">= 0".freeze) if s.respond_to? :required_rubygems_version=
          s.licenses = ["MIT".freeze, "Ruby".freeze]
        end
        """
        #expect(try Self.parse(.gemspec, text).get() == [Package(name: "rack", version: "2.2.4", licenses: ["MIT", "Ruby"])])
        let old = "Gem::Specification.new do |spec|\n  spec.name = 'nokogiri'\n  spec.version = Gem::Version.new(\"1.13.10\")\n  spec.license = \"MIT\"\nend\n"
        #expect(try Self.parse(.gemspec, old).get() == [Package(name: "nokogiri", version: "1.13.10", licenses: ["MIT"])])
    }

    @Test func gemspecProblems() {
        #expect(Self.problem(.gemspec, "puts 1\n") == "no 'Gem::Specification.new do |s|' block")
        #expect(Self.problem(.gemspec, "Gem::Specification.new do |s|\n  s.version = \"1\"\nend\n") == "no name assignment")
        #expect(Self.problem(.gemspec, "Gem::Specification.new do |s|\n  s.name = \"a\"\n  s.version = VERSION\nend\n")?
            .hasPrefix("line 3: version is not a string literal") == true)
        #expect(Self.problem(.gemspec, "Gem::Specification.new do |s|\n  s.name = \"a#{x}\"\n") != nil)
        #expect(Self.problem(.gemspec, "Gem::Specification.new do |s|\n  s.name = \"unterminated\n") != nil)
    }

    @Test func composerBothLayouts() throws {
        let v2 = #"{"packages": [{"name": "symfony/console", "version": "v5.4.0", "license": ["MIT"]}, {"name": "psr/log", "version": "1.1.4", "license": "MIT or Apache-2.0"}], "dev": true}"#
        #expect(try Self.parse(.composerInstalled, v2).get() == [
            Package(name: "symfony/console", version: "v5.4.0", licenses: ["MIT"]),
            Package(name: "psr/log", version: "1.1.4", licenses: ["MIT", "Apache-2.0"]),
        ])
        let v1 = #"[{"name": "guzzlehttp/guzzle", "version": "6.5.5"}, {"name": "guzzlehttp/guzzle", "version": "7.0.0"}, {"version": "1"}]"#
        #expect(try Self.parse(.composerInstalled, v1).get() == [Package(name: "guzzlehttp/guzzle", version: "6.5.5")])
        #expect(Self.problem(.composerInstalled, #"{"packages": {}}"#) == #""packages" is not an array"#)
        #expect(Self.problem(.composerInstalled, #""text""#) == "neither a Composer 2 object nor a Composer 1 array")
        #expect(Self.problem(.composerInstalled, #"[{"name": ["x"], "version": "1"}]"#) == #"package 1: "name" is not a string"#)
    }

    @Test func dotnetDepsKeepsRuntimePackages() throws {
        let text = """
        {"runtimeTarget": {"name": ".NETCoreApp,Version=v8.0"},
         "targets": {".NETCoreApp,Version=v8.0": {
            "App/1.0.0": {"dependencies": {"Newtonsoft.Json": "13.0.1"}, "runtime": {"App.dll": {}}},
            "Newtonsoft.Json/13.0.1": {"runtime": {"lib/net6.0/Newtonsoft.Json.dll": {}}},
            "StyleCop.Analyzers/1.1.118": {},
            "runtime.native.System/4.3.0": {"native": {"x.so": {}}}}},
         "libraries": {
            "App/1.0.0": {"type": "project"},
            "Newtonsoft.Json/13.0.1": {"type": "package"},
            "StyleCop.Analyzers/1.1.118": {"type": "package"},
            "runtime.native.System/4.3.0": {"type": "Package"},
            "Orphan/2.0.0": {"type": "package"},
            "Broken": {"type": "package"}}}
        """
        #expect(try Self.parse(.dotnetDeps, text).get().map { "\($0.name)@\($0.version)" }
            == ["Newtonsoft.Json@13.0.1", "runtime.native.System@4.3.0", "Orphan@2.0.0"])
        #expect(Self.problem(.dotnetDeps, #"{"libraries": []}"#) == #""libraries" is not a JSON object"#)
        #expect(Self.problem(.dotnetDeps, #"{"libraries": {"A/1": 3}}"#) == "library 'A/1' is not a JSON object")
    }

    @Test func nugetLockAndConfig() throws {
        let lock = """
        {"version": 1, "dependencies": {
          "net6.0": {"Newtonsoft.Json": {"type": "Direct", "requested": "[13.0.1, )", "resolved": "13.0.1"},
                     "MyLib": {"type": "Project"}},
          "net8.0": {"Newtonsoft.Json": {"type": "Direct", "resolved": "13.0.1"},
                     "System.Text.Json": {"type": "Transitive", "resolved": "8.0.4"}}}}
        """
        #expect(try Self.parse(.nugetLock, lock).get().map { "\($0.name)@\($0.version)" } == ["Newtonsoft.Json@13.0.1", "System.Text.Json@8.0.4"])
        let config = """
        \u{FEFF}<?xml version="1.0" encoding="utf-8"?>
        <!-- a comment with <package id="Hidden" version="1"/> inside -->
        <packages>
          <package id="Newtonsoft.Json" version="12.0.1" targetFramework="net472" />
          <package id='A&amp;B' version='1.0' />
          <package id="StyleCop" version="1.0" developmentDependency="true" />
          <package version="2.0" />
        </packages>
        """
        #expect(try Self.parse(.nugetConfig, config).get().map { "\($0.name)@\($0.version)" } == ["Newtonsoft.Json@12.0.1", "A&B@1.0"])
        #expect(Self.problem(.nugetConfig, "<project><package id=\"a\" version=\"1\"/></project>")?.contains("not <packages>") == true)
        #expect(Self.problem(.nugetConfig, "<packages><package id=\"a\" version=\"1\"") != nil)
        #expect(Self.problem(.nugetConfig, "<packages><package id=a/></packages>")?.contains("not quoted") == true)
        #expect(Self.problem(.nugetConfig, "just text") == "no <packages> element")
    }

    @Test func condaRecord() throws {
        let text = #"{"build": "py38h06a4308_0", "name": "pip", "version": "22.2.2", "license": "MIT", "files": ["bin/pip"]}"#
        #expect(try Self.parse(.condaMeta, text).get() == [Package(name: "pip", version: "22.2.2", licenses: ["MIT"])])
        #expect(Self.problem(.condaMeta, #"{"name": "pip"}"#) == "conda record without a name or version")
    }

    @Test(arguments: [
        ("MIT", ["MIT"]), ("MIT or Apache-2.0", ["MIT", "Apache-2.0"]), ("GPL-1+,GPL-2", ["GPL-1+", "GPL-2"]),
        ("LGPLv3+_or_GPLv2+", ["LGPLv3+", "GPLv2+"]), ("Apache License, Version 2.0", ["Apache License, Version 2.0"]),
        ("BSD-3-CLAUSE and GPL-2", ["BSD-3-CLAUSE", "GPL-2"]), ("see https://x", ["text://see https://x"]), ("", []),
        ("GPL-1+ or Artistic, and BSD-4-clause-POWERDOG", ["GPL-1+", "Artistic", "BSD-4-clause-POWERDOG"]),
    ])
    func licenseSplitting(field: String, expected: [String]) {
        #expect(LicenseNames.split(field) == expected)
    }

    @Test func sampleRoundTrip() {
        let sample = InstalledMetadataSample(packages: [Package(name: "a\t\n\u{0}", version: "1", licenses: ["x", ""])], problem: "p")
        #expect(InstalledMetadataSample(decoding: sample.encoded()) == sample)
        #expect(InstalledMetadataSample(decoding: [0x50, 0xFF, 0xFF, 0xFF, 0x7F]) == nil)
    }
}
