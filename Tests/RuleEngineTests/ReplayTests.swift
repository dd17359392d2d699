import Foundation
import Testing
import TestSupport
@testable import RuleEngine
import Sensor
import VigilCore

@Suite struct ReplayTests {
    static let defaults = RuleSet.load(contents: [], includeDefaults: true)

    /// Each recorded attack raises exactly one alert, naming container, process, parent and file.
    @Test(arguments: [
        ("attack_shell_in_container.jsonl", "Shell Spawned in Container", "sh", "nginx", nil as String?),
        ("attack_interactive_shell.jsonl", "Shell Spawned in Container", "bash", "runc", nil),
        ("attack_sensitive_read.jsonl", "Sensitive File Read", "python3", "gunicorn", "/etc/shadow"),
        ("attack_ssh_key_read.jsonl", "Sensitive File Read", "node", "tini", "/root/.ssh/id_ed25519"),
        ("attack_useradd.jsonl", "User or Group Management", "adduser", "python3", nil),
        ("attack_groupadd.jsonl", "User or Group Management", "groupadd", "java", nil),
        ("attack_passwd_write.jsonl", "Account Database Modified Directly", "php-fpm", "tini", "/etc/passwd"),
        ("attack_root_file.jsonl", "File Created Under Root Directory", "python3", "tini", "/.x"),
        ("attack_root_rename.jsonl", "File Created Under Root Directory", "mv", "tini", "/root/kworker"),
    ])
    func attackAlertsOnce(file: String, rule: String, process: String, parent: String, path: String?) throws {
        let alerts = try RuleFixtures.replay(RuleFixtures.fixture("events/" + file), rules: Self.defaults)
        try #require(alerts.count == 1, "\(alerts.map(\.textLine))")
        let a = alerts[0]
        #expect(a.rule == rule)
        let fields = Dictionary(uniqueKeysWithValues: a.outputFields.map { ($0.0, $0.1?.text ?? "<NA>") })
        #expect(fields["container.id"] == "3f2a1b9c8d7e")
        #expect(fields["proc.name"] == process)
        #expect(fields["proc.pname"] == parent)
        if let path {
            #expect(fields["fd.name"] == path || fields["fs.path.target"] == path)
        }
        #expect(a.hostname == "test-host")
    }

    @Test(arguments: ["benign_package_install.jsonl", "benign_build.jsonl", "benign_logrotate.jsonl"])
    func benignActivityIsQuiet(file: String) throws {
        let alerts = try RuleFixtures.replay(RuleFixtures.fixture("events/" + file), rules: Self.defaults)
        #expect(alerts.isEmpty, "\(alerts.map(\.textLine))")
    }

    @Test(.requiresFalcoConformance) func benignActivityIsQuietWithFalcoStableRulesToo() throws {
        let dir = try #require(SharedData.falcoConformance)
        let set = try RuleSet.load(files: [dir + "/rules/falco_rules.yaml"], includeDefaults: true)
        for file in ["benign_package_install.jsonl", "benign_build.jsonl", "benign_logrotate.jsonl"] {
            let alerts = try RuleFixtures.replay(RuleFixtures.fixture("events/" + file), rules: set)
            #expect(alerts.isEmpty, "\(file): \(alerts.map(\.textLine))")
        }
    }

    @Test func replayIsDeterministic() throws {
        let path = RuleFixtures.fixture("events/attack_shell_in_container.jsonl")
        let a = try RuleFixtures.replay(path, rules: Self.defaults).map { $0.jsonLine() }
        let b = try RuleFixtures.replay(path, rules: Self.defaults).map { $0.jsonLine() }
        #expect(a == b)
    }

    @Test func processTreeIsRebuiltFromForksAndExecs() throws {
        let path = try RuleFixtures.temporaryEvents([
            #"{"ts":1,"type":"execve","pid":10,"ppid":1,"comm":"sshd","exe":"/usr/sbin/sshd","args":[],"container_id":"c1"}"#,
            #"{"ts":2,"type":"clone","pid":10,"res":11}"#,
            #"{"ts":3,"type":"execve","pid":11,"comm":"bash","exe":"/bin/bash","args":["-i"]}"#,
            #"{"ts":4,"type":"clone","pid":11,"res":12}"#,
            #"{"ts":5,"type":"execve","pid":12,"comm":"cat","exe":"/bin/cat","args":["x"]}"#,
            #"{"ts":6,"type":"openat","pid":12,"path":"/etc/hosts","flags":"O_RDONLY","res":3}"#,
            #"{"ts":7,"type":"read","pid":12,"fd":3,"res":10}"#,
        ])
        let rules = RuleFixtures.load("""
            - rule: r
              desc: d
              condition: evt.type = read and proc.aname[2] = sshd and proc.pname = bash and fd.name = /etc/hosts and container.id = c1
              output: "%proc.cmdline %proc.aname[2] %fd.name"
              priority: INFO
            """)
        let alerts = try RuleFixtures.replay(path, rules: rules)
        #expect(alerts.map(\.output) == ["cat x sshd /etc/hosts"])
    }

    @Test func malformedEventNamesFileAndLine() throws {
        let path = try RuleFixtures.temporaryEvents([#"{"ts":1,"type":"execve","pid":1}"#, #"{"ts":2,"type":"#])
        #expect(throws: RuleEngineError.self) { _ = try RuleFixtures.replay(path, rules: Self.defaults) }
        do { _ = try RuleFixtures.replay(path, rules: Self.defaults) } catch let e as RuleEngineError {
            #expect(e.description.contains(":2:") || e.description.contains(":2"))
        }
    }
}
