import Foundation
import Testing
@testable import VulnDB

/// Parses the real feed snapshots under `shared/data/feeds`; each test is skipped (with the
/// reason) on machines without them. Counts are printed for the record.
@Suite("Real feed data")
struct RealFeedTests {
    private static func parseReal(_ relative: String) throws -> FeedParseResult {
        let data = try RealFeeds.bytes(relative)
        let format = try #require(FeedImporter.detect(path: relative, data: data), "\(relative) not detected")
        let result = try FeedImporter.parseDetailed(path: relative, data: data, format: format)
        print("[real-feeds] \(relative) (\(format.rawValue)): \(result.batch.advisories.count) advisories, "
              + "\(result.batch.vulnerabilities.count) vulnerabilities, \(result.skippedCount) skipped \(result.skipped)")
        return result
    }

    @Test("Alpine v3.10 main: openssl fixes", .enabled(if: RealFeeds.has("alpine-secdb/v3.10/main.yaml"),
                                                    RealFeeds.absent("alpine-secdb/v3.10/main.yaml")))
    func alpineOpenSSL() throws {
        let result = try Self.parseReal("alpine-secdb/v3.10/main.yaml")
        let openssl = result.batch.advisories.filter { $0.packageName == "openssl" }
        let alpine310 = Ecosystem(family: "alpine", release: "3.10")
        for id in ["CVE-2019-1547", "CVE-2019-1549", "CVE-2019-1563"] {
            let advisory = try #require(openssl.first { $0.vulnerabilityID == id }, "\(id)")
            #expect(advisory.fixedVersion == "1.1.1d-r0")
            #expect(advisory.status == .fixed)
            #expect(advisory.ecosystem == alpine310)
            #expect(advisory.source == "alpine")
        }
        #expect(openssl.first { $0.vulnerabilityID == "CVE-2019-1543" }?.fixedVersion == "1.1.1b-r1")
        // Keys that YAML would read as numbers stay verbatim (curl's `7.53.0`, vim's `8.1.1365`).
        #expect(result.batch.advisories.contains { $0.fixedVersion == "8.1.1365" })
        #expect(result.skippedCount == 0)
    }

    static let alpineFileList = ["v3.9", "v3.10", "v3.11"].flatMap { ["alpine-secdb/\($0)/main.yaml", "alpine-secdb/\($0)/community.yaml"] }
        + ["alpine-secdb/json-samples/claircore-v3.10-community.json", "alpine-secdb/json-samples/wolfi-security-sample.json",
           "alpine-secdb/json-samples/vunnel-v3.15-main.yaml", "alpine-secdb/json-samples/vunnel-v3.15-community.yaml"]

    @Test("every Alpine/Wolfi secdb file parses", .enabled(if: RealFeeds.has("alpine-secdb"), RealFeeds.absent("alpine-secdb")),
          arguments: alpineFileList)
    func alpineFiles(relative: String) throws {
        // the suite's trait checks the data set is here; a file missing from it is a failure
        try #require(RealFeeds.has(relative), "\(relative) missing from the shared feeds")
        let result = try Self.parseReal(relative)
        #expect(!result.batch.advisories.isEmpty)
        #expect(result.batch.advisories.allSatisfy { !$0.vulnerabilityID.isEmpty && !$0.vulnerabilityID.contains(" ") })
        if relative.contains("wolfi") {
            #expect(result.batch.advisories.allSatisfy { $0.ecosystem == Ecosystem(family: "wolfi", release: "") })
            #expect(result.batch.advisories.contains { $0.status == .notAffected })
        }
    }

    @Test("DSA list: DSA-4195-1 wget in jessie", .enabled(if: RealFeeds.has("debian-tracker/DSA-list"),
                                                          RealFeeds.absent("debian-tracker/DSA-list")))
    func dsaWget() throws {
        let result = try Self.parseReal("debian-tracker/DSA-list")
        let wget = try #require(result.batch.advisories.first {
            $0.advisoryID == "DSA-4195-1" && $0.ecosystem.release == "8" && $0.vulnerabilityID == "CVE-2018-0494"
        })
        #expect(wget.packageName == "wget")
        #expect(wget.fixedVersion == "1.16-1+deb8u5")
        #expect(wget.status == .fixed)
        let record = try #require(result.batch.vulnerabilities.first { $0.id == "CVE-2018-0494" })
        #expect(record.references.contains("https://security-tracker.debian.org/tracker/DSA-4195-1"))
        #expect(result.batch.advisories.contains { $0.status == .notAffected })
        #expect(result.batch.advisories.contains { $0.status == .endOfLife })
    }

    @Test("DSA and DLA lists parse completely, quickly enough",
          .enabled(if: RealFeeds.has("debian-tracker/DSA-list") && RealFeeds.has("debian-tracker/DLA-list"),
                   RealFeeds.absent("debian-tracker/{DSA,DLA}-list")))
    func advisoryListsComplete() throws {
        let dsa = try RealFeeds.bytes("debian-tracker/DSA-list")
        let dla = try RealFeeds.bytes("debian-tracker/DLA-list")
        let clock = ContinuousClock()
        var dsaResult = FeedParseResult()
        var dlaResult = FeedParseResult()
        let elapsed = try clock.measure {
            dsaResult = try FeedImporter.parseDetailed(path: "DSA-list", data: dsa, format: .debianAdvisoryList)
            dlaResult = try FeedImporter.parseDetailed(path: "DLA-list", data: dla, format: .debianAdvisoryList)
        }
        print("[real-feeds] DSA-list: \(dsaResult.batch.advisories.count) advisories, \(dsaResult.batch.vulnerabilities.count) vulnerabilities, skipped \(dsaResult.skipped)")
        print("[real-feeds] DLA-list: \(dlaResult.batch.advisories.count) advisories, \(dlaResult.batch.vulnerabilities.count) vulnerabilities, skipped \(dlaResult.skipped)")
        print("[real-feeds] DSA+DLA parse time: \(elapsed)")
        #expect(dsaResult.batch.advisories.count > 10_000)
        #expect(dlaResult.batch.advisories.count > 10_000)
        // Generous bound for debug builds on a loaded 2-core machine; release is far below.
        #expect(elapsed < .seconds(10))
    }

    @Test("vunnel DSA sample (old ids, announcements, missing CVE lines)",
          .enabled(if: RealFeeds.has("debian-tracker/json-samples/vunnel-DSA"), RealFeeds.absent("debian-tracker/json-samples/vunnel-DSA")))
    func vunnelDSA() throws {
        let result = try Self.parseReal("debian-tracker/json-samples/vunnel-DSA")
        #expect(result.batch.advisories.contains { $0.advisoryID == "DSA-141" && $0.vulnerabilityID == "CVE-2002-1425" })
        #expect(result.batch.advisories.contains { $0.vulnerabilityID == "DSA-2808-2" && $0.ecosystem.release == "6" })
        #expect(!result.batch.advisories.contains { $0.advisoryID == "DSA-4205-1" || $0.advisoryID == "DSA-3281-1" })
    }

    @Test("Debian tracker JSON sample", .enabled(if: RealFeeds.has("debian-tracker/json-samples/vunnel-debian.json"),
                                                RealFeeds.absent("debian-tracker/json-samples/vunnel-debian.json")))
    func trackerJSON() throws {
        let result = try Self.parseReal("debian-tracker/json-samples/vunnel-debian.json")
        let notAffected = try #require(result.batch.advisories.first {
            $0.vulnerabilityID == "CVE-2007-2383" && $0.ecosystem.release == "8"
        })
        #expect(notAffected.status == .notAffected)
        #expect(notAffected.vendorSeverity == "unimportant")
        let fixed = try #require(result.batch.advisories.first {
            $0.vulnerabilityID == "CVE-2008-7220" && $0.ecosystem.release == "9"
        })
        #expect(fixed.fixedVersion == "1.6.0.2-1")
        #expect(fixed.vendorSeverity == "high**")
        #expect(result.batch.vulnerabilities.contains { $0.id == "CVE-2022-0358" })
    }

    @Test("Ubuntu OSV CVE-2014-6271: bash in 14.04", .enabled(if: RealFeeds.has("ubuntu/osv/CVE-2014-6271.json"),
                                                            RealFeeds.absent("ubuntu/osv/CVE-2014-6271.json")))
    func ubuntuShellshock() throws {
        let result = try Self.parseReal("ubuntu/osv/CVE-2014-6271.json")
        let bash = try #require(result.batch.advisories.first)
        #expect(bash.vulnerabilityID == "CVE-2014-6271")
        #expect(bash.ecosystem == Ecosystem(family: "ubuntu", release: "14.04"))
        #expect(bash.packageName == "bash")
        #expect(bash.status == .fixed)
        #expect(bash.fixedVersion == "4.3-7ubuntu1.1")
        #expect(bash.vendorSeverity == "high")
        #expect(bash.source == "ubuntu")
        #expect(result.batch.vulnerabilities.first?.cvss.first?.v3Score == 9.8)
    }

    @Test("Ubuntu USN-5614-1 maps to CVE-2021-3782", .enabled(if: RealFeeds.has("ubuntu/osv/USN-5614-1.json"),
                                                             RealFeeds.absent("ubuntu/osv/USN-5614-1.json")))
    func ubuntuUSN() throws {
        let result = try Self.parseReal("ubuntu/osv/USN-5614-1.json")
        #expect(!result.batch.advisories.isEmpty)
        #expect(result.batch.advisories.allSatisfy { $0.vulnerabilityID == "CVE-2021-3782" && $0.advisoryID == "USN-5614-1" })
    }

    @Test("every OSV file under ubuntu/osv, go-osv and pypi-osv parses",
          .enabled(if: RealFeeds.has("ubuntu/osv") || RealFeeds.has("go-osv") || RealFeeds.has("pypi-osv"),
                   RealFeeds.absent("ubuntu/osv, go-osv, pypi-osv")))
    func allOSV() throws {
        for directory in ["ubuntu/osv", "go-osv", "pypi-osv"] {
            guard let root = RealFeeds.path(directory),
                  let enumerator = FileManager.default.enumerator(atPath: root) else { continue }
            var files = 0, advisories = 0, vulnerabilities = 0
            var skipped: [String: Int] = [:]
            var ids = Set<String>()
            while let name = enumerator.nextObject() as? String {
                guard name.hasSuffix(".json") else { continue }
                let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: root + "/" + name)))
                #expect(FeedImporter.detect(path: name, data: data) == .osv, "\(directory)/\(name)")
                let result = try FeedImporter.parseDetailed(path: "\(directory)/\(name)", data: data, format: .osv)
                files += 1
                advisories += result.batch.advisories.count
                vulnerabilities += result.batch.vulnerabilities.count
                skipped.merge(result.skipped, uniquingKeysWith: +)
                for advisory in result.batch.advisories { ids.insert(advisory.source) }
            }
            print("[real-feeds] \(directory): \(files) files, \(advisories) advisories, \(vulnerabilities) vulnerabilities, sources \(ids.sorted()), skipped \(skipped)")
            #expect(files > 0)
        }
    }
}
