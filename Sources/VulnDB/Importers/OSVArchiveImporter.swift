import Foundation
import ZIPFoundation
import VigilCore

/// Reads an OSV per-ecosystem `all.zip` (osv.dev's `…/PyPI/all.zip`): every `*.json` member is
/// one OSV record, parsed by ``OSVImporter``. Nothing is extracted to disk.
///
/// A member that is not JSON is skipped and counted. A member bigger than
/// ``maximumMemberSize`` (by its header or by the bytes that actually inflate) or an archive
/// inflating to more than ``maximumTotalSize`` is an error, so a zip bomb ends the import
/// instead of the machine's memory.
enum OSVArchiveImporter {
    static let maximumMemberSize = 64 << 20
    static let maximumTotalSize = 8 << 30

    private struct TooLarge: Error { var total: Bool }

    static func parse(path: String, data: [UInt8]) throws(VulnDBError) -> FeedParseResult {
        let archive: Archive
        do {
            archive = try Archive(data: Data(data), accessMode: .read)
        } catch {
            throw VulnDBError(.malformedFeed, "\(path): not a readable zip archive (\(error))")
        }
        var result = FeedParseResult()
        var total = 0
        for entry in archive {
            let name = entry.path
            guard entry.type == .file else { continue }
            guard name.lowercased().hasSuffix(".json") else {
                result.skip("zip member that is not JSON")
                continue
            }
            let memberPath = "\(path):\(name)"
            guard entry.uncompressedSize <= UInt64(maximumMemberSize) else {
                throw VulnDBError(.malformedFeed, "\(memberPath): member of \(entry.uncompressedSize) bytes exceeds the \(maximumMemberSize >> 20) MiB limit")
            }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(Int(entry.uncompressedSize))
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    bytes.append(contentsOf: chunk)
                    total += chunk.count
                    if bytes.count > maximumMemberSize { throw TooLarge(total: false) }
                    if total > maximumTotalSize { throw TooLarge(total: true) }
                }
            } catch let e as TooLarge {
                throw VulnDBError(.malformedFeed, e.total
                    ? "\(path): archive inflates to more than \(maximumTotalSize >> 30) GiB; refusing it"
                    : "\(memberPath): member inflates beyond the \(maximumMemberSize >> 20) MiB limit")
            } catch {
                throw VulnDBError(.malformedFeed, "\(memberPath): cannot read zip member (\(error))")
            }
            let member = try OSVImporter.parse(path: memberPath, data: bytes)
            result.batch.advisories += member.batch.advisories
            // Bounded per member: one archive can hold thousands of records.
            result.batch.vulnerabilities += member.batch.vulnerabilities.map { $0.boundingText() }
            for (reason, count) in member.skipped { result.skipped[reason, default: 0] += count }
        }
        result.inflatedBytes = total
        return result
    }
}
