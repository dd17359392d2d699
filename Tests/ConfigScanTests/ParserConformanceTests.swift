import Testing
@testable import ConfigScan
import Foundation

/// Cases from BuildKit's Dockerfile reference (parser directives, escape, continuations,
/// heredocs, environment replacement, ARG scoping) with the results BuildKit documents.
struct ParserConformanceTests {
    func parse(_ text: String, _ options: ParseOptions = .init()) throws -> Dockerfile {
        try DockerfileParser.parse(text, file: "Dockerfile", options: options)
    }

    func expectError(_ text: String, line: Int?, contains: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try ConfigScanner.scan(Array(text.utf8), file: "Dockerfile")
            Issue.record("expected an error containing \(contains)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.line == line, sourceLocation: sourceLocation)
            #expect(error.description.contains(contains), "\(error.description)", sourceLocation: sourceLocation)
            #expect(!error.description.contains("\n"), sourceLocation: sourceLocation)
            #expect(error.description.hasPrefix("Dockerfile:"), sourceLocation: sourceLocation)
        }
    }

    // MARK: Parser directives and escape

    @Test func backtickEscapeDirectiveKeepsWindowsPaths() throws {
        let df = try parse("# escape=`\n\nFROM microsoft/nanoserver\nCOPY testfile.txt c:\\\nRUN dir c:\\\n")
        #expect(df.escapeCharacter == "`")
        #expect(df.directives == [ParserDirective(name: "escape", value: "`", line: 1)])
        let copy = df.stages[0].instructions[1]
        #expect(copy.keyword == .copy && copy.words == ["testfile.txt", "c:\\"])
        #expect(df.stages[0].instructions[2].command == .shell("dir c:\\"))
    }

    @Test func backtickContinuesLines() throws {
        let df = try parse("# escape=`\nFROM windows\nRUN Get-ChildItem `\n    -Path C:\\\n")
        let run = df.stages[0].instructions[1]
        #expect(run.command == .shell("Get-ChildItem     -Path C:\\"))
        #expect(run.startLine == 3 && run.endLine == 4)
    }

    @Test func defaultEscapeTurnsTrailingBackslashIntoAContinuation() throws {
        // The reference's warning: with `\` as escape, `COPY testfile.txt c:\` swallows the next line.
        let df = try parse("FROM microsoft/nanoserver\nCOPY testfile.txt c:\\\nRUN dir c:\n")
        #expect(df.stages[0].instructions.count == 2)
        #expect(df.stages[0].instructions[1].words == ["testfile.txt", "c:RUN", "dir", "c:"])
    }

    @Test(arguments: ["#directive=value", "# directive =value", "#\tdirective= value", "# directive = value", "#\t  dIrEcTiVe=value"])
    func directiveWhitespaceVariants(line: String) throws {
        let text = line.replacingOccurrences(of: "directive", with: "escape", options: .caseInsensitive)
            .replacingOccurrences(of: "value", with: "`") + "\nFROM a\n"
        #expect(try parse(text).escapeCharacter == "`")
    }

    @Test func duplicateDirectiveIsAnError() {
        expectError("# escape=\\\n# escape=`\nFROM a\n", line: 2, contains: "only one escape parser directive")
    }

    @Test func directivesOnlyAtTheTop() throws {
        // After an instruction, a comment, an unknown directive or an empty line: just comments.
        #expect(try parse("FROM a\n# escape=`\nRUN x\n").escapeCharacter == "\\")
        #expect(try parse("# About my dockerfile\n# escape=`\nFROM a\n").escapeCharacter == "\\")
        #expect(try parse("# unknowndirective=value\n# escape=`\nFROM a\n").escapeCharacter == "\\")
        #expect(try parse("\n# escape=`\nFROM a\n").escapeCharacter == "\\")
        #expect(try parse("# syntax=docker/dockerfile:1\n# escape=`\nFROM a\n").escapeCharacter == "`")
    }

    @Test func invalidEscapeIsAnError() {
        expectError("# escape=x\nFROM a\n", line: 1, contains: "invalid escape token")
    }

    // MARK: Comments and continuations

    @Test func commentAndBlankLinesInsideContinuations() throws {
        let df = try parse("FROM a\nRUN echo hello \\\n# comment\nworld\nRUN echo hello \\\n\nworld\n")
        let runs = df.stages[0].instructions.dropFirst()
        #expect(runs.map(\.command) == [.shell("echo hello world"), .shell("echo hello world")])
        #expect(runs.map(\.startLine) == [2, 5])
        #expect(runs.map(\.endLine) == [4, 7])
        #expect(runs.first?.original == "RUN echo hello \\\n# comment\nworld")
    }

    @Test func continuationKeepsLeadingBlanksOfNextLineAndMapsLines() throws {
        let df = try parse("FROM a\nRUN apt-get update \\\n    && apt-get install -y curl\n")
        let run = df.stages[0].instructions[1]
        #expect(run.command == .shell("apt-get update     && apt-get install -y curl"))
        let script = try ShellScript(parsing: "apt-get update     && apt-get install -y curl") { run.line(atArgumentOffset: $0) }
        #expect(script.commands.map(\.line) == [2, 3])
    }

    @Test func crlfAndBOM() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("FROM a\r\nRUN b \\\r\n  c\r\n".utf8)
        let df = try DockerfileParser.parse(bytes, file: "Dockerfile")
        #expect(df.stages[0].instructions[1].command == .shell("b   c"))
    }

    // MARK: Heredocs

    @Test func runHeredocBodyIsTheScript() throws {
        let df = try parse("FROM debian\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\nUSER app\n")
        let run = df.stages[0].instructions[1]
        #expect(run.heredocs.count == 1)
        #expect(run.heredocs[0].name == "EOF" && run.heredocs[0].expands)
        #expect(run.heredocs[0].content == "apt-get update\napt-get install -y curl\n")
        #expect(run.startLine == 2 && run.endLine == 5 && run.heredocs[0].firstLine == 3)
        #expect(df.stages[0].instructions[2].keyword == .user)
        // Checks see the script's commands at their own lines.
        let result = try ConfigScanner.scan(df)
        let noRecommends = result.failures.filter { $0.rule.id == "DS029" }
        #expect(noRecommends.map(\.startLine) == [4])
    }

    @Test func heredocWithInterpreterAndRedirection() throws {
        let df = try parse("FROM python\nRUN python3 <<EOF > /out\nprint('hi')\nEOF\n")
        let run = df.stages[0].instructions[1]
        #expect(run.command == .shell("python3 <<EOF > /out"))
        #expect(run.heredocs.map(\.content) == ["print('hi')\n"])
    }

    @Test func chompedQuotedAndMultipleHeredocs() throws {
        let text = """
        FROM nginx
        ARG FOO=bar
        COPY <<-"EOT" /script.sh
        \techo "hello ${FOO}"
        \tEOT
        COPY <<robots.txt <<humans.txt /usr/share/nginx/html/
        (robots content)
        robots.txt
        (humans content)
        humans.txt
        RUN 3<<EOF cat /dev/fd/3
        x
        EOF

        """
        let df = try parse(text)
        let ins = df.stages[0].instructions
        #expect(ins[2].heredocs.map(\.name) == ["EOT"])
        #expect(ins[2].heredocs[0].stripsTabs && !ins[2].heredocs[0].expands)
        #expect(ins[2].heredocs[0].content == "echo \"hello ${FOO}\"\n")
        #expect(ins[3].heredocs.map(\.name) == ["robots.txt", "humans.txt"])
        #expect(ins[3].heredocs.map(\.content) == ["(robots content)\n", "(humans content)\n"])
        #expect(ins[3].heredocs.map(\.firstLine) == [7, 9])
        #expect(ins[3].endLine == 10)
        #expect(ins[4].heredocs.first?.fileDescriptor == 3)
    }

    @Test func heredocMarkersInJSONFormOrOtherInstructionsAreText() throws {
        let df = try parse("FROM a\nRUN [\"sh\", \"-c\", \"cat <<EOF\"]\nLABEL x=\"<<EOF\"\n")
        #expect(df.stages[0].instructions.count == 3)
        #expect(df.stages[0].instructions[1].heredocs.isEmpty)
    }

    @Test func unterminatedHeredoc() {
        expectError("FROM a\nRUN <<EOF\necho hi\n", line: 2, contains: "unterminated heredoc <<EOF")
    }

    // MARK: Forms and flags

    @Test func execAndShellForms() throws {
        let df = try parse("""
        FROM a
        CMD ["echo", "a b"]
        CMD echo "a b"
        RUN [ -f /x ] && echo yes
        RUN ["c:\\\\windows\\\\system32\\\\tasklist.exe"]
        SHELL ["powershell", "-command"]
        ENTRYPOINT []

        """)
        let c = df.stages[0].instructions.map(\.command)
        #expect(c[1] == .exec(["echo", "a b"]))
        #expect(c[2] == .shell("echo \"a b\""))
        #expect(c[3] == .shell("[ -f /x ] && echo yes"))
        #expect(c[4] == .exec(["c:\\windows\\system32\\tasklist.exe"]))
        #expect(c[5] == .exec(["powershell", "-command"]))
        #expect(c[6] == .exec([]))
    }

    @Test func flagsAreParsedAndExpanded() throws {
        let df = try parse("""
        ARG PLATFORM=linux/arm64
        FROM --platform=$PLATFORM golang:1.22 AS build
        ARG OWNER=app
        COPY --from=build --chown=${OWNER}:${OWNER} --link a b
        RUN --mount=type=cache,target=/root/.cache --network=none go build

        """)
        #expect(df.stages[0].platform == "linux/arm64")
        let copy = df.stages[0].instructions[2]
        #expect(copy.flag("from") == "build" && copy.flag("chown") == "app:app" && copy.flag("link") == "")
        #expect(df.stages[0].instructions[3].flagValues("mount") == ["type=cache,target=/root/.cache"])
    }

    @Test func badFlagsAndForms() {
        expectError("FROM a\nCOPY --form=build a b\n", line: 2, contains: "unknown flag --form for COPY")
        expectError("FROM a\nCOPY --from a b\n", line: 2, contains: "missing a value on flag --from")
        expectError("FROM a\nCMD [\"a\", \"b\"\n", line: 2, contains: "malformed JSON array")
        expectError("FROM a\nSHELL /bin/bash -c\n", line: 2, contains: "SHELL requires the arguments to be in JSON form")
        expectError("FROM a\nFORM b\n", line: 2, contains: "unknown instruction: FORM")
        expectError("FROM a b\n", line: 1, contains: "FROM requires either one or three arguments")
        expectError("FROM a AS 1st\n", line: 1, contains: "invalid name for build stage")
        expectError("RUN echo\n", line: 1, contains: "no build stage in current context")
        expectError("FROM a\nCOPY onlyone\n", line: 2, contains: "COPY requires at least two arguments")
        expectError("FROM a\nONBUILD ONBUILD RUN x\n", line: 2, contains: "ONBUILD ONBUILD isn't allowed")
        expectError("FROM a\nHEALTHCHECK CMDD x\n", line: 2, contains: "Unknown type")
        expectError("# only a comment\n", line: nil, contains: "the Dockerfile has no instructions")
    }

    // MARK: Environment replacement

    @Test func environmentReplacementExamples() throws {
        let df = try parse("""
        FROM busybox
        ENV FOO=/bar
        WORKDIR ${FOO}
        ADD . $FOO
        COPY \\$FOO /quux
        ENV abc=hello
        ENV abc=bye def=$abc
        ENV ghi=$abc
        ENV e1=${unset:-word} e2=${FOO:+word} e3=${unset:+word} e4=${FOO:-word} e5='$FOO' e6="$FOO"
        LABEL "com.example.vendor"="ACME Incorporated" version=1.0
        ENV OLD form value with spaces

        """)
        let ins = df.stages[0].instructions
        #expect(ins[2].words == ["/bar"])
        #expect(ins[3].words == [".", "/bar"])
        #expect(ins[4].words == ["$FOO", "/quux"])
        #expect(ins[6].pairs.map(\.value) == ["bye", "hello"])
        #expect(ins[7].pairs.first?.value == "bye")
        #expect(ins[8].pairs.map(\.value) == ["word", "word", "", "/bar", "$FOO", "/bar"])
        #expect(ins[9].pairs.map(\.key) == ["com.example.vendor", "version"])
        #expect(ins[9].pairs.first?.value == "ACME Incorporated")
        #expect(ins[10].pairs == [KeyValue(key: "OLD", value: "form value with spaces", rawValue: "form value with spaces")])
    }

    @Test func expansionOperators() throws {
        let e = WordExpander()
        let env: (String) -> String? = { ["V": "path/to/file.tar.gz", "EMPTY": ""][$0] }
        #expect(try e.word("${V#*/}", env: env) == "to/file.tar.gz")
        #expect(try e.word("${V##*/}", env: env) == "file.tar.gz")
        #expect(try e.word("${V%.*}", env: env) == "path/to/file.tar")
        #expect(try e.word("${V%%.*}", env: env) == "path/to/file")
        #expect(try e.word("${EMPTY-x}${EMPTY:-y}${UNSET-z}", env: env) == "yz")
        #expect(try e.word("${EMPTY+x}${UNSET+y}", env: env) == "x")
        #expect(try e.word("a\\ b\\$V '${V}'", env: env) == "a b$V ${V}")
        #expect(try e.words("$V \"a b\" c", env: { _ in "1 2" }) == ["1", "2", "a b", "c"])
        #expect(throws: ExpansionError.self) { try e.word("${V:?must be set}", env: { _ in nil }) }
        #expect(throws: ExpansionError.self) { try e.word("${}", env: env) }
        #expect(throws: ExpansionError.self) { try e.word("${V", env: env) }
    }

    // MARK: ARG scoping and multi-stage

    @Test func argBeforeFromIsOnlyForFromLines() throws {
        let df = try parse("""
        ARG  CODE_VERSION=latest
        FROM base:${CODE_VERSION}
        CMD  /code/run-app $CODE_VERSION
        FROM extras:${CODE_VERSION}
        ARG CODE_VERSION
        RUN echo $CODE_VERSION > image_version

        """)
        #expect(df.metaArguments.count == 1)
        #expect(df.stages.map(\.baseImage) == ["base:latest", "extras:latest"])
        #expect(df.stages[0].instructions[1].variables.isEmpty)
        #expect(df.stages[1].instructions[2].variables == ["CODE_VERSION": "latest"])
    }

    @Test func buildArgumentsAndEnvPrecedence() throws {
        let text = """
        FROM ubuntu
        ARG CONT_IMG_VER
        ENV CONT_IMG_VER=v1.0.0
        RUN echo $CONT_IMG_VER
        ARG USERNAME=guest
        ENV NAME=${USERNAME}
        ARG V2
        ENV V2=${V2:-v1.0.0}
        RUN echo $NAME $V2

        """
        let plain = try parse(text)
        #expect(plain.stages[0].instructions[3].variables == ["CONT_IMG_VER": "v1.0.0"])
        #expect(plain.stages[0].instructions[8].variables == ["NAME": "guest", "V2": "v1.0.0"])
        let supplied = try parse(text, ParseOptions(buildArguments: ["CONT_IMG_VER": "v2.0.1", "USERNAME": "ci", "V2": "v2.0.1"]))
        #expect(supplied.stages[0].instructions[3].variables == ["CONT_IMG_VER": "v1.0.0"])
        #expect(supplied.stages[0].instructions[8].variables == ["NAME": "ci", "V2": "v2.0.1"])
    }

    @Test func automaticPlatformArguments() throws {
        let df = try parse("FROM --platform=$BUILDPLATFORM golang AS b\nARG TARGETARCH\nRUN GOARCH=$TARGETARCH go build\n",
                           ParseOptions(platform: "linux/arm64"))
        #expect(df.stages[0].platform == "linux/arm64")
        #expect(df.stages[0].instructions[2].variables == ["TARGETARCH": "arm64"])
    }

    @Test func stagesAliasesAndInheritedEnvironment() throws {
        let df = try parse("""
        FROM golang:1.22 AS Build
        ENV CGO_ENABLED=0
        FROM build AS final
        RUN echo $CGO_ENABLED
        ONBUILD RUN /usr/local/bin/python-build --dir /app/src
        ONBUILD ADD . /app/src

        """)
        #expect(df.stages.map(\.name) == ["build", "final"])
        #expect(df.stages[1].parentStage == 0)
        #expect(df.stages[1].instructions[1].variables == ["CGO_ENABLED": "0"])
        let onbuild = df.stages[1].instructions[2]
        #expect(onbuild.keyword == .onbuild && onbuild.trigger.first?.keyword == .run)
        #expect(onbuild.trigger.first?.command == .shell("/usr/local/bin/python-build --dir /app/src"))
        #expect(df.stages[1].instructions[3].trigger.first?.words == [".", "/app/src"])
    }

    @Test func everyInstructionKeepsPositionAndOriginalText() throws {
        let text = "FROM a\n\n# c\nRUN a \\\n  b\nEXPOSE 80\n"
        let df = try parse(text)
        let ins = df.instructions
        #expect(ins.map(\.startLine) == [1, 4, 6])
        #expect(ins.map(\.endLine) == [1, 5, 6])
        #expect(ins.map(\.original) == ["FROM a", "RUN a \\\n  b", "EXPOSE 80"])
    }
}
