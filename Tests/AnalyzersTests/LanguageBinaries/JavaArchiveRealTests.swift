@testable import Analyzers
import ContainerImage
import Foundation
import ImageFixtures
import Testing

/// Debian's real jars (log4j 2, commons-lang3, commons-io, guava), alone and nested in a war, a
/// Spring Boot style fat jar (stored `BOOT-INF/lib/*.jar`) and an ear holding the war, all built
/// here with `zip`. Every expected identity is read from the jar by `unzip -p … pom.properties`.
@Suite(.enabled(if: LangBinaryFixtures.available && LangBinaryFixtures.tool("/usr/bin/zip") && LangBinaryFixtures.tool("/usr/bin/unzip")))
struct JavaArchiveRealTests {
    static let pkgs = LangBinaryFixtures.packages

    /// Regular-file jars of the Debian packages (their unversioned names are symlinks).
    static func debianJars() throws -> [String] {
        var jars: [String] = []
        for package in ["liblog4j2-java", "libcommons-lang3-java", "libcommons-io-java", "libguava-java"] {
            let dir = pkgs + "/\(package)/usr/share/java"
            for name in try FileManager.default.contentsOfDirectory(atPath: dir).sorted() where name.hasSuffix(".jar") {
                if case .regular? = FileKindProbe.kind(dir + "/" + name) { jars.append(dir + "/" + name) }
            }
        }
        return jars
    }

    /// `groupId:artifactId version` of every pom.properties in `jar`, as unzip extracts them.
    static func pomIdentities(_ jar: String) throws -> [String] {
        let list = try LangBinaryFixtures.run("/usr/bin/unzip", ["-Z1", jar])
        var result: [String] = []
        for entry in list.out.split(separator: "\n") where entry.hasSuffix("/pom.properties") || entry == "pom.properties" {
            let text = try LangBinaryFixtures.run("/usr/bin/unzip", ["-p", jar, String(entry)]).out
            var fields: [String: String] = [:]
            for line in text.split(whereSeparator: \.isNewline) {
                let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2 { fields[parts[0]] = parts[1] }
            }
            if let g = fields["groupId"], let a = fields["artifactId"], let v = fields["version"] { result.append("\(g):\(a) \(v)") }
        }
        return result.sorted()
    }

    static func inventory(_ root: String) throws -> Inventory {
        try InventoryBuilder.build(DirectoryFileSystem(root: root, request: InventoryBuilder.request))
    }

    /// Vigil's jar packages per path, as `name version`.
    static func byPath(_ inventory: Inventory) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for app in inventory.applications where app.type == .jar {
            for p in app.packages { result[p.databasePath, default: []].append("\(p.name) \(p.version)") }
        }
        return result.mapValues { $0.sorted() }
    }

    @Test func plainDebianJars() throws {
        let scratch = ScratchDirectory()
        let jars = try Self.debianJars()
        var expected: [String: [String]] = [:]
        for jar in jars {
            let name = (jar as NSString).lastPathComponent
            try LangBinaryFixtures.place(jar, in: scratch.path + "/root", as: "opt/app/lib/" + name)
            let ids = try Self.pomIdentities(jar)
            if !ids.isEmpty { expected["opt/app/lib/" + name] = ids }
        }
        #expect(expected.count >= 10, "Debian's jars carry pom.properties")
        let found = Self.byPath(try Self.inventory(scratch.path + "/root"))
        for (path, ids) in expected { #expect(found[path] == ids, "\(path)") }
        let inventory = try Self.inventory(scratch.path + "/root")
        #expect(inventory.warnings.isEmpty)
        #expect(inventory.applications.filter { $0.type == .jar }.map(\.target) == ["Java"])
    }

    /// A war (deflated WEB-INF/lib), a fat jar (stored BOOT-INF/lib, with its own pom.properties)
    /// and an ear holding the war: every inner jar's identities, at `outer/inner` paths.
    @Test func nestedArchives() throws {
        let scratch = ScratchDirectory()
        let jars = try Self.debianJars().filter { !(try Self.pomIdentities($0)).isEmpty }.prefix(6)
        let stage = scratch.path + "/stage"
        for dir in ["war/WEB-INF/lib", "boot/BOOT-INF/lib", "boot/META-INF/maven/com.example/demo", "ear"] {
            try FileManager.default.createDirectory(atPath: stage + "/" + dir, withIntermediateDirectories: true)
        }
        for jar in jars {
            let name = (jar as NSString).lastPathComponent
            try FileManager.default.copyItem(atPath: jar, toPath: stage + "/war/WEB-INF/lib/" + name)
            try FileManager.default.copyItem(atPath: jar, toPath: stage + "/boot/BOOT-INF/lib/" + name)
        }
        try "<web-app/>\n".write(toFile: stage + "/war/WEB-INF/web.xml", atomically: true, encoding: .utf8)
        try "groupId=com.example\nartifactId=demo\nversion=0.0.1-SNAPSHOT\n".write(toFile: stage + "/boot/META-INF/maven/com.example/demo/pom.properties", atomically: true, encoding: .utf8)
        let out = scratch.path + "/root/srv"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        func zip(_ args: [String], in dir: String) throws {
            let r = try LangBinaryFixtures.run("/usr/bin/zip", ["-q", "-r"] + args, in: dir)
            try #require(r.status == 0, "zip \(args): \(r.err)")
        }
        try zip([out + "/shop.war", "WEB-INF"], in: stage + "/war")
        try zip(["-0", out + "/demo-0.0.1-SNAPSHOT.jar", "BOOT-INF", "META-INF"], in: stage + "/boot") // Spring Boot stores nested jars
        try FileManager.default.copyItem(atPath: out + "/shop.war", toPath: stage + "/ear/shop.war")
        try zip([out + "/bundle.ear", "shop.war"], in: stage + "/ear")

        var expected: [String: [String]] = ["srv/demo-0.0.1-SNAPSHOT.jar": ["com.example:demo 0.0.1-SNAPSHOT"]]
        for jar in jars {
            let name = (jar as NSString).lastPathComponent
            let ids = try Self.pomIdentities(jar)
            expected["srv/shop.war/WEB-INF/lib/" + name] = ids
            expected["srv/demo-0.0.1-SNAPSHOT.jar/BOOT-INF/lib/" + name] = ids
            expected["srv/bundle.ear/shop.war/WEB-INF/lib/" + name] = ids
        }
        let inventory = try Self.inventory(scratch.path + "/root")
        #expect(Self.byPath(inventory) == expected)
        #expect(inventory.warnings.isEmpty)
    }
}

/// The file kind without following links (SystemIO is not a dependency of this test target).
enum FileKindProbe {
    enum Kind { case regular, other }
    static func kind(_ path: String) -> Kind? {
        guard let attrs = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        return attrs[.type] as? FileAttributeType == .typeRegular ? .regular : .other
    }
}
