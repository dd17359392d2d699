import Yams

/// Composes a YAML lockfile (`pnpm-lock.yaml`) into Yams' node tree, with errors that name the
/// file and line. Anchors and aliases are refused before composing: lockfile writers never emit
/// them, and an alias "billion laughs" would make composing exponential.
enum LockfileYAML {
    static func document(_ bytes: [UInt8], path: String) throws -> Node? {
        if let line = aliasLine(bytes) {
            throw AnalyzerError(file: path, "line \(line): YAML anchors and aliases are not accepted in lockfiles")
        }
        do {
            return try Yams.compose(yaml: String(decoding: bytes, as: UTF8.self))
        } catch let error as YamlError {
            switch error {
            case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
                throw AnalyzerError(file: path, "line \(mark.line): invalid YAML: \(problem)")
            case let .duplicatedKeysInMapping(duplicates, context):
                throw AnalyzerError(file: path, "line \(context.mark.line): invalid YAML: duplicate key(s) \(duplicates.joined(separator: ", ").prefix(200))")
            default:
                throw AnalyzerError(file: path, "invalid YAML")
            }
        } catch {
            throw AnalyzerError(file: path, "invalid YAML")
        }
    }

    /// The line of the first `&anchor` or `*alias` where a node can start (after indentation,
    /// `- `, `: `, `? `, `[`, `{` or `,`), outside quotes; nil when there is none.
    static func aliasLine(_ data: [UInt8]) -> Int? {
        var line = 1
        var inSingle = false, inDouble = false
        var before: UInt8 = 0x0A  // last non-blank byte
        for (i, b) in data.enumerated() {
            if b == 0x0A { line += 1; inSingle = false; inDouble = false; before = 0x0A; continue }
            if b == 0x20 || b == 0x09 { continue }
            if b == UInt8(ascii: "'"), !inDouble { inSingle.toggle() }
            if b == UInt8(ascii: "\""), !inSingle { inDouble.toggle() }
            if !inSingle, !inDouble, b == UInt8(ascii: "&") || b == UInt8(ascii: "*"), i + 1 < data.count,
               data[i + 1] != 0x20, data[i + 1] != 0x0A, data[i + 1] != 0x0D,
               [0x0A, UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "?"), UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: ",")].contains(before) {
                return line
            }
            before = b
        }
        return nil
    }
}
