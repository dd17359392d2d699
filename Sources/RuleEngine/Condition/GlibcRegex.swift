#if canImport(Glibc)
import Glibc
#endif

/// glibc's POSIX regex functions, called through pointers looked up in libc itself.
///
/// `vigil` also links Oniguruma (jq's regex engine, for `vigil query`), whose shared library
/// exports functions named `regcomp`, `regexec`, `regfree` and `regerror` with its own `regex_t`
/// layout. Loaded before libc, those would win symbol resolution and Falco rules' `regex`
/// operator would silently run Oniguruma's emulation on glibc-sized structures. Looking the
/// functions up in libc's handle keeps the rule engine on glibc's POSIX ERE whatever else is linked.
enum GlibcRegex {
    typealias Compile = @convention(c) (UnsafeMutablePointer<regex_t>?, UnsafePointer<CChar>?, Int32) -> Int32
    typealias Execute = @convention(c) (UnsafePointer<regex_t>?, UnsafePointer<CChar>?, Int, UnsafeMutablePointer<regmatch_t>?, Int32) -> Int32
    typealias Free = @convention(c) (UnsafeMutablePointer<regex_t>?) -> Void

    private static func symbol<T>(_ name: String, as: T.Type) -> T {
        // libc is loaded already (NOLOAD only finds it); its handle searches libc alone
        guard let libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD), let p = dlsym(libc, name) else {
            fatalError("glibc's \(name) not found: the rule engine needs glibc")
        }
        return unsafeBitCast(p, to: T.self)
    }

    // Immutable after their one-time initialisation; C function pointers.
    nonisolated(unsafe) static let compile: Compile = symbol("regcomp", as: Compile.self)
    nonisolated(unsafe) static let execute: Execute = symbol("regexec", as: Execute.self)
    nonisolated(unsafe) static let free: Free = symbol("regfree", as: Free.self)
}
