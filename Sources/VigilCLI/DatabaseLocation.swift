import Foundation

/// Where the database lives by default.
enum DatabaseLocation {
    static func resolve(_ explicit: String?) -> String {
        if let explicit { return explicit }
        if let env = ProcessInfo.processInfo.environment["VIGIL_DB"], !env.isEmpty { return env }
        return cacheDirectory() + "/db/vigil.db"
    }

    static func cacheDirectory() -> String {
        let env = ProcessInfo.processInfo.environment
        if let xdg = env["XDG_CACHE_HOME"], !xdg.isEmpty { return xdg + "/vigil" }
        let home = env["HOME"] ?? NSHomeDirectory()
        return home + "/.cache/vigil"
    }
}
