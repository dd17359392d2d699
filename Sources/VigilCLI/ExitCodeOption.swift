import ArgumentParser

/// The `--exit-code` value shared by the scan and config commands.
enum ExitCodeOption {
    /// Refuses codes a process cannot return: the kernel keeps the low 8 bits, so 256 would
    /// exit 0 (success) while findings were reported.
    static func check(_ code: Int32) throws {
        guard (0...255).contains(code) else {
            throw ValidationError("--exit-code must be from 0 to 255 (an exit status has 8 bits), not \(code)")
        }
    }
}
