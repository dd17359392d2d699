#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension Evaluator {
    func registerMath() {
        let unary: [(String, (Double) -> Double)] = [
            ("floor", { $0.rounded(.down) }), ("ceil", { $0.rounded(.up) }), ("round", { Glibc.round($0) }),
            ("trunc", { $0.rounded(.towardZero) }), ("fabs", { Swift.abs($0) }), ("sqrt", { $0.squareRoot() }),
            ("exp", { Glibc.exp($0) }), ("exp2", { Glibc.exp2($0) }), ("exp10", { Glibc.pow(10, $0) }),
            ("log", { Glibc.log($0) }), ("log2", { Glibc.log2($0) }), ("log10", { Glibc.log10($0) }),
            ("log1p", { Glibc.log1p($0) }), ("expm1", { Glibc.expm1($0) }),
            ("sin", { Glibc.sin($0) }), ("cos", { Glibc.cos($0) }), ("tan", { Glibc.tan($0) }),
            ("asin", { Glibc.asin($0) }), ("acos", { Glibc.acos($0) }), ("atan", { Glibc.atan($0) }),
            ("sinh", { Glibc.sinh($0) }), ("cosh", { Glibc.cosh($0) }), ("tanh", { Glibc.tanh($0) }),
            ("asinh", { Glibc.asinh($0) }), ("acosh", { Glibc.acosh($0) }), ("atanh", { Glibc.atanh($0) }),
            ("cbrt", { Glibc.cbrt($0) }), ("significand", { Glibc.significand($0) }), ("logb", { Glibc.logb($0) }),
            ("gamma", { Glibc.lgamma($0) }), ("lgamma", { Glibc.lgamma($0) }), ("tgamma", { Glibc.tgamma($0) }),
            ("nearbyint", { Glibc.nearbyint($0) }), ("rint", { Glibc.rint($0) }),
            ("j0", { Glibc.j0($0) }), ("j1", { Glibc.j1($0) }), ("y0", { Glibc.y0($0) }), ("y1", { Glibc.y1($0) }),
        ]
        for (name, f) in unary {
            def(name, 0) { _, v, _ in
                guard let d = v.doubleValue else { throw JQError.msg("\(typeDump(v)) number required") }
                return .number(f(d))
            }
        }
        let binary: [(String, (Double, Double) -> Double)] = [
            ("pow", { Glibc.pow($0, $1) }), ("atan2", { Glibc.atan2($0, $1) }), ("fmod", { Glibc.fmod($0, $1) }),
            ("ldexp", { Glibc.ldexp($0, Int32(clamping: Int(exactly: $1.rounded(.towardZero)) ?? 0)) }),
            ("scalb", { Glibc.scalbn($0, Int32(clamping: Int(exactly: $1.rounded(.towardZero)) ?? 0)) }),
            ("scalbln", { Glibc.scalbln($0, Int(exactly: $1.rounded(.towardZero)) ?? 0) }),
            ("nextafter", { Glibc.nextafter($0, $1) }), ("nexttoward", { Glibc.nextafter($0, $1) }),
            ("copysign", { Glibc.copysign($0, $1) }), ("drem", { Glibc.remainder($0, $1) }),
            ("fdim", { Glibc.fdim($0, $1) }), ("fmax", { Glibc.fmax($0, $1) }), ("fmin", { Glibc.fmin($0, $1) }),
            ("hypot", { Glibc.hypot($0, $1) }),
        ]
        for (name, f) in binary {
            def(name, 2) { _, _, a in
                guard let x = a[0].doubleValue, let y = a[1].doubleValue else { throw JQError.msg("\(name)/2: number required") }
                return .number(f(x, y))
            }
        }
        def("fma", 3) { _, _, a in
            guard let x = a[0].doubleValue, let y = a[1].doubleValue, let z = a[2].doubleValue else { throw JQError.msg("fma/3: number required") }
            return .number(Glibc.fma(x, y, z))
        }
        def("frexp", 0) { _, v, _ in
            guard let d = v.doubleValue else { throw JQError.msg("\(typeDump(v)) number required") }
            var e: Int32 = 0
            let m = Glibc.frexp(d, &e)
            return .array([.number(m), .number(Double(e))])
        }
        def("modf", 0) { _, v, _ in
            guard let d = v.doubleValue else { throw JQError.msg("\(typeDump(v)) number required") }
            var ip = 0.0
            let f = Glibc.modf(d, &ip)
            return .array([.number(f), .number(ip)])
        }
        def("lgamma_r", 0) { _, v, _ in
            guard let d = v.doubleValue else { throw JQError.msg("\(typeDump(v)) number required") }
            var s: Int32 = 0
            let r = Glibc.lgamma_r(d, &s)
            return .array([.number(r), .number(Double(s))])
        }
    }
}
