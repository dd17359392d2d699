import Glibc

/// Reads a whole file with a size limit, checked before anything is read for regular files and
/// while reading for devices, so hostile input (`/dev/zero`, a FIFO, a 10 GB file) fails with
/// one line naming the file instead of blocking or taking all memory.
public enum WholeFile {
    /// The bytes of `path`, at most `limit` of them. `accept` decides which file types may be
    /// read (by default all but directories, FIFOs and sockets).
    public static func read(_ path: String, limit: Int, accept: (FileKind) -> Bool = { $0.isReadableWhole })
        throws(SystemIOError) -> [UInt8] {
        let (descriptor, st) = try FileDescriptor.openForReading(path, accept: accept)
        let regular = (st.st_mode & S_IFMT) == S_IFREG
        if regular, Int(st.st_size) > limit {
            throw SystemIOError(.tooLarge, path: path, size: Int(st.st_size), limit: limit)
        }
        return try DescriptorIO.readAll(descriptor.rawValue, path: path, limit: limit, size: regular ? Int(st.st_size) : nil)
    }
}
