import JSONValue
import VigilCore

/// Splits a request body into alerts: one JSON object, a JSON array of objects, or NDJSON (one
/// object per line). Any bad item rejects the whole request, so nothing is half stored.
enum AlertPayload {
    static let maxAlertsPerRequest = 100_000

    static func parse(_ bytes: [UInt8], deliveryID: String?) throws(ServerError) -> [AlertRecord] {
        var start = 0
        while start < bytes.count, bytes[start] == 0x20 || bytes[start] == 0x0A || bytes[start] == 0x0D || bytes[start] == 0x09 { start += 1 }
        guard start < bytes.count else { throw ServerError(.badRequest, "empty body", location: "request") }
        var records: [AlertRecord] = []
        // The whole body as one value first (an object, possibly pretty-printed, or an array);
        // when that fails and there are several lines, NDJSON.
        var whole: JSON?
        var wholeError: JSONParseError?
        do { whole = try JSONParser.parse(bytes) } catch { wholeError = error }
        var end = bytes.count
        while end > start, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x20 || bytes[end - 1] == 0x0D || bytes[end - 1] == 0x09 { end -= 1 }
        let multiline = bytes[start..<end].contains(0x0A)
        if let whole, case .array(let items) = whole {
            guard items.count <= maxAlertsPerRequest else {
                throw ServerError(.badRequest, "more than \(maxAlertsPerRequest) alerts in one request", location: "request")
            }
            records.reserveCapacity(items.count)
            for (i, item) in items.enumerated() { records.append(try AlertRecord(json: item, item: "alert \(i + 1)")) }
        } else if let whole {
            records.append(try AlertRecord(json: whole, item: "alert"))
        } else if !multiline || bytes[start] == UInt8(ascii: "[") {
            throw ServerError(.badRequest, "invalid JSON: \(wholeError?.description ?? "")", location: "request")
        } else {
            // NDJSON: a value per non-empty line.
            var lineNumber = 0
            var lineStart = 0
            let count = bytes.count
            while lineStart < count {
                var end = lineStart
                while end < count, bytes[end] != 0x0A { end += 1 }
                lineNumber += 1
                let line = Array(bytes[lineStart..<end])
                lineStart = end + 1
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
                let json: JSON
                do { json = try JSONParser.parse(line) } catch {
                    throw ServerError(.badRequest, "invalid JSON: \(error.description)", location: "line \(lineNumber)")
                }
                guard records.count < maxAlertsPerRequest else {
                    throw ServerError(.badRequest, "more than \(maxAlertsPerRequest) alerts in one request", location: "request")
                }
                records.append(try AlertRecord(json: json, item: "line \(lineNumber)"))
            }
        }
        if let deliveryID {
            // A batch under one id: each alert keyed by its place in the batch as well.
            if records.count == 1 { records[0].setDeliveryID(deliveryID) }
            else { for i in records.indices { records[i].setDeliveryID("\(deliveryID)#\(i)") } }
        }
        return records
    }
}
