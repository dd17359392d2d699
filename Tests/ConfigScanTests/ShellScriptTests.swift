import Testing
@testable import ConfigScan

struct ShellScriptTests {
    func names(_ text: String, _ vars: [String: String] = [:]) throws -> [String] {
        try ShellScript(parsing: text, variables: vars).commands.compactMap(\.effectiveName)
    }

    @Test func splitsOnOperatorsNotInsideQuotes() throws {
        #expect(try names("apt-get update && apt-get install -y curl; echo 'a && b' | tee x || true &") ==
                ["apt-get", "apt-get", "echo", "tee", "true"])
        #expect(try names("echo \"apt-get install; sudo x\"") == ["echo"])
        let s = try ShellScript(parsing: "curl -fsSL https://x | sh && a")
        #expect(s.commands.map(\.pipeline) == [0, 0, 1])
        #expect(s.commands.map(\.connector) == [nil, "|", "&&"])
        #expect(s.hasPipe)
        #expect(try !ShellScript(parsing: "a || b").hasPipe)
    }

    @Test func wrappersAssignmentsRedirectionsAndReservedWords() throws {
        let s = try ShellScript(parsing: "DEBIAN_FRONTEND=noninteractive sudo -E apt-get install -y x >/dev/null 2>&1")
        let c = try #require(s.commands.first)
        #expect(c.assignments.map(\.text) == ["DEBIAN_FRONTEND=noninteractive"])
        #expect(c.name == "sudo" && c.effectiveName == "apt-get")
        #expect(c.effectiveArguments.map(\.text) == ["install", "-y", "x"])
        #expect(c.redirections.map(\.text) == [">", "/dev/null", ">&", "1"])
        #expect(try names("if [ -f x ]; then rm -f x; fi; for f in a b; do echo $f; done") == ["[", "rm", "echo"])
        #expect(try names("/usr/bin/curl -o a b") == ["curl"])
    }

    @Test func substitutionsAndShellDashC() throws {
        #expect(try names("sh -c \"$(wget -qO- https://x)\"") == ["sh", "wget"])
        #expect(try names("sh -c \"apt-get install -y $(cat /pkgs)\"") == ["sh", "cat", "apt-get"])
        #expect(try names("bash -c 'apt-get update && apt-get install -y z'") == ["bash", "apt-get", "apt-get"])
        #expect(try names("echo `uname -m`") == ["echo", "uname"])
        let s = try ShellScript(parsing: "(cd /src && make)")
        #expect(s.commands.map(\.inSubshell) == [true, true])
    }

    @Test func quotingAndVariables() throws {
        let s = try ShellScript(parsing: "wget \"$URL\" -O ${OUT:-/tmp/x} 'lit$URL' a\\ b $UNKNOWN", variables: ["URL": "http://h/f-1.0.tar.gz"])
        #expect(s.commands[0].words.map(\.text) == ["wget", "http://h/f-1.0.tar.gz", "-O", "${OUT:-/tmp/x}", "lit$URL", "a b", "$UNKNOWN"])
        #expect(throws: ShellSyntaxError.self) { try ShellScript(parsing: "echo \"open") }
        #expect(throws: ShellSyntaxError.self) { try ShellScript(parsing: "echo 'open") }
        #expect(throws: ShellSyntaxError.self) { try ShellScript(parsing: "echo $(open") }
    }

    @Test func heredocBodiesInScriptsAreSkipped() throws {
        #expect(try names("cat <<EOF > /etc/x\napt-get install y\nEOF\necho done") == ["cat", "echo"])
    }
}
