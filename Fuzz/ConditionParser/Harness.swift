// libFuzzer harness: the Falco condition parser and its printer. Compiled together with the
// RuleEngine sources it needs by scripts/fuzz.sh.
//
// Checked: no crash, hang, leak or runaway memory on any text. Not checked: that the printed
// form parses back. Vigil prints what libsinsp's `as_string` prints (its vectors compare the
// text), and libsinsp's form is not always re-readable: `test.str = ''` prints as
// `test.str = `, `join("-", ())` as `join(-, ())`, `not(not(a))` as `not not a` (read as `a`).
// The fuzzer found those three in its first seconds; they are libsinsp's behaviour, kept.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConditionParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let parsed = try? ConditionParser.parse(text) else { return 0 }
    _ = parsed.description
    _ = try? ConditionParser.parse(parsed.description)
    return 0
}
