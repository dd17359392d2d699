import JQ
import SystemIO

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Glibc)
/// `<malloc.h>` is not part of the Glibc module map.
@_silgen_name("mallopt") func glibcMallopt(_ param: Int32, _ value: Int32) -> Int32
#endif

/// The `jq`-compatible command line: `vigil query [options] FILTER [FILE...]`.
public enum JQCommandLine {
    /// Runs jq with `arguments` (without the program name); reads stdin and files, writes to
    /// stdout/stderr, and returns jq's exit code (0, 1 with -e, 2 usage/input error, 3 compile
    /// error, 4 no output with -e, 5 runtime error).
    public static func run(arguments: [String]) -> Int32 {
        // Evaluation recurses; run it on a thread with a large stack so deep inputs hit our own
        // depth limits rather than the guard page.
        #if canImport(Glibc)
        // glibc would give that thread its own arena, grown by mprotect in 128 KiB steps; one
        // arena grown in 64 MiB steps cuts system time by a third on large inputs (perf).
        _ = glibcMallopt(-8 /* M_ARENA_MAX */, 1)
        _ = glibcMallopt(-2 /* M_TOP_PAD */, 64 << 20)
        #endif
        return LargeStackThread.run { JQRunner(arguments: arguments).main() }
    }
}
