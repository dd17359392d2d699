import Foundation
import ImageFixtures
import Testing
import TestSupport

/// `vigil fs` and `vigil sbom` on hostile project files: malformed, oversized (sparse files far
/// beyond the limits), entity and alias bombs. Each ends with one line naming the file (and the
/// line where known), a non-zero exit, nothing on stdout, and bounded memory.
@Suite(.enabled(if: SharedData.available && SharedData.vigilBinary != nil), .serialized)
final class HostileLockfileTests {
    let scratch = ScratchDirectory()
    let vigil = SharedData.vigilBinary!
    let db: String

    init() throws {
        db = scratch.path + "/vigil.db"
        let run = try Run.program(vigil, ["db", "import", "--db", db, SharedData.path("data/feeds/ghsa")])
        try #require(run.status == 0, "db import failed: \(run.stderr)")
    }

    /// A project directory holding one file `name` with `text`.
    func project(_ name: String, _ text: String) throws -> String {
        let dir = scratch.path + "/proj-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/app", withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/app/" + name))
        return dir
    }

    func expectOneLineFailure(_ run: Run, contains text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run.status == 1, sourceLocation: sourceLocation)
        #expect(run.stdout.isEmpty, sourceLocation: sourceLocation)
        #expect(run.stderr.hasPrefix("vigil: error: "), "\(run.stderr)", sourceLocation: sourceLocation)
        #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)", sourceLocation: sourceLocation)
        #expect(run.stderr.contains(text), "\(run.stderr)", sourceLocation: sourceLocation)
    }

    @Test(arguments: [
        ("package-lock.json", "{\"lockfileVersion\": 3,\n\"packages\": {\"node_modules/a\": {\"version\": 1.0.0}}}", "app/package-lock.json: line 2: "),
        ("yarn.lock", "# yarn lockfile v1\n\nlodash@^4:\n  resolved \"x\"\n", "app/yarn.lock: line 3: entry 'lodash' has no version"),
        ("pnpm-lock.yaml", "lockfileVersion: 5.4\na: &a [x, x, x, x]\nb: &b [*a, *a, *a]\npackages:\n  *b: {}\n",
         "app/pnpm-lock.yaml: line 2: YAML anchors and aliases are not accepted"),
        ("Gemfile.lock", "GEM\n  specs:\n    rack 2.2.3\n", "app/Gemfile.lock: line 3: expected 'name (version)'"),
        ("composer.lock", "{\"packages\": {\"a\": 1}}", "app/composer.lock: \"packages\" is not an array"),
        ("pom.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]>\n<project>&lol2;</project>",
         "app/pom.xml: line 2: document type declarations are not accepted"),
        ("gradle.lockfile", "com.example:only-two=runtimeClasspath\n", "app/gradle.lockfile: line 1: "),
    ])
    func malformedLockfiles(_ name: String, _ text: String, _ message: String) throws {
        let dir = try project(name, text)
        expectOneLineFailure(try Run.program(vigil, ["fs", dir, "--db", db, "-f", "json"]), contains: message)
    }

    /// Sparse files: 1 GiB of apparent size, refused from the size alone, so memory stays small.
    @Test(.requiresExecutable("/usr/bin/time", "peak memory is read from GNU time"), arguments: ["package-lock.json", "yarn.lock", "pom.xml"])
    func hugeLockfilesAreRefusedByTheirSize(_ name: String) throws {
        let dir = try project(name, "")
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/app/" + name))
        try handle.truncate(atOffset: 1 << 30)
        try handle.close()
        let report = scratch.path + "/time-\(name).txt"
        let run = try Run.program("/usr/bin/time", ["-f", "%M", "-o", report, vigil, "fs", dir, "--db", db, "-f", "json"])
        expectOneLineFailure(run, contains: "app/\(name): 1073741824 bytes, more than the 67108864-byte limit")
        let kib = Int(try String(contentsOfFile: report, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").last ?? "") ?? .max
        #expect(kib < 128 * 1024, "peak RSS \(kib) KiB")
    }

    @Test func hugeSBOMIsRefusedByItsSize() throws {
        let file = scratch.write("big.cdx.json", [])
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
        try handle.truncate(atOffset: 1 << 30)
        try handle.close()
        expectOneLineFailure(try Run.program(vigil, ["sbom", file, "--db", db]), contains: file)
    }

    @Test func deeplyNestedPackageLockIsAnError() throws {
        // v1 dependencies nested 100,000 deep: the JSON parser's depth limit stops it, not the stack.
        let depth = 100_000
        let text = "{\"lockfileVersion\": 1, \"dependencies\": " + String(repeating: "{\"a\": {\"version\": \"1.0.0\", \"dependencies\": ", count: depth)
            + "{}" + String(repeating: "}}", count: depth) + "}"
        let dir = try project("package-lock.json", text)
        expectOneLineFailure(try Run.program(vigil, ["fs", dir, "--db", db, "-f", "json"]), contains: "app/package-lock.json: line 1: ")
    }
}
