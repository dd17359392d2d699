import ContainerImage

/// Finds the layer that installed each package's current version from every layer's copy of a
/// package database: a package keeps the layer where its current version first appeared, as long
/// as every later copy still lists that version.
enum LayerAttribution {
    /// Parses each version of the database (oldest first) and returns the final packages with `layer` set.
    static func packages(history: [FoundFile], key: (InstalledPackage) -> String,
                         parse: (FoundFile) throws -> [InstalledPackage]) throws -> [InstalledPackage] {
        var firstSeen: [String: (version: String, layer: Int?)] = [:]
        var latest: [InstalledPackage] = []
        for snapshot in history {
            let parsed: [InstalledPackage]
            do {
                parsed = try parse(snapshot)
            } catch let error as AnalyzerError where snapshot.layer != nil {
                // Name the layer: the same database file exists in several.
                throw AnalyzerError(file: "\(error.file) (layer \(snapshot.layer! + 1))", error.message)
            }
            var next: [String: (version: String, layer: Int?)] = [:]
            for p in parsed {
                let k = key(p)
                if let prev = firstSeen[k], prev.version == p.version { next[k] = prev } else { next[k] = (p.version, snapshot.layer) }
            }
            firstSeen = next
            latest = parsed
        }
        return latest.map { p in
            var p = p
            p.layer = firstSeen[key(p)]?.layer
            return p
        }
    }
}
