#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

@_silgen_name("strptime")
func c_strptime(_ s: UnsafePointer<CChar>, _ f: UnsafePointer<CChar>, _ tm: UnsafeMutablePointer<tm>) -> UnsafeMutablePointer<CChar>?

extension Evaluator {
    func registerDates() {
        def("gmtime", 0) { _, v, _ in
            guard let d = v.doubleValue else { throw JQError.msg("gmtime() requires a number") }
            return try brokenDown(d, local: false)
        }
        def("localtime", 0) { _, v, _ in
            guard let d = v.doubleValue else { throw JQError.msg("localtime() requires a number") }
            return try brokenDown(d, local: true)
        }
        def("mktime", 0) { _, v, _ in
            guard case .array(let arr) = v else { throw JQError.msg("mktime requires array of 6 numbers") }
            if arr.contains(where: { $0.doubleValue == nil }) { throw JQError.msg("mktime requires parsed datetime inputs") }
            var t = try tmFrom(v, "mktime")
            let r = timegm(&t)
            return .number(Double(r))
        }
        def("strftime", 1) { _, v, a in
            guard case .string(let fmt) = a[0] else { throw JQError.msg("strftime/1 requires a string format") }
            var t: tm
            if let d = v.doubleValue {
                t = try tmFrom(try brokenDown(d, local: false), "strftime/1")
            } else if case .array = v {
                t = try tmFrom(v, "strftime/1")
            } else {
                throw JQError.msg("strftime/1 requires parsed datetime inputs")
            }
            return .string(formatTime(&t, fmt))
        }
        def("strflocaltime", 1) { _, v, a in
            guard case .string(let fmt) = a[0] else { throw JQError.msg("strflocaltime/1 requires a string format") }
            var t: tm
            if let d = v.doubleValue {
                t = try tmFrom(try brokenDown(d, local: true), "strflocaltime/1")
            } else if case .array = v {
                t = try tmFrom(v, "strflocaltime/1")
            } else {
                throw JQError.msg("strflocaltime/1 requires parsed datetime inputs")
            }
            return .string(formatTime(&t, fmt))
        }
        def("strptime", 1) { _, v, a in
            guard case .string(let s) = v else { throw JQError.msg("strptime/1 requires string inputs and arguments") }
            guard case .string(let fmt) = a[0] else { throw JQError.msg("strptime/1 requires string inputs and arguments") }
            var t = tm()
            let end: UnsafeMutablePointer<CChar>? = s.withCString { sp in
                fmt.withCString { fp in
                    guard let r = c_strptime(sp, fp, &t) else { return nil }
                    return UnsafeMutablePointer(mutating: r)
                }
            }
            // strptime returns a pointer into the temporary C string; re-run to find the consumed length
            var t2 = tm()
            let consumed: Int? = s.withCString { sp -> Int? in
                fmt.withCString { fp -> Int? in
                    guard let r = c_strptime(sp, fp, &t2) else { return nil }
                    return UnsafePointer(r) - sp
                }
            }
            _ = end
            guard let consumed, consumed == s.utf8.count else {
                throw JQError.msg("date \"\(s)\" does not match format \"\(fmt)\"")
            }
            // normalise wday/yday like jq (timegm fills them in)
            var copy = t2
            let secs = timegm(&copy)
            var g = tm()
            var tt = time_t(secs)
            gmtime_r(&tt, &g)
            t2.tm_wday = g.tm_wday
            t2.tm_yday = g.tm_yday
            return tmToValue(t2, fraction: 0)
        }
    }
}

func brokenDown(_ d: Double, local: Bool) throws -> Value {
    guard d.isFinite, abs(d) < 1e17 else { throw JQError.msg("\(local ? "localtime" : "gmtime")() requires a valid time") }
    var secs = time_t(d.rounded(.down))
    var t = tm()
    if local { localtime_r(&secs, &t) } else { gmtime_r(&secs, &t) }
    return tmToValue(t, fraction: d - d.rounded(.down))
}

func tmToValue(_ t: tm, fraction: Double) -> Value {
    .array([
        .number(Double(t.tm_year) + 1900), .number(Double(t.tm_mon)), .number(Double(t.tm_mday)),
        .number(Double(t.tm_hour)), .number(Double(t.tm_min)), .number(Double(t.tm_sec) + fraction),
        .number(Double(t.tm_wday)), .number(Double(t.tm_yday)),
    ])
}

func tmFrom(_ v: Value, _ fn: String) throws -> tm {
    guard case .array(let a) = v else { throw JQError.msg("\(fn) requires array of 6 numbers") }
    var nums: [Int32] = []
    for x in a {
        // jq 1.8 refuses fields outside C's int; converting them would trap
        guard let d = x.doubleValue, !d.isNaN, d >= Double(Int32.min), d <= Double(Int32.max) else {
            throw JQError.msg("\(fn) requires parsed datetime inputs")
        }
        nums.append(Int32(d.rounded(.towardZero)))
    }
    while nums.count < 6 { nums.append(0) }
    var t = tm()
    t.tm_year = nums[0] &- 1900
    t.tm_mon = nums[1]
    t.tm_mday = nums[2]
    t.tm_hour = nums[3]
    t.tm_min = nums[4]
    t.tm_sec = nums[5]
    if nums.count > 6 { t.tm_wday = nums[6] }
    if nums.count > 7 { t.tm_yday = nums[7] }
    return t
}

func formatTime(_ t: inout tm, _ fmt: String) -> String {
    if fmt.isEmpty { return "" }
    var buf = [CChar](repeating: 0, count: 512)
    let n = strftime(&buf, buf.count, fmt, &t)
    return String(decoding: buf[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
