import ContainerImage
import GRDB
import GRDBSQLite

/// Reads the rpm database in its SQLite form (`rpmdb.sqlite`, Fedora 33+, RHEL 9, CBL-Mariner 2).
///
/// The file is opened from memory with `sqlite3_deserialize`, read-only: nothing is written to
/// disk and a hostile database can only produce an error.
public enum RpmAnalyzer {
    public static let sqlitePaths = ["var/lib/rpm/rpmdb.sqlite", "usr/lib/sysimage/rpm/rpmdb.sqlite"]
    /// Berkeley DB and NDB forms: detected so the report can say they are not read yet.
    public static let otherPaths = ["var/lib/rpm/Packages", "var/lib/rpm/Packages.db", "usr/lib/sysimage/rpm/Packages.db"]
    public static let request = FileRequest(paths: Set(sqlitePaths), maxFileSize: 512 << 20)

    /// Packages from the first rpmdb.sqlite found.
    public static func analyze(_ fs: any FileSystemView) throws -> [InstalledPackage] {
        for path in sqlitePaths {
            let history = try fs.history(of: path)
            guard !history.isEmpty else { continue }
            return try LayerAttribution.packages(history: history, key: { $0.name + "." + ($0.arch ?? "") }) { snapshot in
                try parseDatabase(snapshot.bytes, path: snapshot.path)
            }
        }
        return []
    }

    /// Reads every header blob of the `Packages` table.
    public static func parseDatabase(_ bytes: [UInt8], path: String) throws -> [InstalledPackage] {
        guard bytes.count >= 100, bytes.starts(with: Array("SQLite format 3\0".utf8)) else {
            throw AnalyzerError(file: path, "not an SQLite database")
        }
        var image = bytes
        // WAL-mode files cannot be deserialized; declare rollback journal mode instead (bytes 18, 19).
        image[18] = 1
        image[19] = 1
        let queue = try DatabaseQueue()
        let blobs: [[UInt8]] = try queue.inDatabase { db in
            let size = Int64(image.count)
            guard let buffer = sqlite3_malloc64(UInt64(size)) else {
                throw AnalyzerError(file: path, "out of memory")
            }
            image.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: image.count) }
            let flags = UInt32(SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY)
            let rc = sqlite3_deserialize(db.sqliteConnection, "main", buffer.assumingMemoryBound(to: UInt8.self), size, size, flags)
            guard rc == SQLITE_OK else {
                throw AnalyzerError(file: path, "cannot open SQLite image (code \(rc))")
            }
            do {
                // Only a real table: a view can compute rows without end (a recursive CTE) and make
                // SQLite spill to temp files. Temp storage stays in memory, bounded by the file.
                try db.execute(sql: "PRAGMA temp_store = MEMORY")
                let kind = try String.fetchOne(db, sql: "SELECT type FROM sqlite_master WHERE name = 'Packages'")
                guard kind == "table" else {
                    throw AnalyzerError(file: path, kind == nil ? "no Packages table" : "Packages is a \(kind!), not a table")
                }
                return try Row.fetchAll(db, sql: "SELECT blob FROM Packages ORDER BY hnum").map { row in
                    let data: [UInt8] = (row[0] as DatabaseValue).storage.blobBytes ?? []
                    return data
                }
            } catch let error as DatabaseError {
                throw AnalyzerError(file: path, "cannot read Packages table: \(error.message ?? "\(error.resultCode)")")
            }
        }
        var packages: [InstalledPackage] = []
        for (i, blob) in blobs.enumerated() {
            let header = try RpmHeader(blob, context: "\(path): package \(i + 1)")
            guard let name = header.string(RpmHeader.Tag.name) else { continue }
            if name == "gpg-pubkey" { continue }
            let version = header.string(RpmHeader.Tag.version) ?? ""
            let release = header.string(RpmHeader.Tag.release)
            let epoch = header.int(RpmHeader.Tag.epoch)
            let arch = header.string(RpmHeader.Tag.arch)
            var full = version
            if let release { full += "-" + release }
            if let epoch, epoch != 0 { full = "\(epoch):" + full }
            var sourceName = name
            var sourceVersion = full
            if let srpm = header.string(RpmHeader.Tag.sourceRPM), let parsed = parseSourceRPM(srpm) {
                sourceName = parsed.name
                sourceVersion = (epoch.map { $0 != 0 ? "\($0):" : "" } ?? "") + parsed.version + "-" + parsed.release
            }
            let license = header.string(RpmHeader.Tag.license)
            packages.append(InstalledPackage(
                format: .rpm, name: name, version: full, epoch: epoch, upstreamVersion: version, release: release,
                arch: arch, sourceName: sourceName, sourceVersion: sourceVersion,
                licenses: license.map { [$0] } ?? [], maintainer: header.string(RpmHeader.Tag.vendor), databasePath: path))
        }
        return packages
    }

    /// `openssl-1.0.2k-16.el7.src.rpm` → (openssl, 1.0.2k, 16.el7).
    public static func parseSourceRPM(_ srpm: String) -> (name: String, version: String, release: String)? {
        var s = Substring(srpm)
        for suffix in [".rpm", ".src", ".nosrc"] where s.hasSuffix(suffix) { s = s.dropLast(suffix.count) }
        guard let relDash = s.lastIndex(of: "-") else { return nil }
        let release = s[s.index(after: relDash)...]
        let rest = s[..<relDash]
        guard let verDash = rest.lastIndex(of: "-") else { return nil }
        return (String(rest[..<verDash]), String(rest[rest.index(after: verDash)...]), String(release))
    }
}

extension DatabaseValue.Storage {
    var blobBytes: [UInt8]? {
        if case .blob(let data) = self { return [UInt8](data) }
        return nil
    }
}
