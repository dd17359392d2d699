import ContainerImage

/// Reads apk's installed database (`lib/apk/db/installed`).
public enum ApkAnalyzer {
    public static let installedPath = "lib/apk/db/installed"
    public static let request = FileRequest(paths: [installedPath], maxFileSize: 64 << 20)

    /// Packages in the final image with the layer that installed each version.
    public static func analyze(_ fs: any FileSystemView) throws -> [InstalledPackage] {
        let history = try fs.history(of: installedPath)
        if history.isEmpty, let reason = try fs.unreadableReason(at: installedPath) {
            throw AnalyzerError(file: installedPath, "\(reason); the package database cannot be read")
        }
        return try LayerAttribution.packages(history: history, key: \.name) { snapshot in
            try parse(snapshot.bytes, path: snapshot.path)
        }
    }

    /// Parses the `installed` file: blank-line separated records of `X:value` lines.
    public static func parse(_ bytes: [UInt8], path: String) throws -> [InstalledPackage] {
        var result: [InstalledPackage] = []
        var name: String?
        var version: String?
        var arch: String?
        var origin: String?
        var license: String?
        var maintainer: String?
        var recordLine = 1
        var lineNumber = 0

        func flush() throws {
            defer { name = nil; version = nil; arch = nil; origin = nil; license = nil; maintainer = nil }
            guard name != nil || version != nil else { return }
            guard let n = name, !n.isEmpty else {
                throw AnalyzerError(file: path, "line \(recordLine): record without a package name (P:)")
            }
            guard let v = version, !v.isEmpty else {
                throw AnalyzerError(file: path, "line \(recordLine): package '\(n)' has no version (V:)")
            }
            result.append(InstalledPackage(
                format: .apk, name: n, version: v, upstreamVersion: v, arch: arch,
                sourceName: origin ?? n, sourceVersion: v,
                licenses: license.map { splitLicenses($0) } ?? [], maintainer: maintainer, databasePath: path))
        }

        // Lines are split on bytes: Swift reads "\r\n" as one Character, so splitting the String
        // on "\n" would leave a CRLF file as one line.
        for rawBytes in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            let lineBytes = rawBytes.last == 0x0D ? rawBytes.dropLast() : rawBytes
            let line = Substring(String(decoding: lineBytes, as: UTF8.self))
            if line.isEmpty {
                try flush()
                recordLine = lineNumber + 1
                continue
            }
            guard line.count >= 2, line[line.index(after: line.startIndex)] == ":" else {
                throw AnalyzerError(file: path, "line \(lineNumber): expected 'X:value', got '\(line.prefix(60))'")
            }
            let value = String(line.dropFirst(2))
            switch line.first! {
            case "P": name = value
            case "V": version = value
            case "A": arch = value
            case "o": origin = value
            case "L": license = value
            case "m": maintainer = value
            default: break
            }
        }
        try flush()
        return result
    }

    /// `MIT AND BSD-2-Clause` / `GPL-2.0-only` → individual license ids, as Trivy lists them.
    static func splitLicenses(_ s: String) -> [String] {
        s.split(separator: " ").filter { $0 != "AND" && $0 != "OR" && $0 != "WITH" }.map {
            String($0.filter { $0 != "(" && $0 != ")" })
        }.filter { !$0.isEmpty }
    }
}
