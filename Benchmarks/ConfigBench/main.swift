import ConfigScan
import Foundation
import JSONValue

let args = CommandLine.arguments
do {
    let r = try ConfigScanner.scan(path: args[1])
    print(r.table())
    print(JSONPrinter().render(r.trivyResult()))
    print(JSONPrinter().render(r.predictionsJSON()))
} catch {
    print(error)
}
