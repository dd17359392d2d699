import FeedUpdate
import Foundation
import ImageFixtures
import Testing
import VulnDB
import VigilCore

@Suite struct FeedsConfigTests {
    @Test func defaultsCoverThePublicFeeds() {
        let config = FeedsConfig.defaults(currentYear: 2026)
        let names = config.feeds.map(\.name)
        #expect(names == ["alpine", "wolfi", "debian", "ubuntu", "nvd", "cwe", "osv-pypi", "osv-go", "rustsec", "alma", "rocky", "ghsa", "rubysec", "friendsofphp",
                          "nodejs-security-wg", "redhat"])
        let nvd = config.feeds.first { $0.name == "nvd" }!
        #expect(nvd.urls.count == 2026 - 2002 + 1)
        #expect(nvd.urls.last == "https://nvd.nist.gov/feeds/json/cve/2.0/nvdcve-2.0-2026.json.gz")
        #expect(config.feeds.allSatisfy { $0.urls.allSatisfy { $0.hasPrefix("https://") } })
        // Every mirror path exists in the shared mirror layout.
        let sharedRoot = ProcessInfo.processInfo.environment["VIGIL_SHARED"].flatMap { $0.isEmpty ? nil : $0 }
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared").path
        let shared = sharedRoot + "/data/feeds"
        if FileManager.default.fileExists(atPath: shared) {
            for feed in config.feeds { for m in feed.mirror { #expect(FileManager.default.fileExists(atPath: shared + "/" + m), "\(m)") } }
        } else {
            print("skipping mirror-path check: \(shared) not found")
        }
    }

    @Test func entriesOverrideByNameAndAdd() throws {
        let text = """
            max-file-size: 64MiB
            feeds:
              - name: alpine
                url: file:///srv/mirror/alpine/
              - name: nvd
                enabled: false
              - name: internal
                format: osv
                urls: [https://feeds.example.internal/osv/]
                mirror: internal/
            """
        let config = try FeedsConfig.parse(text, path: "feeds.yaml", base: .defaults(currentYear: 2026))
        #expect(config.maxFileBytes == 64 << 20)
        let alpine = config.feeds.first { $0.name == "alpine" }!
        #expect(alpine.urls == ["file:///srv/mirror/alpine/"])
        #expect(alpine.mirror == ["alpine-secdb/"], "fields not given keep their defaults")
        #expect(alpine.format == .alpineSecdb)
        #expect(!config.enabledFeeds.contains { $0.name == "nvd" })
        #expect(config.feeds.last == FeedSpec(name: "internal", urls: ["https://feeds.example.internal/osv/"], mirror: ["internal/"], format: .osv))
        // The printed config reads back to the same config.
        #expect(try FeedsConfig.parse(config.yaml(), path: "printed", base: FeedsConfig(feeds: [])) == config)
    }

    @Test func defaultsFalseStartsEmpty() throws {
        let config = try FeedsConfig.parse("feeds:\n  - name: a\n    url: /tmp/a\ndefaults: false\n", path: "c.yaml")
        #expect(config.feeds.map(\.name) == ["a"])
    }

    @Test(arguments: [
        ("feeds:\n  - name: x\n    format: yamlish\n", "c.yaml:3: unknown format `yamlish`"),
        ("feeds:\n  - name: x\n    colour: red\n", "c.yaml:3: unknown feed key `colour`"),
        ("feed:\n  - name: x\n", "c.yaml:1: unknown key `feed`"),
        ("feeds:\n  - url: /a\n", "c.yaml:2: a feed needs a `name`"),
        ("feeds:\n  - name: x\n    mirror: ../etc/\n", "c.yaml:2: feed `x`: mirror path `../etc/` must be relative"),
        ("feeds:\n  - name: x\n  - name: x\n", "c.yaml:3: feed `x` is listed twice"),
        ("max-file-size: lots\n", "c.yaml:1: a size must look like"),
        ("feeds: [\n", "c.yaml:2: invalid YAML"),
    ])
    func badConfigsNameTheLine(text: String, message: String) {
        let error = #expect(throws: FeedUpdateError.self) { _ = try FeedsConfig.parse(text, path: "c.yaml") }
        #expect(error?.message.hasPrefix(message) == true, "\(error?.message ?? "")")
    }
}

@Suite struct LocationAndListingTests {
    @Test func locations() throws {
        #expect(try FeedLocation("https://a.example/x.json") == .remote("https://a.example/x.json"))
        #expect(try FeedLocation("file:///srv/feeds/") == .local("/srv/feeds"))
        #expect(try FeedLocation("feeds/alpine") == .local("feeds/alpine"))
        #expect(throws: FeedUpdateError.self) { try FeedLocation("ftp://a.example/x") }
        #expect(try FeedLocation.mirror(base: "http://127.0.0.1:8000", path: "rhel-family-samples/alma osv/")
                == .remote("http://127.0.0.1:8000/rhel-family-samples/alma%20osv/"))
        #expect(try FeedLocation.mirror(base: "/srv/m/", path: "nvd/") == .local("/srv/m/nvd/"))
    }

    @Test func pythonHTTPServerIndex() {
        let html = """
            <!DOCTYPE HTML><html><head><title>Directory listing for /rhel-family-samples/alma-osv/</title></head><body>
            <ul>
            <li><a href="ALSA-2023%3A4520.json">ALSA-2023:4520.json</a></li>
            <li><a href="nested/">nested/</a></li>
            <li><a href="ALSA-2023%3A4520.json">again</a></li>
            </ul></body></html>
            """
        let listing = DirectoryListing(html: html, directoryPath: "/rhel-family-samples/alma-osv/")
        #expect(listing.entries.map { $0.name + ($0.isDirectory ? "/" : "") } == ["ALSA-2023:4520.json", "nested/"])
    }

    @Test func hostileAndApacheLinksAreDropped() {
        let html = """
            <a href="?C=N;O=D">Name</a> <a href="/feeds/">Parent Directory</a> <a href="../">up</a>
            <a href="http://evil.example/x.json">x</a> <a href="//evil.example/y">y</a> <a href="%2e%2e/">dots</a>
            <a href="a%2Fb.json">slash</a> <a href=".hidden">h</a> <a HREF='/feeds/nvd/page.json'>abs</a>
            <a href="./ok.yaml">ok</a> <a href=plain.json>plain</a>
            """
        let listing = DirectoryListing(html: html, directoryPath: "/feeds/nvd/")
        #expect(listing.entries.map(\.name) == ["page.json", "ok.yaml", "plain.json"])
    }
}

@Suite(.serialized) struct DatabaseUpdaterTests {
    let scratch = ScratchDirectory()

    func fixture(_ rel: String) throws -> [UInt8] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("VulnDBTests/Fixtures")
        return [UInt8](try Data(contentsOf: root.appendingPathComponent(rel)))
    }

    /// A two-feed mirror written from the VulnDB fixtures; one file gzip-compressed.
    func mirror() throws -> String {
        scratch.write("mirror/alpine-secdb/v3.99/main.yaml", try fixture("alpine/v3.99-main.yaml"))
        scratch.write("mirror/pypi-osv/PYSEC-2031-77.json.gz", Gzip.compress(try fixture("osv/PYSEC-2031-77.json")))
        scratch.write("mirror/go-osv/GO-2031-0001.json", try fixture("osv/GO-2031-0001.json"))
        scratch.write("mirror/go-osv/.hidden/ignored.json", Array("not a feed".utf8))
        return scratch.path + "/mirror"
    }

    var config: FeedsConfig {
        FeedsConfig(feeds: [
            FeedSpec(name: "alpine", urls: [], mirror: ["alpine-secdb/"], format: .alpineSecdb),
            FeedSpec(name: "osv", urls: [], mirror: ["pypi-osv/", "go-osv/"]),
            FeedSpec(name: "wolfi", urls: ["https://packages.wolfi.dev/os/security.json"]),
        ])
    }

    @Test func buildsFromAMirrorAndLabelsSources() async throws {
        let db = scratch.path + "/db/vigil.db"
        let events = EventLog()
        let report = try await DatabaseUpdater(destination: db, config: config, mirror: try mirror()).run { events.append($0) }
        #expect(report.feeds == ["alpine", "osv"])
        #expect(report.files == 3)
        let info = try VulnDatabase(readOnlyPath: db).info()
        #expect(Set(info.sources.map(\.id)) == ["alpine", "osv-PyPI", "osv-Go"])
        #expect(info.sources.first { $0.id == "osv-PyPI" }?.inputs.hasPrefix("osv (\(scratch.path)/mirror/pypi-osv/ +1 more)") == true)
        #expect(events.text.contains("skipped wolfi"))
        #expect(events.text.contains("planned 2 3"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/db").sorted() == ["vigil.db", "vigil.db.lock"])
    }

    @Test func aBadFileKeepsTheOldDatabaseAndNamesTheSource() async throws {
        let db = scratch.path + "/db/vigil.db"
        let source = try mirror()
        _ = try await DatabaseUpdater(destination: db, config: config, mirror: source).run()
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        scratch.write("mirror/go-osv/GO-2031-0002.json", Array(#"{"id": "GO-2031-0002", "affected": [ {"#.utf8))
        let error = await #expect(throws: VulnDBError.self) {
            _ = try await DatabaseUpdater(destination: db, config: config, mirror: source).run()
        }
        #expect(error?.message.hasPrefix("\(source)/go-osv/GO-2031-0002.json") == true, "\(error?.message ?? "")")
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/db").sorted() == ["vigil.db", "vigil.db.lock"])
    }

    @Test func aHintedSingleFileMustHoldThatFormat() async throws {
        scratch.write("files/secdb.json", Array("<html>not found</html>".utf8))
        let config = FeedsConfig(feeds: [FeedSpec(name: "alpine", urls: [scratch.path + "/files/secdb.json"], format: .alpineSecdb)])
        let error = await #expect(throws: FeedUpdateError.self) {
            _ = try await DatabaseUpdater(destination: scratch.path + "/db/vigil.db", config: config).run()
        }
        #expect(error?.message == "feed 'alpine': \(scratch.path)/files/secdb.json: is not a recognised feed file (starts with `<html>not found</html>`), expected alpineSecdb; the database was not changed")
    }

    @Test func oversizedFilesAreRefused() async throws {
        var config = self.config
        config.maxFileBytes = 100
        let source = try mirror()
        let error = await #expect(throws: FeedUpdateError.self) {
            _ = try await DatabaseUpdater(destination: scratch.path + "/db/vigil.db", config: config, mirror: source).run()
        }
        #expect(error?.reason == .validation && error?.message.contains("file limit (max-file-size") == true, "\(error?.message ?? "")")
    }

    @Test func aHeldLockMakesTheSecondUpdaterWaitThenGiveUp() throws {
        let db = scratch.path + "/db/vigil.db"
        let first = try UpdateLock(databasePath: db, timeout: 1)
        var waitedFor: Int32? = nil
        let error = #expect(throws: FeedUpdateError.self) {
            _ = try UpdateLock(databasePath: db, timeout: 0.3) { waitedFor = $0 }
        }
        #expect(error?.reason == .locked && error?.message.contains("pid \(getpid())") == true, "\(error?.message ?? "")")
        #expect(waitedFor == getpid())
        withExtendedLifetime(first) {}
    }
}

/// Events as text, for assertions.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    func append(_ event: DatabaseUpdater.Event) {
        lock.lock(); defer { lock.unlock() }
        switch event {
        case .skipped(let feed, _): lines.append("skipped \(feed)")
        case .planned(let feeds, let files): lines.append("planned \(feeds) \(files)")
        default: break
        }
    }

    var text: String {
        lock.lock(); defer { lock.unlock() }
        return lines.joined(separator: "\n")
    }
}
