import ContainerImage

/// Finds language packages anywhere in the filesystem: installed Python distributions, Python,
/// Go and Rust lockfiles. Each file becomes an ``Application``; installed Python packages are
/// gathered into one.
public enum LanguageAnalyzer {
    static let pythonMetadata = FileNamePattern(name: "METADATA", parentSuffix: ".dist-info")
    static let eggInfoPKGInfo = FileNamePattern(name: "PKG-INFO", parentSuffix: ".egg-info")
    static let eggInfoFile = FileNamePattern(name: ".egg-info", nameIsSuffix: true)
    static let requirements = FileNamePattern(name: "requirements.txt")
    static let pipfileLock = FileNamePattern(name: "Pipfile.lock")
    static let poetryLock = FileNamePattern(name: "poetry.lock")
    static let goMod = FileNamePattern(name: "go.mod")
    static let goSum = FileNamePattern(name: "go.sum")
    static let cargoLock = FileNamePattern(name: "Cargo.lock")

    /// Metadata files carry a README; lockfiles of big projects reach a few MiB.
    public static let request = FileRequest(names: [pythonMetadata, eggInfoPKGInfo, eggInfoFile], maxFileSize: 4 << 20)
        .merging(FileRequest(names: [requirements, pipfileLock, poetryLock, goMod, goSum, cargoLock], maxFileSize: 32 << 20))

    /// Every application in the filesystem, sorted by type then path.
    public static func analyze(_ fs: any FileSystemView) throws -> [Application] {
        let found = try fs.files(matching: [
            pythonMetadata, eggInfoPKGInfo, eggInfoFile, requirements, pipfileLock, poetryLock, goMod, cargoLock,
        ])
        func files(_ pattern: FileNamePattern) -> [FoundFile] { found.filter { pattern.matches($0.path) } }
        var apps: [Application] = []
        var python: [InstalledPackage] = []
        for file in found where PythonMetadataParser.isInstalledLocation(file.path)
            && (pythonMetadata.matches(file.path) || eggInfoPKGInfo.matches(file.path) || eggInfoFile.matches(file.path)) {
            python.append(try PythonMetadataParser.parse(file.bytes, path: file.path, layer: file.layer))
        }
        if !python.isEmpty {
            apps.append(Application(type: .pythonPackage, filePath: "", packages: sorted(python)))
        }
        func each(_ pattern: FileNamePattern, _ type: PackageFormat,
                  _ parse: (FoundFile) throws -> [InstalledPackage]) throws {
            for file in files(pattern) {
                let packages = try parse(file)
                if !packages.isEmpty { apps.append(Application(type: type, filePath: file.path, packages: sorted(packages))) }
            }
        }
        try each(requirements, .pip) { try RequirementsParser.parse($0.bytes, path: $0.path, layer: $0.layer) }
        try each(pipfileLock, .pipenv) { try PipfileLockParser.parse($0.bytes, path: $0.path, layer: $0.layer) }
        try each(poetryLock, .poetry) { try LockfileTOML.packages($0.bytes, path: $0.path, layer: $0.layer, format: .poetry) }
        try each(cargoLock, .cargo) { try LockfileTOML.packages($0.bytes, path: $0.path, layer: $0.layer, format: .cargo) }
        try each(goMod, .gomod) { file in
            let (parent, _) = ArchivePath.split(file.path)
            let sum = try fs.file(at: parent.isEmpty ? "go.sum" : parent + "/go.sum")
            return try GoModParser.parse(file.bytes, path: file.path, layer: file.layer, goSum: sum)
        }
        return apps.sorted { ($0.type.rawValue, $0.filePath) < ($1.type.rawValue, $1.filePath) }
    }

    static func sorted(_ packages: [InstalledPackage]) -> [InstalledPackage] {
        packages.sorted { ($0.name, $0.version, $0.databasePath) < ($1.name, $1.version, $1.databasePath) }
    }
}

/// Splits bytes into lines (LF or CRLF) with 1-based numbers, without going through `Character`
/// (Swift reads "\r\n" as one character).
enum TextLines {
    static func lines(_ bytes: [UInt8]) -> [(number: Int, text: Substring)] {
        var result: [(Int, Substring)] = []
        var number = 0
        for raw in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            let line = raw.last == 0x0D ? raw.dropLast() : raw
            result.append((number, Substring(String(decoding: line, as: UTF8.self))))
        }
        if let last = result.last, last.1.isEmpty, bytes.last == 0x0A { result.removeLast() }
        return result
    }
}

extension Substring {
    var trimmed: Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return s
    }
}
