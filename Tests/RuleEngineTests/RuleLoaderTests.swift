import Foundation
import Testing
import TestSupport
@testable import RuleEngine

@Suite struct RuleLoaderTests {
    static let base = """
        - list: shells
          items: [bash, sh]
        - macro: spawned
          condition: evt.type = execve
        - rule: r
          desc: d
          condition: spawned and proc.name in (shells)
          output: "shell %proc.name"
          priority: WARNING
          tags: [a]
        """

    @Test func expandsMacrosAndLists() throws {
        let set = RuleFixtures.load(Self.base)
        #expect(set.errors.isEmpty)
        #expect(set.rules[0].compiled?.description == "(evt.type = execve and proc.name in (bash, sh))")
        #expect(set.rules[0].eventTypes == ["execve"])
    }

    @Test func overrideAppendAndReplace() throws {
        let set = RuleFixtures.load(Self.base + """

            - list: shells
              items: [zsh]
              override:
                items: append
            - rule: r
              condition: and proc.pname = nginx
              priority: ERROR
              tags: [b]
              override:
                condition: append
                priority: replace
                tags: append
            """)
        #expect(set.errors.isEmpty, "\(set.errors)")
        let r = set.rules[0]
        #expect(r.condition == "spawned and proc.name in (shells) and proc.pname = nginx")
        #expect(r.compiled?.description == "(evt.type = execve and proc.name in (bash, sh, zsh) and proc.pname = nginx)")
        #expect(r.priority == .error)
        #expect(r.tags == ["a", "b"])
    }

    @Test func errorsNameFileLineAndColumn() throws {
        let set = RuleFixtures.load("""
            - rule: broken
              desc: d
              condition: evt.type = open and (proc.name = x
              output: o
              priority: INFO
            """)
        let e = try #require(set.errors.first)
        #expect(e.location?.file == "test.yaml")
        #expect(e.location?.line == 3)
        #expect(e.message == "expected a ')' token")
        #expect(e.description.hasPrefix("test.yaml:3:"))
        #expect(throws: RuleEngineError.self) { try set.checked() }
    }

    @Test func undefinedMacroIsAnError() {
        let set = RuleFixtures.load("""
            - rule: r
              desc: d
              condition: evt.type = open and nope
              output: o
              priority: INFO
            """)
        #expect(set.errors.first?.message == "Undefined macro 'nope' used in filter.")
    }

    @Test func exceptionsCompileLikeFalco() {
        let set = RuleFixtures.load("""
            - rule: r
              desc: d
              condition: evt.type = open
              output: o
              priority: INFO
              exceptions:
                - name: known
                  fields: [proc.name, fd.name]
                  comps: [=, startswith]
                  values:
                    - [cat, /etc/]
                    - [dog, "/var/log dir"]
                - name: single
                  fields: proc.pname
                  comps: in
                  values: [bash, sh]
            """)
        #expect(set.errors.isEmpty)
        #expect(set.rules[0].compiled?.description ==
            "(evt.type = open and not ((proc.name = cat and fd.name startswith /etc/) or (proc.name = dog and fd.name startswith \"/var/log dir\")) and not proc.pname in (bash, sh))")
    }

    @Test func broadRuleWarnsAndNarrowRuleDoesNot() {
        let broad = RuleFixtures.load("- rule: r\n  desc: d\n  condition: proc.name = cat\n  output: o\n  priority: INFO\n")
        #expect(broad.warnings.contains { $0.message.contains("too many evt.type values") })
        let narrow = RuleFixtures.load("- rule: r\n  desc: d\n  condition: evt.type = close and proc.name = cat\n  output: o\n  priority: INFO\n")
        #expect(narrow.warnings.isEmpty)
    }

    @Test func unsupportedFieldDisablesRuleWithWarning() {
        let set = RuleFixtures.load("- rule: r\n  desc: d\n  condition: evt.type = connect and fd.sip.name = example.com\n  output: o\n  priority: INFO\n")
        #expect(set.errors.isEmpty)
        #expect(set.rules[0].isActive == false)
        #expect(set.rules[0].unsupportedFields == ["fd.sip.name"])
        #expect(set.warnings.contains { $0.message.contains("'fd.sip.name'") })
    }

    @Test func defaultRulesLoadCleanly() {
        let set = RuleSet.load(contents: [], includeDefaults: true)
        #expect(set.errors.isEmpty, "\(set.errors)")
        #expect(set.warnings.isEmpty, "\(set.warnings)")
        #expect(set.activeRules.count == 6)
        #expect(set.activeRules.allSatisfy { $0.eventTypes != nil })
    }

    /// Falco's rules files load unmodified; rules needing fields Vigil lacks are disabled, not fatal.
    @Test(.requiresFalcoConformance, arguments: ["falco_rules.yaml", "falco-incubating_rules.yaml", "falco-sandbox_rules.yaml"])
    func falcoRulesFilesLoad(file: String) throws {
        let dir = try #require(SharedData.falcoConformance)
        let set = try RuleSet.load(files: [dir + "/rules/" + file])
        #expect(set.errors.isEmpty, "\(set.errors)")
        #expect(set.activeRules.count >= 20)
        for r in set.rules where r.enabled && !r.isActive {
            #expect(!r.unsupportedFields.isEmpty || r.source != "syscall", "\(r.name)")
        }
        _ = RuleEvaluator(rules: set)
    }

    @Test(.requiresFalcoConformance) func allThreeFalcoFilesTogether() throws {
        let dir = try #require(SharedData.falcoConformance)
        let files = ["falco_rules.yaml", "falco-incubating_rules.yaml", "falco-sandbox_rules.yaml"].map { dir + "/rules/" + $0 }
        let set = try RuleSet.load(files: files, includeDefaults: true)
        #expect(set.errors.isEmpty, "\(set.errors)")
        let evaluator = RuleEvaluator(rules: set)
        #expect(evaluator.warnings.isEmpty, "\(evaluator.warnings)")
    }

    /// Falco's rule-loader unit-test vectors: load result and compiled conditions.
    @Test(.requiresFalcoConformance) func falcoRuleLoaderVectors() throws {
        let dir = try #require(SharedData.falcoConformance)
        let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/vectors/falco_engine_test_rule_loader.json"))
        let tests = (try JSONSerialization.jsonObject(with: data) as! [String: Any])["tests"] as! [[String: Any]]
        var failures: [String] = []
        for t in tests {
            let files = t["rules_files"] as! [[String: Any]]
            let set = RuleSet.load(contents: files.enumerated().map { ("f\($0.offset).yaml", ($0.element["content"] as? String) ?? "") })
            let ok = files.allSatisfy { $0["load_ok"] as! Bool }
            if set.succeeded != ok { failures.append("\(t["test"]!): load") }
            for e in t["expect"] as! [[String: Any]] where e["kind"] as? String == "compiled_condition" {
                let rule = set.rules.first { $0.name == e["rule"] as? String }
                if rule?.compiled?.description != e["equals"] as? String { failures.append("\(t["test"]!): \(rule?.compiled?.description ?? "nil")") }
            }
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test func negatedEventTypeRulesRunOnEveryOtherType() throws {
        let set = RuleFixtures.load("""
            - rule: not open
              desc: d
              condition: evt.type != openat and proc.name = cat
              output: "x %evt.type"
              priority: WARNING
            """)
        #expect(set.rules[0].eventTypes == nil)
        let events = try RuleFixtures.temporaryEvents([
            #"{"type":"execve","ts":1,"pid":11,"tid":11,"ppid":1,"comm":"cat","exe":"cat","args":[]}"#,
            #"{"type":"openat","ts":2,"pid":11,"tid":11,"path":"/x","fd":3,"res":3,"flags":"O_RDONLY"}"#,
        ])
        defer { try? FileManager.default.removeItem(atPath: events) }
        #expect(try RuleFixtures.replay(events, rules: set).map(\.time) == [1])
    }
}
