import Foundation
@testable import RuleEngine
import Testing

/// The default "Shellshock Exploit Attempt" rule and `vigil.proc.env_function` on recorded execs.
@Suite struct ShellshockRuleTests {
    static func exec(pid: Int, comm: String, exe: String, args: [String], env: [String], container: String = "0123456789ab") -> String {
        let object: [String: Any] = ["type": "execve", "ts": 1_733_493_600_000_000_000 + pid, "pid": pid, "ppid": 1, "uid": 33,
                                     "comm": comm, "exe": exe, "args": args, "env": env, "container_id": container,
                                     "container_image": "docker.io/library/wordpress:4.6.1"]
        return String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    static func shellshockAlerts(_ lines: [String]) throws -> [Alert] {
        let rules = RuleSet.load(contents: [], includeDefaults: true)
        return try RuleFixtures.replay(try RuleFixtures.temporaryEvents(lines), rules: rules).filter { $0.rule == "Shellshock Exploit Attempt" }
    }

    @Test func functionDefinitionHandedToAShellAlerts() throws {
        let alerts = try Self.shellshockAlerts([
            Self.exec(pid: 10, comm: "bash", exe: "bash", args: ["-c", "true"], env: ["PATH=/usr/bin", "X=() { :; }; /bin/id"]),
        ])
        let a = try #require(alerts.first)
        #expect(alerts.count == 1)
        #expect(a.priority == .critical)
        #expect(a.output.contains("variable=X=() { :; }; /bin/id"))
        #expect(a.output.contains("container_id=0123456789ab"))
        #expect(a.output.contains("image=docker.io/library/wordpress:4.6.1"))
        #expect(a.output.contains("process=bash"))
        #expect(a.tags.contains("CVE-2014-6271") && a.tags.contains("CVE-2014-7169") && a.tags.contains("T1190"))
    }

    /// A CGI script: the kernel's argv starts with the interpreter, comm is the script's name.
    @Test func cgiScriptWithAShellInterpreterAlerts() throws {
        let alerts = try Self.shellshockAlerts([
            Self.exec(pid: 11, comm: "status.cgi", exe: "/bin/bash", args: ["/usr/lib/cgi-bin/status.cgi"],
                      env: ["GATEWAY_INTERFACE=CGI/1.1", "HTTP_USER_AGENT=() { :; }; /bin/id", "REQUEST_METHOD=GET"]),
        ])
        #expect(alerts.count == 1)
        #expect(alerts.first?.output.contains("variable=HTTP_USER_AGENT=() { :; }; /bin/id") == true)
    }

    @Test func ordinaryEnvironmentsDoNotAlert() throws {
        let alerts = try Self.shellshockAlerts([
            Self.exec(pid: 20, comm: "bash", exe: "bash", args: ["-c", "true"], env: ["X=hello", "PATH=/bin"]),
            // patched bash exports functions under BASH_FUNC_name%%
            Self.exec(pid: 21, comm: "bash", exe: "bash", args: ["-c", "f"], env: ["BASH_FUNC_f%%=() {  echo hi\n}"]),
            // a value that merely mentions the pattern later on
            Self.exec(pid: 22, comm: "sh", exe: "sh", args: ["-c", "true"], env: ["NOTE=see () { in the docs"]),
            // not a shell
            Self.exec(pid: 23, comm: "python3", exe: "/usr/bin/python3", args: ["app.py"], env: ["X=() { :; }; /bin/id"]),
        ])
        #expect(alerts.isEmpty)
    }

    @Test(arguments: [
        (["X=() { :; }; echo"], "X=() { :; }; echo"),
        (["A=1", "_f1=() {"], "_f1=() {"),
        (["BASH_FUNC_x%%=() { :; }"], nil),
        (["1X=() { :; }"], nil),
        (["=() { :; }"], nil),
        (["X= () { :; }"], nil),
        ([], nil),
    ] as [([String], String?)])
    func envFunctionDefinition(env: [String], expected: String?) {
        #expect(FieldExtractor.envFunctionDefinition(env) == expected)
    }

    @Test func longDefinitionsAreCut() {
        let v = FieldExtractor.envFunctionDefinition(["X=() { " + String(repeating: "a", count: 10_000)])
        #expect(v?.utf8.count == 256)
    }
}
