// libFuzzer harness: the JSON parser and printer shared by every engine. Compiled together
// with the JSONValue sources by scripts/fuzz.sh.
//
// Property: whatever parses prints to JSON that parses back to the same value, compact and
// indented (parse(print(x)) == x), with and without HTML escaping.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let value = try? JSONParser.parse(bytes) else { return 0 }
    for printer in [JSONPrinter(indent: 0), JSONPrinter(indent: 2, escapeHTML: false)] {
        let text = printer.render(value)
        guard let again = try? JSONParser.parse(text) else { fatalError("printed JSON does not parse: \(text.prefix(200))") }
        if again != value { fatalError("round trip changed the value: \(text.prefix(200))") }
    }
    return 0
}
