import Foundation
import ImageFixtures
import Testing
import TestSupport

/// The scenario rebuilt from real Debian packages: `scripts/build-wordpress-lab-image.py`
/// lays out an image with the same programs owned by dpkg in one layer and copied unowned into
/// `/usr/local` (and WordPress into `/usr/src/wordpress`) in another, scanned by the real `vigil`
/// binary against the real NVD records of ../shared. Every expected CVE list (and severity) comes
/// from `scripts/nvd-cpe-check.py`, an independent implementation of NVD's configuration logic,
/// run on the same records; the assets it is given are built from the packages' own versions.
@Suite(.enabled(if: SharedData.available && SharedData.vigilBinary != nil && UnmanagedFixtures.available), .serialized)
final class UnmanagedImageTests {
    static let packages = UnmanagedFixtures.packages

    let scratch = ScratchDirectory()
    let vigil = SharedData.vigilBinary!
    let records = SharedData.path("data/feeds/nvd/records")
    let report: [String: Any]

    init() throws {
        let image = scratch.path + "/wordpress-lab.tar"
        let build = try Run.program("/usr/bin/env", ["python3", SharedData.repoRoot + "/scripts/build-wordpress-lab-image.py",
                                                     Self.packages, SharedData.root, image])
        try #require(build.status == 0, "image build failed: \(build.stderr)")
        let db = scratch.path + "/vigil.db"
        let imported = try Run.program(vigil, ["db", "import", "--db", db, records])
        try #require(imported.status == 0, "db import failed: \(imported.stderr)")
        let scan = try Run.program(vigil, ["image", "--input", image, "--db", db, "-f", "json", "--quiet"])
        try #require(scan.status == 0, "scan failed: \(scan.stderr)")
        report = try #require(JSONSerialization.jsonObject(with: Data(scan.stdout.utf8)) as? [String: Any])
    }

    var results: [[String: Any]] { report["Results"] as? [[String: Any]] ?? [] }

    static func upstream(_ package: String) throws -> String {
        var v = Substring(try String(contentsOfFile: packages + "/\(package).version", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))
        if let colon = v.firstIndex(of: ":") { v = v[v.index(after: colon)...] }
        if let dash = v.lastIndex(of: "-") { v = v[..<dash] }
        if let plus = v.firstIndex(of: "+") { v = v[..<plus] }
        if let tilde = v.firstIndex(of: "~") { v = v[..<tilde] }
        return String(v)
    }

    /// What the image holds outside dpkg, as the build script lays it out: evidence path → CPE
    /// names (vendor:product:version:update) and whether the vendor is unknown (plugins, themes).
    func expectedDetections() throws -> [String: (cpes: [String], anyVendor: Bool)] {
        let bash = try Self.upstream("bash").split(separator: ".")
        func cpe(_ products: [String], _ version: String, _ update: String = "-", target: String = "*") -> [String] {
            products.map { "cpe:2.3:a:\($0):\(version):\(update):*:*:*:\(target):*:*" }
        }
        let akismet = try String(contentsOfFile: Self.packages + "/wordpress/usr/share/wordpress/wp-content/plugins/akismet/akismet.php", encoding: .utf8)
        let akismetVersion = try #require(akismet.split(separator: "\n").first { $0.hasPrefix("Version:") }?.dropFirst(8).trimmingCharacters(in: .whitespaces))
        let theme = try String(contentsOfFile: Self.packages + "/wordpress-theme-twentytwentythree/usr/share/wordpress/wp-content/themes/twentytwentythree/style.css", encoding: .utf8)
        let themeVersion = try #require(theme.split(separator: "\n").first { $0.hasPrefix("Version:") }?.dropFirst(8).trimmingCharacters(in: .whitespaces))
        return [
            "usr/local/bin/php": (cpe(["php:php"], try Self.upstream("php8.2-cli")), false),
            "usr/local/apache2/bin/httpd": (cpe(["apache:http_server"], try Self.upstream("apache2-bin")), false),
            "usr/local/nginx/sbin/nginx": (cpe(["f5:nginx", "nginx:nginx"], try Self.upstream("nginx")), false),
            "usr/local/bin/redis-server": (cpe(["redis:redis", "redislabs:redis"], try Self.upstream("redis-tools")), false),
            "usr/local/lib/libcrypto.so.3": (cpe(["openssl:openssl"], try Self.upstream("libssl3")), false),
            "usr/local/bin/bash": (cpe(["gnu:bash"], "\(bash[0]).\(bash[1])", "patch\(bash[2])"), false),
            "usr/src/wordpress/wp-includes/version.php": (cpe(["wordpress:wordpress"], "4.6.1"), false),
            "usr/src/wordpress/wp-content/plugins/akismet/akismet.php": (cpe(["*:akismet"], akismetVersion, target: "wordpress"), true),
            "usr/src/wordpress/wp-content/themes/twentytwentythree/style.css": (cpe(["*:twentytwentythree"], themeVersion, target: "wordpress"), true),
        ]
    }

    @Test func unownedCopiesAreReportedOwnedOnesAreNot() throws {
        let custom = results.filter { $0["Class"] as? String == "custom" }
        let expected = try expectedDetections()
        #expect(Set(custom.compactMap { $0["Target"] as? String }) == Set(expected.keys))
        #expect(custom.allSatisfy { ["binary", "wordpress", "wordpress-plugin", "wordpress-theme"].contains($0["Type"] as? String ?? "") })
        #expect(custom.first { $0["Target"] as? String == "usr/src/wordpress/wp-includes/version.php" }?["Type"] as? String == "wordpress")
        // The dpkg-owned copies (usr/sbin/apache2, usr/bin/php8.2, bin/bash…) are never custom targets.
        #expect(!custom.contains { ($0["Target"] as? String ?? "").hasPrefix("usr/sbin/") || ($0["Target"] as? String ?? "").hasPrefix("usr/bin/") })
        // OS findings come from distro advisories only (this database holds none), never from NVD CPEs.
        let os = results.filter { $0["Class"] as? String == "os-pkgs" }
        #expect(os.count == 1)
        #expect((os.first?["Vulnerabilities"] as? [[String: Any]] ?? []).isEmpty)
    }

    @Test func findingsAreExactlyWhatNVDConfigurationsSay() throws {
        let expected = try expectedDetections()
        let assets = expected.values.filter { !$0.anyVendor }.flatMap(\.cpes) + ["cpe:2.3:o:debian:debian_linux:12.0:*:*:*:*:*:*:*"]
        var total = 0
        for result in results where result["Class"] as? String == "custom" {
            let target = try #require(result["Target"] as? String)
            let detection = try #require(expected[target])
            var want: [String: String] = [:]
            for cpe in detection.cpes {
                var args = [SharedData.repoRoot + "/scripts/nvd-cpe-check.py", records, cpe, "--severity"]
                if detection.anyVendor { args.append("--any-vendor") }
                for a in assets where a != cpe { args += ["--asset", a] }
                let run = try Run.program("/usr/bin/env", ["python3"] + args)
                try #require(run.status == 0, "\(run.stderr)")
                for line in run.stdout.split(separator: "\n") {
                    let parts = line.split(separator: " ")
                    want[String(parts[0])] = String(parts[1])
                }
            }
            let vulnerabilities = result["Vulnerabilities"] as? [[String: Any]] ?? []
            var got: [String: String] = [:]
            for v in vulnerabilities {
                got[v["VulnerabilityID"] as! String] = v["Severity"] as? String
                #expect(v["PkgPath"] as? String == target)
                #expect((v["DataSource"] as? [String: Any])?["ID"] as? String == "nvd")
                #expect(v["SeveritySource"] as? String == "nvd" || v["Severity"] as? String == "UNKNOWN")
            }
            #expect(got == want, "\(target)")
            total += got.count
        }
        // WordPress 4.6.1 alone is affected by most of the curated WordPress records.
        #expect(total > 30)
    }
}

/// The real Debian packages `scripts/fetch-unmanaged-fixtures.sh` unpacks under `.build`.
enum UnmanagedFixtures {
    static let packages = SharedData.repoRoot + "/.build/unmanaged-fixtures/pkgs"
    static var available: Bool {
        let ok = FileManager.default.fileExists(atPath: packages + "/wordpress.version")
        if !ok { print("skipping: run scripts/fetch-unmanaged-fixtures.sh for the real Debian packages") }
        return ok
    }
}
