import Foundation

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), which the Glibc module does not
/// export: looked up at run time. Children then get only the descriptors the file actions give.
enum SpawnCloseFrom {
    private typealias Function = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let function: Function? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: Function.self)
    }()

    /// Adds "close every descriptor from `from` up"; false when this libc cannot.
    static func add(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, from: Int32) -> Bool {
        guard let function else { return false }
        return function(actions, from) == 0
    }
}
