@testable import Analyzers
import Testing

/// Package URLs read back, and SBOM documents (written for these tests) decoded into inventories,
/// with the JSON path in every error.
@Suite struct SBOMDecoderTests {
    @Test func packageURLs() throws {
        let npm = try #require(ParsedPackageURL("pkg:npm/%40babel/core@7.0.0"))
        #expect(npm.type == "npm" && npm.namespace == "@babel" && npm.name == "core" && npm.version == "7.0.0")
        let deb = try #require(ParsedPackageURL("pkg:deb/debian/libssl1.1@1.1.1n-0%2Bdeb11u3?arch=amd64&distro=debian-11.6&epoch=1"))
        #expect(deb.version == "1.1.1n-0+deb11u3" && deb.qualifiers == ["arch": "amd64", "distro": "debian-11.6", "epoch": "1"])
        let go = try #require(ParsedPackageURL("pkg:golang/golang.org/x/text@v0.3.5"))
        #expect(go.namespace == "golang.org/x" && go.name == "text")
        #expect(ParsedPackageURL("npm/x@1") == nil)
        #expect(ParsedPackageURL("pkg:npm") == nil)
        #expect(ParsedPackageURL("pkg:npm/x%zz@1") == nil)
        // A version-less purl covers every version; qualifiers of the statement must be present.
        let any = try #require(ParsedPackageURL("pkg:npm/%40babel/core"))
        #expect(any.covers(npm))
        #expect(!(try #require(ParsedPackageURL("pkg:npm/%40babel/core@7.0.1"))).covers(npm))
        #expect((try #require(ParsedPackageURL("pkg:deb/debian/libssl1.1?arch=amd64"))).covers(deb))
        #expect(!(try #require(ParsedPackageURL("pkg:deb/debian/libssl1.1?arch=arm64"))).covers(deb))
    }

    @Test func cycloneDXInventory() throws {
        let bom = """
            {"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [
              {"type": "library", "name": "musl", "version": "1.1.22-r3", "purl": "pkg:apk/alpine/musl@1.1.22-r3?arch=x86_64&distro=3.10.4",
               "properties": [{"name": "aquasecurity:trivy:SrcName", "value": "musl"}, {"name": "aquasecurity:trivy:SrcVersion", "value": "1.1.22-r3"}]},
              {"type": "library", "name": "libc6", "version": "2.36-9", "purl": "pkg:deb/debian/libc6@2.36-9?arch=amd64&distro=debian-12.5&epoch=1",
               "properties": [{"name": "vigil:SrcName", "value": "glibc"}, {"name": "vigil:SrcVersion", "value": "2.36"}, {"name": "vigil:SrcRelease", "value": "9"}, {"name": "vigil:SrcEpoch", "value": "1"}]},
              {"type": "library", "name": "PyYAML", "version": "5.3", "purl": "pkg:pypi/pyyaml@5.3", "properties": [{"name": "vigil:PkgType", "value": "poetry"}, {"name": "vigil:FilePath", "value": "app/poetry.lock"}]},
              {"type": "library", "name": "log4j-core", "purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"},
              {"type": "application", "name": "app", "components": [{"type": "library", "name": "x", "purl": "pkg:npm/%40s/x@1.0.0"}]},
              {"type": "library", "name": "akismet", "purl": "pkg:wordpress-plugin/akismet@3.1.11", "properties": [{"name": "vigil:FilePath", "value": "wp/akismet.php"}]},
              {"type": "library", "name": "nameless"},
              {"type": "operating-system", "name": "alpine", "version": "3.10.4"}
            ]}
            """
        let (inventory, format) = try SBOMDecoder.decode(Array(bom.utf8), path: "bom.json")
        #expect(format == .cyclonedx)
        #expect(inventory.os == OperatingSystem(family: "alpine", name: "3.10.4", endOfLife: true, endOfLifeDate: "2021-05-01"))
        #expect(inventory.packages.map { "\($0.format) \($0.name) \($0.version) \($0.sourceName) \($0.sourceVersion)" } == [
            "dpkg libc6 1:2.36-9 glibc 1:2.36-9", "apk musl 1.1.22-r3 musl 1.1.22-r3",
        ])
        #expect(inventory.applications.map { "\($0.type.rawValue) \($0.target) \($0.packages.map(\.name))" } == [
            "npm npm [\"@s/x\"]", "poetry app/poetry.lock [\"PyYAML\"]", "pom pom [\"org.apache.logging.log4j:log4j-core\"]",
        ])
        #expect(inventory.unmanaged.map { "\($0.kind.rawValue) \($0.name) \($0.version) \($0.path)" } == ["wordpress-plugin akismet 3.1.11 wp/akismet.php"])
        #expect(inventory.warnings == ["bom.json: 1 component has no package URL of a kind Vigil matches (deb, apk, rpm, pypi, golang, cargo, npm, gem, composer, maven, generic): not scanned"])
    }

    @Test func spdxInventoryWithOSFromTheDistroQualifier() throws {
        let doc = """
            {"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "packages": [
              {"name": "img", "SPDXID": "SPDXRef-Artifact", "primaryPackagePurpose": "CONTAINER"},
              {"name": "openssl", "SPDXID": "SPDXRef-1", "versionInfo": "3.0.11-1~deb12u2", "sourceInfo": "built package from: openssl 3.0.11-1~deb12u2",
               "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:deb/debian/openssl@3.0.11-1~deb12u2?distro=debian-12.5"}]},
              {"name": "rack", "SPDXID": "SPDXRef-2", "versionInfo": "2.2.3",
               "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:gem/rack@2.2.3"}],
               "annotations": [{"annotator": "Tool: trivy", "annotationType": "OTHER", "comment": "FilePath: Gemfile.lock"}]}
            ]}
            """
        let (inventory, format) = try SBOMDecoder.decode(Array(doc.utf8), path: "doc.spdx.json")
        #expect(format == .spdx)
        #expect(inventory.os?.family == "debian" && inventory.os?.name == "12.5")
        #expect(inventory.packages.map { "\($0.name) \($0.upstreamVersion) \($0.release ?? "")" } == ["openssl 3.0.11 1~deb12u2"])
        #expect(inventory.applications.map { "\($0.type.rawValue) \($0.filePath)" } == ["bundler Gemfile.lock"])
        #expect(inventory.warnings.isEmpty)
    }

    @Test(arguments: [
        ("{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.2\"}", "b.json: $.specVersion: CycloneDX '1.2' is not supported (1.4, 1.5, 1.6)"),
        ("{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"components\": [{\"purl\": 5}]}", "b.json: $.components[0].purl: expected a string"),
        ("{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"components\": [{}, {\"components\": [{\"purl\": \"npm/x\"}]}]}",
         "b.json: $.components[1].components[0].purl: 'npm/x' is not a package URL"),
        ("{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"components\": [{\"purl\": \"pkg:npm/x\"}]}", "b.json: $.components[0]: npm package 'x' has no version"),
        ("{\"spdxVersion\": \"SPDX-2.3\", \"packages\": {}}", "b.json: $.packages: expected an array"),
        ("{\"spdxVersion\": \"SPDX-2.3\", \"packages\": [{\"externalRefs\": [{\"referenceType\": \"purl\"}]}]}", "b.json: $.packages[0].externalRefs[0].referenceLocator: expected a string"),
        ("[1]", "b.json: line 1: expected a JSON object"),
        ("{\"x\": 1}", "b.json: $: neither a CycloneDX document (bomFormat) nor an SPDX document (spdxVersion)"),
    ])
    func malformedDocuments(_ text: String, _ message: String) {
        #expect { try SBOMDecoder.decode(Array(text.utf8), path: "b.json") } throws: { "\($0)" == message }
    }
}
