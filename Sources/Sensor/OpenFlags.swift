/// Open flags as Falco prints them.
public enum OpenFlags {
    public static func falcoString(_ raw: Int64) -> String {
        let f = Int32(truncatingIfNeeded: raw)
        var parts: [String] = []
        switch f & 3 {
        case 0: parts.append("O_RDONLY")
        case 1: parts.append("O_WRONLY")
        default: parts.append("O_RDWR")
        }
        let named: [(Int32, String)] = [
            (0o100, "O_CREAT"), (0o200, "O_EXCL"), (0o400, "O_NOCTTY"), (0o1000, "O_TRUNC"), (0o2000, "O_APPEND"),
            (0o4000, "O_NONBLOCK"), (0o10000, "O_DSYNC"), (0o40000, "O_DIRECT"), (0o100000, "O_LARGEFILE"),
            (0o200000, "O_DIRECTORY"), (0o400000, "O_NOFOLLOW"), (0o1000000, "O_NOATIME"), (0o2000000, "O_CLOEXEC"),
            (0o10000000, "O_PATH"),
        ]
        for (bit, name) in named where f & bit != 0 {
            // O_TMPFILE is __O_TMPFILE | O_DIRECTORY
            if bit == 0o200000, f & 0o20000000 != 0 { parts.append("O_TMPFILE"); continue }
            parts.append(name)
        }
        if f & 0o4010000 == 0o4010000 { parts.removeAll { $0 == "O_DSYNC" }; parts.append("O_SYNC") }
        return parts.joined(separator: "|")
    }
}
