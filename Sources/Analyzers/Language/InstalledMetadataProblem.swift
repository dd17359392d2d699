/// Why a language metadata file yields no package: one line, without the file's path (the
/// analyzer adds the path and layer when it reports it).
struct InstalledMetadataProblem: Error, Equatable {
    var message: String

    init(_ message: String) { self.message = message }
}
