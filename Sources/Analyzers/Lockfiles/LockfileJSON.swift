import JSONValue

/// Parses a JSON lockfile, turning a syntax error into an ``AnalyzerError`` that names the file
/// and line, and insisting on an object at the top.
enum LockfileJSON {
    static func object(_ bytes: [UInt8], path: String) throws -> JSON {
        let root: JSON
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            throw AnalyzerError(file: path, "line \(error.line): \(error.message)")
        }
        guard root.objectValue != nil else { throw AnalyzerError(file: path, "line 1: expected a JSON object") }
        return root
    }

    /// Whether `value` is the JSON literal `true`.
    static func isTrue(_ value: JSON?) -> Bool {
        if case .bool(true)? = value { return true }
        return false
    }
}
