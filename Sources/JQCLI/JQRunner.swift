import JQ

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One `jq` run: options parsed from the arguments, inputs read, filter evaluated, results written.
final class JQRunner {
    nonisolated(unsafe) static var lastInput: Value?
    let arguments: [String]
    let out = OutputBuffer(1)
    let err = OutputBuffer(2)

    var nullInput = false, rawInput = false, slurp = false, rawOutput = false, joinOutput = false
    var rawOutput0 = false, exitStatus = false, seq = false, stream = false, streamErrors = false
    var yamlInput = false, yamlOutput = false, yamlDocuments = 0
    var writer = ValueWriter()
    var filter: String?
    var filterFile: String?
    var files: [String] = []
    var libPaths: [String] = []
    var named = JQObject()
    var positional: [Value] = []

    init(arguments: [String]) { self.arguments = arguments }

    func usage() -> String {
        """
        Usage:\tjq [OPTIONS] FILTER [FILES...]
        \tjq [OPTIONS] --args FILTER [ARGUMENTS...]
        \tjq [OPTIONS] --jsonargs FILTER [JSON_VALUES...]

        jq is a tool for processing JSON inputs, applying the given filter to
        its JSON text inputs and producing the filter's results as JSON on
        standard output.

        Example:

            $ echo '{"foo": 0}' | jq .
            {
              "foo": 0
            }

        Command options:
          -n, --null-input          use `null` as the single input value;
          -R, --raw-input           read each line as string instead of JSON;
          -s, --slurp               read all inputs into an array and use it as
                                    the single input value;
          -c, --compact-output      compact instead of pretty-printed output;
          -r, --raw-output          output strings without escapes and quotes;
              --raw-output0         implies -r and output NUL after each output;
          -j, --join-output         implies -r and output without newline after
                                    each output;
          -a, --ascii-output        output strings by only ASCII characters
                                    using escape sequences;
          -S, --sort-keys           sort keys of each object on output;
          -C, --color-output        colorize JSON output;
          -M, --monochrome-output   disable colored output;
              --tab                 use tabs for indentation;
              --indent n            use n spaces for indentation (max 7 spaces);
              --unbuffered          flush output stream after each output;
              --stream              parse the input value in streaming fashion;
              --stream-errors       implies --stream and report parse error as
                                    an array;
              --seq                 parse input/output as application/json-seq;
              --yaml-input          read input as YAML documents (as gojq does);
              --yaml-output         write each output as a YAML document;
          -f, --from-file file      load filter from the file;
          -L directory              search modules from the directory;
              --arg name value      set $name to the string value;
              --argjson name value  set $name to the JSON value;
              --slurpfile name file set $name to an array of JSON values read
                                    from the file;
              --rawfile name file   set $name to string contents of file;
              --args                consume remaining arguments as positional
                                    string values;
              --jsonargs            consume remaining arguments as positional
                                    JSON values;
          -e, --exit-status         set exit status code based on the output;
          -V, --version             show the version;
          --build-configuration     show jq's build configuration;
          -h, --help                show the help;
          --                        terminates argument processing;

        Named arguments are also available as $ARGS.named[], while
        positional arguments are available as $ARGS.positional[].

        """
    }

    func parseArgs() throws -> Bool {
        var i = 0
        var argsMode: Int = 0  // 1 = --args, 2 = --jsonargs
        var endOfOptions = false
        func need(_ n: Int, _ opt: String) throws -> [String] {
            guard i + n < arguments.count else {
                throw UsageError(message: "jq: error: \(opt) takes \(n == 1 ? "one parameter" : "two parameters") (e.g. \(opt) \(n == 1 ? "value" : "name value"))")
            }
            let r = Array(arguments[(i + 1)...(i + n)])
            i += n
            return r
        }
        func positionalArg(_ a: String) throws {
            if filter == nil && filterFile == nil { filter = a; return }
            switch argsMode {
            case 1: positional.append(.string(a))
            case 2:
                do { positional.append(try ValueReader.parseOne(a)) } catch {
                    throw UsageError(message: "jq: Invalid JSON text passed to --jsonargs")
                }
            default: files.append(a)
            }
        }
        while i < arguments.count {
            let a = arguments[i]
            defer { i += 1 }
            if endOfOptions || !a.hasPrefix("-") || a == "-" {
                try positionalArg(a)
                continue
            }
            if a == "--" { endOfOptions = true; continue }
            if a.hasPrefix("--") {
                switch a {
                case "--null-input": nullInput = true
                case "--raw-input": rawInput = true
                case "--slurp": slurp = true
                case "--compact-output": writer.indent = 0; writer.useTab = false
                case "--raw-output": rawOutput = true
                case "--raw-output0": rawOutput = true; rawOutput0 = true
                case "--join-output": rawOutput = true; joinOutput = true
                case "--ascii-output": writer.asciiOutput = true
                case "--sort-keys": writer.sortKeys = true
                case "--color-output": writer.color = true
                case "--monochrome-output": writer.color = false
                case "--tab": writer.useTab = true; writer.indent = 1
                case "--indent":
                    let v = try need(1, "--indent")[0]
                    guard let n = Int(v) else { throw UsageError(message: "jq: --indent takes a number") }
                    if n > 7 { throw UsageError(message: "jq: Cannot indent more than 7 characters") }
                    if n < 0 { throw UsageError(message: "jq: Cannot indent less than 0 characters") }
                    writer.indent = n
                    writer.useTab = false
                case "--unbuffered": out.unbuffered = true
                case "--stream": stream = true
                case "--stream-errors": stream = true; streamErrors = true
                case "--seq": seq = true
                case "--yaml-input": yamlInput = true
                case "--yaml-output": yamlOutput = true
                case "--exit-status": exitStatus = true
                case "--from-file": filterFile = try need(1, "--from-file")[0]
                case "--library-path": libPaths.append(try need(1, "--library-path")[0])
                case "--arg":
                    let p = try need(2, "--arg")
                    if named[p[0]] == nil { named[p[0]] = .string(p[1]) }
                case "--argjson":
                    let p = try need(2, "--argjson")
                    do {
                        let v = try ValueReader.parseOne(p[1])
                        if named[p[0]] == nil { named[p[0]] = v }
                    } catch {
                        throw UsageError(message: "jq: Invalid JSON text passed to --argjson")
                    }
                case "--slurpfile", "--rawfile":
                    let p = try need(2, a)
                    guard let bytes = readFileBytes(p[1]) else {
                        throw UsageError(message: "jq: error: Could not open \(p[1]): \(String(cString: strerror(errno)))")
                    }
                    if a == "--rawfile" {
                        if named[p[0]] == nil { named[p[0]] = .string(String(decoding: bytes, as: UTF8.self)) }
                    } else {
                        var vals: [Value] = []
                        do {
                            try bytes.withUnsafeBufferPointer { buf in
                                var r = ValueReader(buf)
                                while !r.atEnd() { vals.append(try r.parseValue()) }
                            }
                        } catch let e as JSONReadError {
                            throw UsageError(message: "jq: Bad JSON in --slurpfile \(p[0]) \(p[1]): \(e.message)")
                        }
                        if named[p[0]] == nil { named[p[0]] = .array(vals) }
                    }
                case "--args": argsMode = 1
                case "--jsonargs": argsMode = 2
                case "--help":
                    out.write(usage())
                    out.flush()
                    return false
                case "--version":
                    out.write("jq-1.8.2\n")
                    out.flush()
                    return false
                case "--build-configuration":
                    out.write("vigil-swift\n")
                    out.flush()
                    return false
                case "--debug-dump-disasm", "--debug-trace", "--debug-trace=all", "--binary": break
                default:
                    throw UsageError(message: "jq: Unknown option: \(a)\nUse jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://jqlang.org")
                }
                continue
            }
            // short options, possibly combined (-rc); -L and -f may take the rest or the next argument
            let chars = Array(a.utf8.dropFirst())
            var k = 0
            while k < chars.count {
                let c = Character(UnicodeScalar(chars[k]))
                switch c {
                case "n": nullInput = true
                case "R": rawInput = true
                case "s": slurp = true
                case "c": writer.indent = 0; writer.useTab = false
                case "r": rawOutput = true
                case "j": rawOutput = true; joinOutput = true
                case "a": writer.asciiOutput = true
                case "S": writer.sortKeys = true
                case "C": writer.color = true
                case "M": writer.color = false
                case "e": exitStatus = true
                case "b": break
                case "h":
                    out.write(usage())
                    out.flush()
                    return false
                case "V":
                    out.write("jq-1.8.2\n")
                    out.flush()
                    return false
                case "L":
                    if k + 1 < chars.count {
                        libPaths.append(String(decoding: chars[(k + 1)...], as: UTF8.self))
                        k = chars.count
                        continue
                    }
                    libPaths.append(try need(1, "-L")[0])
                case "f":
                    filterFile = try need(1, "-f")[0]
                default:
                    throw UsageError(message: "jq: Unknown option: \(a)\nUse jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://jqlang.org")
                }
                k += 1
            }
        }
        if let ff = filterFile {
            // with -f the first positional argument is an input file, not the filter
            if let f = filter { files.insert(f, at: 0) }
            guard let bytes = readFileBytes(ff) else {
                throw UsageError(message: "jq: error: Could not open \(ff): \(String(cString: strerror(errno)))")
            }
            filter = String(decoding: bytes, as: UTF8.self)
        }
        return true
    }

    func main() -> Int32 {
        if let nc = getenv("NO_COLOR"), nc.pointee != 0 { writer.color = false }
        do {
            guard try parseArgs() else { return 0 }
        } catch let e as UsageError {
            err.write(e.message + "\n")
            err.flush()
            return 2
        } catch {
            return 2
        }
        guard let filter else {
            err.write(usage())
            err.flush()
            return 2
        }
        writer.flush = { [out] buf in
            out.writeRaw(buf)
            buf.removeAll(keepingCapacity: true)
        }
        let ev = Evaluator()
        ev.libraryPaths = libPaths.isEmpty ? ["~/.jq", "$ORIGIN/../lib/jq", "$ORIGIN/../lib"] : libPaths
        ev.namedArgs = named
        ev.positionalArgs = positional
        ev.environment = Self.environmentObject()
        ev.debugWriter = { [err] s in err.write(s + "\n"); err.flush() }
        ev.stderrWriter = { [err] s in err.write(s); err.flush() }
        let program: JQProgram
        do {
            program = try ev.compileProgram(filter)
        } catch let e as CompileError {
            err.write("jq: error: \(e.message)\njq: 1 compile error\n")
            err.flush()
            return 3
        } catch {
            err.write("jq: error: \(error)\njq: 1 compile error\n")
            err.flush()
            return 3
        }
        let inputs = InputStream(files: files, raw: rawInput, slurp: slurp, stream: stream, seq: seq) { [err] line in
            err.write(line + "\n")
            err.flush()
        }
        inputs.yaml = yamlInput
        ev.nextInput = { [inputs, ev] in
            let v = try inputs.next()
            ev.currentFilename = inputs.currentName.map(Value.string) ?? .null
            return v
        }
        var exitCode: Int32 = 0
        var lastOutput: Value?
        var hadOutput = false
        var line: [UInt8] = []

        func emit(_ v: Value) throws {
            hadOutput = true
            lastOutput = v
            if seq { out.bytes.append(0x1E) }
            if rawOutput, case .string(let s) = v {
                if rawOutput0 && s.utf8.contains(0) {
                    throw JQError.msg("Cannot dump a string containing NUL with --raw-output0 option")
                }
                out.bytes.append(contentsOf: s.utf8)
            } else if yamlOutput {
                // one document per output, separated as gojq separates them
                if yamlDocuments > 0 { out.bytes.append(contentsOf: "---\n".utf8) }
                yamlDocuments += 1
                do {
                    out.bytes.append(contentsOf: try YAMLCodec.document(v, sortKeys: writer.sortKeys).utf8)
                } catch {
                    throw JQError.msg(error.message)
                }
                out.maybeFlush()
                return
            } else {
                var buf = out.bytes
                out.bytes = []
                writer.write(v, into: &buf)
                out.bytes = buf
            }
            if rawOutput0 { out.bytes.append(0) } else if !joinOutput { out.bytes.append(0x0A) }
            out.maybeFlush()
        }
        _ = line
        line = []

        func runOne(_ input: Value) -> Bool {
            do {
                try ev.run(program, input: input) { v in try emit(v) }
            } catch let e as JQError {
                switch e {
                case .halt(let code, let v):
                    out.flush()
                    if let v {
                        if case .string(let s) = v { err.write(s) } else { err.write(v.jsonText + "\n") }
                    }
                    err.flush()
                    exitCode = code
                    return false
                case .breakOut:
                    err.write("jq: error (at \(inputs.location)): break\n")
                    exitCode = 5
                case .runtime:
                    err.write("jq: error (at \(inputs.location)): \(e.messageText)\n")
                    exitCode = 5
                }
            } catch let e as InputError {
                err.write("jq: error (at \(inputs.location)): \(e.message)\n")
                exitCode = 2
                return false
            } catch {
                err.write("jq: error: \(error)\n")
                exitCode = 5
            }
            return true
        }

        if nullInput {
            _ = runOne(.null)
        } else {
            while true {
                let v: Value?
                do {
                    v = try inputs.next()
                } catch let e as InputError {
                    out.flush()
                    err.write("jq: error (at \(inputs.location)): \(e.message)\n")
                    exitCode = 2
                    break
                } catch {
                    exitCode = 2
                    break
                }
                guard let v else { break }
                ev.currentFilename = inputs.currentName.map(Value.string) ?? .null
                let keepGoing = runOne(v)
                // The last input stays referenced until the process exits: freeing a large tree
                // node by node costs a fifth of the run and the kernel reclaims it anyway.
                JQRunner.lastInput = v
                if !keepGoing { break }
            }
        }
        out.flush()
        err.flush()
        // jq: inputs that could not be opened or read make the run fail (exit 2) after the rest
        if inputs.failures > 0 { return 2 }
        if exitCode != 0 { return exitCode }
        if exitStatus {
            guard hadOutput, let last = lastOutput else { return 4 }
            return last.isTruthy ? 0 : 1
        }
        return 0
    }

    static func environmentObject() -> Value {
        var o = JQObject()
        var p = environ
        while let e = p.pointee {
            let s = String(cString: e)
            if let eq = s.firstIndex(of: "=") {
                o[String(s[..<eq])] = .string(String(s[s.index(after: eq)...]))
            }
            p += 1
        }
        return .object(o)
    }
}
