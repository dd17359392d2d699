import JSONValue

/// JSON reading shared by the metadata parsers: strict syntax (nesting bounded by
/// ``JSONParser/maxDepth``), and typed fields that fail as Go's decoder fails in Trivy — a
/// field of the wrong type makes the file unreadable, a missing one is empty.
enum MetadataJSON {
    static func parse(_ bytes: [UInt8]) throws(InstalledMetadataProblem) -> JSON {
        do {
            return try JSONParser.parse(bytes)
        } catch {
            throw InstalledMetadataProblem("line \(error.line): \(error.message)")
        }
    }

    /// The members of `value`, which must be an object.
    static func object(_ value: JSON, _ what: String) throws(InstalledMetadataProblem) -> [(String, JSON)] {
        guard let members = value.objectValue else { throw InstalledMetadataProblem("\(what) is not a JSON object") }
        return members
    }

    /// A string member: nil when absent or null, an error when of another type.
    static func string(_ value: JSON, _ key: String, in what: String) throws(InstalledMetadataProblem) -> String? {
        switch value[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        default: throw InstalledMetadataProblem("\(what): \"\(key)\" is not a string")
        }
    }
}
