import Foundation
import Testing
import TestSupport
@testable import RuleEngine

/// The in-kernel open filter derived from the rules (bpf/vigil.bpf.c `open_read_paths`) must admit
/// every read-only open any active rule can match.
@Suite struct OpenReadFilterTests {
    static func filter(_ yaml: String, defaults: Bool = false) -> Result<OpenReadFilter, OpenReadFilterUnavailable> {
        let set = RuleFixtures.load(yaml, defaults: defaults)
        #expect(set.errors.isEmpty, "\(set.errors)")
        return set.openReadFilter()
    }

    static func rule(_ condition: String, name: String = "r") -> String {
        """
        - rule: \(name)
          desc: d
          condition: \(condition)
          output: "x %fd.name"
          priority: WARNING

        """
    }

    @Test func defaultRulesNameOnlySensitivePaths() throws {
        let f = try Self.filter("", defaults: true).get()
        #expect(f.exact.isSuperset(of: ["/etc/shadow", "/etc/gshadow", "/etc/sudoers", "/etc/security/opasswd"]))
        #expect(f.prefixes == ["/etc/sudoers.d/", "/etc/pam.d/", "/root/.ssh/id_", "/home/", "/etc/ssh/ssh_host_"])
        for path in ["/etc/shadow", "/etc/pam.d/login", "/root/.ssh/id_ed25519", "/home/eve/.ssh/id_rsa", "/etc/ssh/ssh_host_rsa_key"] {
            #expect(f.admits(path), "\(path)")
        }
        for path in ["/etc/hostname", "/etc/passwd", "/usr/lib/x86_64-linux-gnu/libc.so.6", "/etc/shadowx", "/etc/pam.conf"] {
            #expect(!f.admits(path), "\(path)")
        }
    }

    @Test func conjunctionKeepsTheTighterSideAndDisjunctionTheUnion() throws {
        let f = try Self.filter(Self.rule("evt.type = openat and fd.name startswith /etc and (fd.name in (/etc/a, /etc/b) or fd.directory = /etc/x)")).get()
        #expect(f == OpenReadFilter(exact: ["/etc/a", "/etc/b"], prefixes: ["/etc/x/"]))
        let g = try Self.filter(Self.rule("open_read and fd.name glob '/var/lib/*/secret' or evt.type = execve", name: "g")
            .replacingOccurrences(of: "open_read", with: "evt.type in (open, openat) and evt.is_open_read = true")).get()
        #expect(g == OpenReadFilter(prefixes: ["/var/lib/"]))
    }

    @Test func rulesThatCannotMatchReadsAddNothing() throws {
        let yaml = Self.rule("evt.type = openat and evt.is_open_write = true", name: "w")
            + Self.rule("evt.type = openat and evt.arg.flags contains O_CREAT", name: "c")
            + Self.rule("evt.type = execve and proc.name = sh", name: "e")
            + Self.rule("evt.type = creat", name: "k")
        #expect(try Self.filter(yaml).get() == OpenReadFilter())
    }

    @Test func unboundedReadRulesDisableTheFilter() {
        #expect(Self.filter(Self.rule("evt.type = openat and fd.name contains id_rsa", name: "keys")) == .failure(OpenReadFilterUnavailable(rule: "keys")))
        #expect(Self.filter(Self.rule("evt.type = openat and not fd.name startswith /proc", name: "neg")) == .failure(OpenReadFilterUnavailable(rule: "neg")))
        #expect(Self.filter(Self.rule("fd.name = /etc/shadow or proc.name = cat", name: "any")) == .failure(OpenReadFilterUnavailable(rule: "any")))
        #expect(Self.filter(Self.rule("evt.type = openat and fd.name glob '*.pem'", name: "glob")) == .failure(OpenReadFilterUnavailable(rule: "glob")))
    }

    @Test func pmatchGlobAndNonASCIIValues() throws {
        // pmatch ignores a trailing "/": /etc/ssh itself matches (/etc/ssh/)
        let p = try Self.filter(Self.rule("evt.type = openat and fd.name pmatch (/etc/ssh/)")).get()
        #expect(p.admits("/etc/ssh") && p.admits("/etc/ssh/sshd_config"))
        // "[..]" is a class matching one ".", not a traversal
        let g = try Self.filter(Self.rule("evt.type = openat and fd.name glob '/etc/[..]profile'")).get()
        #expect(g.admits("/etc/.profile"))
        // the kernel compares bytes, Swift strings compare canonically: no entries from non-ASCII values
        #expect(Self.filter(Self.rule("evt.type = openat and fd.name = /etc/caf\u{00E9}", name: "u")) == .failure(OpenReadFilterUnavailable(rule: "u")))
    }

    @Test func traversalChecksNeedNoReads() throws {
        // the kernel reports every path with ".." in it, so a rule looking for "../" adds nothing
        let f = try Self.filter(Self.rule("evt.type = openat and fd.nameraw contains '../' and fd.nameraw glob '*../*/../*'")).get()
        #expect(f == OpenReadFilter())
        #expect(f.admits("/etc/../etc/shadow") && f.admits("/a../b") && f.admits("//etc/shadow") && f.admits("etc/shadow"))
        #expect(!f.admits("/etc/shadow"))
    }

    /// Soundness over Falco's stable rules plus the defaults: every read-only open they alert on is
    /// admitted (paths around each entry, and paths that alert only in some rules).
    @Test(.requiresFalcoConformance) func falcoStableRulesFilterIsSound() throws {
        let dir = try #require(SharedData.falcoConformance)
        let set = try RuleSet.load(files: [dir + "/rules/falco_rules.yaml"], includeDefaults: true)
        let f = try set.openReadFilter().get()
        print("open filter for Falco stable + defaults: \(f.exact.count) exact, \(f.prefixes.count) prefixes: \(f.prefixes.sorted())")
        let alerts = try Self.readAlerts(set, paths: Self.probePaths(f))
        #expect(!alerts.isEmpty)
        for (rule, path) in alerts { #expect(f.admits(path), "\(rule) alerted on \(path), which the kernel filter drops") }
    }

    /// Falco's traversal rule reads `fd.nameraw`, the path as passed (`raw_path` in the event).
    @Test(.requiresFalcoConformance) func falcoTraversalRuleSeesTheRawPath() throws {
        let dir = try #require(SharedData.falcoConformance)
        let set = try RuleSet.load(files: [dir + "/rules/falco_rules.yaml"], includeDefaults: false)
        let events = try RuleFixtures.temporaryEvents([
            #"{"type":"execve","ts":1,"pid":10,"tid":10,"ppid":1,"comm":"nginx","exe":"nginx","args":[],"uid":0,"container_id":"abcdef123456"}"#,
            #"{"type":"execve","ts":2,"pid":11,"tid":11,"ppid":10,"comm":"cat","exe":"cat","args":["x"],"uid":0,"container_id":"abcdef123456"}"#,
            #"{"type":"openat","ts":3,"pid":11,"tid":11,"path":"/etc/shadow","raw_path":"/etc/../etc/../etc/shadow","fd":3,"res":3,"flags":"O_RDONLY"}"#,
            #"{"type":"openat","ts":4,"pid":11,"tid":11,"path":"/etc/shadow","fd":3,"res":3,"flags":"O_RDONLY"}"#,
        ])
        defer { try? FileManager.default.removeItem(atPath: events) }
        let alerts = try RuleFixtures.replay(events, rules: set).filter { $0.rule == "Directory traversal monitored file read" }
        #expect(alerts.map(\.time) == [3])
    }

    static func probePaths(_ f: OpenReadFilter) -> [String] {
        var paths = ["/etc/hostname", "/etc/passwd", "/", "/root/.bashrc", "/home/a/.ssh/known_hosts", "/home/a/.ssh/id_rsa",
                     "/root/.ssh/authorized_keys", "/etc/shadow", "/etc/sudoers", "/etc/pam.d/sshd", "/var/run/secrets/x"]
        for p in f.exact.union(f.prefixes) {
            paths += [p, p + "x", p + "id_rsa", p + ".pub", String(p.dropLast()), p + "sub/file"]
        }
        return paths
    }

    /// Replays one read-only openat per path by `cat` (parent bash) in a container and returns
    /// (rule, fd.name) per alert.
    static func readAlerts(_ set: RuleSet, paths: [String]) throws -> [(String, String)] {
        var lines: [String] = [
            #"{"type":"execve","ts":1,"pid":10,"tid":10,"ppid":1,"comm":"bash","exe":"bash","exepath":"/usr/bin/bash","args":[],"uid":0,"gid":0,"user":"root","container_id":"abcdef123456"}"#,
        ]
        for (i, path) in paths.enumerated() {
            let escaped = path.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            lines.append(#"{"type":"execve","ts":\#(10 + 2 * i),"pid":\#(100 + i),"tid":\#(100 + i),"ppid":10,"comm":"cat","exe":"cat","exepath":"/usr/bin/cat","args":["x"],"uid":0,"gid":0,"user":"root","container_id":"abcdef123456"}"#)
            lines.append(#"{"type":"openat","ts":\#(11 + 2 * i),"pid":\#(100 + i),"tid":\#(100 + i),"ppid":10,"comm":"cat","uid":0,"gid":0,"user":"root","container_id":"abcdef123456","path":"\#(escaped)","fd":3,"res":3,"flags":"O_RDONLY","mode":0}"#)
        }
        let events = try RuleFixtures.temporaryEvents(lines)
        defer { try? FileManager.default.removeItem(atPath: events) }
        return try RuleFixtures.replay(events, rules: set).compactMap { a in
            guard case .string(let path)?? = a.outputFields.first(where: { $0.0 == "fd.name" })?.1 else { return nil }
            return (a.rule, path)
        }
    }

    /// Soundness against the evaluator: every read-only open the default rules alert on is one the
    /// filter admits, over paths around each of its entries.
    @Test func everyAlertingReadIsAdmitted() throws {
        let set = RuleFixtures.load("", defaults: true)
        let f = try set.openReadFilter().get()
        let alerts = try Self.readAlerts(set, paths: Self.probePaths(f))
        #expect(alerts.count >= 8, "\(alerts)")
        for (rule, path) in alerts { #expect(f.admits(path), "\(rule) alerted on \(path), which the kernel filter drops") }
    }
}
