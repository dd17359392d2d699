import ArgumentParser

/// Help requests (`-h`, `--help`, `help …`) as ArgumentParser reads them, checked for a
/// subcommand that does not exist: ArgumentParser answers `vigil nosuch --help` and
/// `vigil help nosuch` with the nearest parent's help and exit 0.
enum HelpRequest {
    static let flags: Set<String> = ["-h", "--help", "-help"]

    /// The first word of a help request that names no subcommand of the command before it
    /// (`nosuch` of `vigil`, `nosuch` of `vigil db`); nil when the arguments ask for no help or
    /// every word names a subcommand. The walk stops at the first option or at a command
    /// without subcommands (whose words are its own arguments).
    /// `handledFirst` are the root's words the caller handles before parsing (`query`, `jq`).
    static func unknownSubcommand(in arguments: [String], root: any ParsableCommand.Type,
                                  handledFirst: Set<String> = []) -> (word: String, parent: String)? {
        var words = arguments
        if words.first == "help" {
            words.removeFirst()
        } else {
            guard let end = words.firstIndex(of: "--") ?? Optional(words.endIndex),
                  words[..<end].contains(where: flags.contains) else { return nil }
            words = words[..<end].filter { !flags.contains($0) }
        }
        var command = root
        var path = [root._commandName]
        for word in words {
            if word.hasPrefix("-") { return nil }
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty, command.configuration.defaultSubcommand == nil else { return nil }
            if path.count == 1, handledFirst.contains(word) { return nil }
            guard let next = subcommands.first(where: { $0._commandName == word || $0.configuration.aliases.contains(word) }) else {
                return (word, path.joined(separator: " "))
            }
            command = next
            path.append(word)
        }
        return nil
    }
}
