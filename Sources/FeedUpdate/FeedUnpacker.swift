import CVigilZlib
import Foundation
import VulnDB
import ZIPFoundation
import VigilCore

/// Turns downloaded files into what the importers read: `.gz` files are inflated, zips other
/// than OSV `all.zip` exports (which the importer reads whole) are unpacked. Every output is held
/// to the file size limit, so a decompression bomb stops the update instead of filling the disk.
enum FeedUnpacker {
    /// Unpacks `path` in place if it is compressed; returns the paths that now stand for it.
    static func unpack(_ path: String, keepZip: Bool, maxBytes: Int64, what: String) throws(FeedUpdateError) -> [String] {
        guard let head = try? FileHandle(forReadingFrom: URL(fileURLWithPath: path)).read(upToCount: 4) else { return [path] }
        let bytes = [UInt8](head)
        if bytes.count >= 2, bytes[0] == 0x1F, bytes[1] == 0x8B {
            var out = path.hasSuffix(".gz") ? String(path.dropLast(3)) : path + ".out"
            if out == path { out += ".out" }
            try gunzip(path, to: out, maxBytes: maxBytes, what: what)
            unlink(path)
            return try unpack(out, keepZip: keepZip, maxBytes: maxBytes, what: what)
        }
        if !keepZip, bytes.count == 4, bytes == [0x50, 0x4B, 0x03, 0x04] {
            let dir = path + ".d"
            let files = try unzip(path, into: dir, maxBytes: maxBytes, what: what)
            unlink(path)
            return files
        }
        return [path]
    }

    /// Inflates every gzip member of `source` into `destination` (as `gzip -dc` does).
    static func gunzip(_ source: String, to destination: String, maxBytes: Int64, what: String) throws(FeedUpdateError) {
        guard let input = FileHandle(forReadingAtPath: source) else { throw FeedUpdateError(.io, "\(source): cannot read") }
        defer { try? input.close() }
        let output = try StagingFile(path: destination)
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw FeedUpdateError(.io, "\(what): cannot start gzip decoder")
        }
        defer { inflateEnd(&stream) }
        var produced: Int64 = 0
        var outBuffer = [UInt8](repeating: 0, count: 1 << 16)
        var finishedMember = false
        while true {
            let chunk: Data
            do {
                chunk = try input.read(upToCount: 1 << 16) ?? Data()
            } catch {
                throw FeedUpdateError(.io, "\(source): cannot read (\(error.localizedDescription))")
            }
            if chunk.isEmpty {
                guard finishedMember else { throw FeedUpdateError(.validation, "\(what): gzip data ends early (truncated download?)") }
                break
            }
            var inBytes = [UInt8](chunk)
            try inBytes.withUnsafeMutableBufferPointer { (inPtr) throws(FeedUpdateError) in
                stream.next_in = inPtr.baseAddress
                stream.avail_in = UInt32(inPtr.count)
                while stream.avail_in > 0 {
                    if finishedMember {
                        // Another member follows (or padding): zero bytes after a member are ignored like `gzip -dc`.
                        if inPtr[inPtr.count - Int(stream.avail_in)] == 0 { stream.avail_in = 0; break }
                        inflateReset(&stream)
                        finishedMember = false
                    }
                    let (status, have): (Int32, Int) = outBuffer.withUnsafeMutableBufferPointer { outPtr in
                        stream.next_out = outPtr.baseAddress
                        stream.avail_out = UInt32(outPtr.count)
                        let status = inflate(&stream, Z_NO_FLUSH)
                        return (status, outPtr.count - Int(stream.avail_out))
                    }
                    if have > 0 {
                        produced += Int64(have)
                        if produced > maxBytes {
                            throw FeedUpdateError(.validation, "\(what): inflates past the \(ByteCount.text(maxBytes)) file limit (max-file-size in the feeds config)")
                        }
                        let failure: FeedUpdateError? = outBuffer.withUnsafeBytes { raw in
                            do throws(FeedUpdateError) {
                                try output.write(UnsafeRawBufferPointer(rebasing: raw[0..<have]))
                                return nil
                            } catch {
                                return error
                            }
                        }
                        if let failure { throw failure }
                    }
                    switch status {
                    case Z_STREAM_END: finishedMember = true
                    case Z_OK, Z_BUF_ERROR: break
                    default: throw FeedUpdateError(.validation, "\(what): corrupt gzip data (zlib status \(status))")
                    }
                }
            }
        }
        try output.finish()
    }

    /// Extracts the regular files of a zip under `dir`, refusing names that climb out of it.
    static func unzip(_ source: String, into dir: String, maxBytes: Int64, what: String) throws(FeedUpdateError) -> [String] {
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: source), accessMode: .read)
        } catch {
            throw FeedUpdateError(.validation, "\(what): not a readable zip archive (\(error))")
        }
        var files: [String] = []
        var total: Int64 = 0
        for entry in archive where entry.type == .file {
            let parts = entry.path.split(separator: "/").map(String.init)
            guard !entry.path.hasPrefix("/"), !parts.isEmpty, !parts.contains(".."), !parts.contains(where: { $0.hasPrefix(".") }) else { continue }
            total += Int64(entry.uncompressedSize)
            guard Int64(entry.uncompressedSize) <= maxBytes, total <= maxBytes else {
                throw FeedUpdateError(.validation, "\(what): \(entry.path) inflates past the \(ByteCount.text(maxBytes)) file limit (max-file-size in the feeds config)")
            }
            let target = dir + "/" + parts.joined(separator: "/")
            do {
                try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                let file = try StagingFile(path: target)
                var written: Int64 = 0
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    written += Int64(chunk.count)
                    guard written <= maxBytes else { throw FeedUpdateError(.validation, "\(what): \(entry.path) inflates past its declared size") }
                    try chunk.withUnsafeBytes { raw in try file.write(raw) }
                }
                try file.finish()
            } catch let error as FeedUpdateError {
                throw error
            } catch {
                throw FeedUpdateError(.validation, "\(what): \(entry.path): cannot extract (\(error))")
            }
            files.append(target)
        }
        return files
    }
}
