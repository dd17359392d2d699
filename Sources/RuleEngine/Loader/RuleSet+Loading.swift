import Sensor
import VigilCore

extension RuleSet {
    /// The name used for the default rules in locations.
    public static let defaultRulesName = "<vigil default rules>"

    /// Loads files in order (optionally after Vigil's defaults) and compiles them.
    ///
    /// Problems inside the files are reported in `errors`/`warnings`; only unreadable files throw.
    public static func load(files: [String], includeDefaults: Bool = false, registry: FieldRegistry = .standard) throws(RuleEngineError) -> RuleSet {
        var loader = RuleLoader()
        if includeDefaults {
            loader.load(content: defaultRulesText, name: defaultRulesName)
        }
        for path in files {
            let text: String
            do { text = try FileIO.readText(path) } catch {
                throw RuleEngineError(.io, "cannot read rules file: \(error.reason)", location: path)
            }
            loader.load(content: text, name: path)
        }
        return loader.finish(registry: registry)
    }

    /// Loads rules from strings (name, content), for tests and embedding.
    public static func load(contents: [(name: String, content: String)], includeDefaults: Bool = false) -> RuleSet {
        var loader = RuleLoader()
        if includeDefaults { loader.load(content: defaultRulesText, name: defaultRulesName) }
        for c in contents { loader.load(content: c.content, name: c.name) }
        return loader.finish()
    }

    /// Throws the first error, the way the CLI reports a failed load.
    public func checked() throws(RuleEngineError) -> RuleSet {
        if let first = errors.first {
            let more = errors.count > 1 ? " (and \(errors.count - 1) more error\(errors.count > 2 ? "s" : ""))" : ""
            throw RuleEngineError(.load, (first.item.map { "\($0): " } ?? "") + first.message + more, location: first.location?.description)
        }
        return self
    }
}
