import Analyzers
import JSONValue
import SystemIO
import VigilCore

/// A VEX document (`--vex FILE`): OpenVEX, CycloneDX VEX or CSAF VEX, told apart as Trivy tells
/// them (`bomFormat`, then `@context`, then `document` + `vulnerabilities`), read into
/// ``VEXStatement``s. Products are matched by package URL only; product ids that are not purls
/// (an image digest, a CPE) are kept out, so they suppress nothing.
public struct VEXDocument: Sendable {
    public var path: String
    public var statements: [VEXStatement]

    /// VEX documents are small; a bigger one is refused before it is read.
    public static let maxFileSize = 64 << 20

    /// Reads and parses the document at `path`.
    public init(path: String) throws {
        let bytes: [UInt8]
        do { bytes = try WholeFile.read(path, limit: Self.maxFileSize) } catch { throw ScanPipelineError(.vex, error.description) }
        try self.init(bytes: bytes, path: path)
    }

    /// Parses `bytes`; `path` names the document in errors (with the JSON path) and in `Source`.
    public init(bytes: [UInt8], path: String) throws {
        self.path = path
        let root: JSON
        do { root = try JSONParser.parse(bytes) } catch {
            throw ScanPipelineError(.vex, "\(path): line \(error.line): \(error.message)")
        }
        guard root.objectValue != nil else { throw ScanPipelineError(.vex, "\(path): $: expected a JSON object") }
        var reader = Reader(path: path)
        if root["bomFormat"]?.stringValue == "CycloneDX" {
            statements = try reader.cycloneDX(root)
        } else if root["@context"] != nil {
            statements = try reader.openVEX(root)
        } else if root["document"] != nil, root["vulnerabilities"] != nil {
            statements = try reader.csaf(root)
        } else {
            throw ScanPipelineError(.vex, "\(path): $: not an OpenVEX (@context), CycloneDX (bomFormat) or CSAF (document, vulnerabilities) document")
        }
    }

    struct Reader {
        var path: String

        func fail(_ at: String, _ message: String) -> ScanPipelineError { ScanPipelineError(.vex, "\(path): \(at): \(message)") }

        func array(_ value: JSON?, _ at: String) throws -> [JSON] {
            guard let value else { return [] }
            guard let a = value.arrayValue else { throw fail(at, "expected an array") }
            return a
        }

        func string(_ value: JSON?, _ at: String) throws -> String? {
            guard let value else { return nil }
            guard let s = value.stringValue else { throw fail(at, "expected a string") }
            return s
        }

        /// A purl; nil for an id that is not one (`sha256:…`, a CPE). A `pkg:` id that does not
        /// parse is an error: the author meant a package.
        func purl(_ text: String?, _ at: String) throws -> ParsedPackageURL? {
            guard let text, text.hasPrefix("pkg:") else { return nil }
            guard let p = ParsedPackageURL(text) else { throw fail(at, "'\(text.prefix(120))' is not a package URL") }
            return p
        }

        /// OpenVEX: `statements[].vulnerability.name` (+ `aliases`, or a plain string in v0.0.x),
        /// `products[]` (`@id` or `identifiers.purl`, each with `subcomponents`), `status`,
        /// `justification` (else `impact_statement`).
        func openVEX(_ root: JSON) throws -> [VEXStatement] {
            var result: [VEXStatement] = []
            for (i, s) in try array(root["statements"], "$.statements").enumerated() {
                let at = "$.statements[\(i)]"
                var ids: Set<String> = []
                if let v = s["vulnerability"] {
                    if let name = v.stringValue { ids.insert(name) } else {
                        if let name = try string(v["name"], at + ".vulnerability.name") { ids.insert(name) }
                        for (j, a) in try array(v["aliases"], at + ".vulnerability.aliases").enumerated() {
                            if let alias = try string(a, at + ".vulnerability.aliases[\(j)]") { ids.insert(alias) }
                        }
                    }
                }
                guard !ids.isEmpty else { throw fail(at + ".vulnerability", "no vulnerability name") }
                guard let statusText = try string(s["status"], at + ".status") else { throw fail(at + ".status", "missing") }
                var products: [ParsedPackageURL] = [], subs: [ParsedPackageURL] = []
                for (j, p) in try array(s["products"], at + ".products").enumerated() {
                    let pat = at + ".products[\(j)]"
                    if let purl = try purl(try identifier(p, pat), pat) { products.append(purl) }
                    for (k, sub) in try array(p["subcomponents"], pat + ".subcomponents").enumerated() {
                        let sat = pat + ".subcomponents[\(k)]"
                        if let purl = try purl(try identifier(sub, sat), sat) { subs.append(purl) }
                    }
                }
                var justification = try string(s["justification"], at + ".justification")
                if justification == nil { justification = try string(s["impact_statement"], at + ".impact_statement") }
                result.append(VEXStatement(vulnerabilityIDs: ids, products: products, subcomponents: subs,
                                           status: VEXStatement.Status(rawValue: statusText) ?? .unknown, justification: justification ?? "", source: path))
            }
            return result
        }

        /// An OpenVEX product or subcomponent: a plain string, `identifiers.purl`, or `@id`.
        func identifier(_ node: JSON, _ at: String) throws -> String? {
            if let s = node.stringValue { return s }
            if let purl = try string(node["identifiers"]?["purl"], at + ".identifiers.purl") { return purl }
            return try string(node["@id"], at + "[\"@id\"]")
        }

        /// CycloneDX VEX: `vulnerabilities[]` with `id` (+ `references[].id` as aliases),
        /// `analysis.state` (`not_affected`/`false_positive` → not affected, `resolved` → fixed),
        /// `analysis.justification`, `affects[].ref` (a purl, or a BOM-Link whose fragment is one,
        /// as Vigil's and Trivy's bom-refs are).
        func cycloneDX(_ root: JSON) throws -> [VEXStatement] {
            var result: [VEXStatement] = []
            for (i, v) in try array(root["vulnerabilities"], "$.vulnerabilities").enumerated() {
                let at = "$.vulnerabilities[\(i)]"
                guard let id = try string(v["id"], at + ".id") else { throw fail(at + ".id", "missing") }
                var ids: Set<String> = [id]
                for (j, r) in try array(v["references"], at + ".references").enumerated() {
                    if let alias = try string(r["id"], at + ".references[\(j)].id") { ids.insert(alias) }
                }
                let state = try string(v["analysis"]?["state"], at + ".analysis.state") ?? ""
                let status: VEXStatement.Status
                switch state {
                case "not_affected", "false_positive": status = .notAffected
                case "resolved", "resolved_with_pedigree": status = .fixed
                case "exploitable": status = .affected
                case "in_triage": status = .underInvestigation
                default: status = .unknown
                }
                var products: [ParsedPackageURL] = []
                for (j, a) in try array(v["affects"], at + ".affects").enumerated() {
                    guard var ref = try string(a["ref"], at + ".affects[\(j)].ref") else { continue }
                    if ref.hasPrefix("urn:cdx:"), let hash = ref.firstIndex(of: "#") {
                        ref = ParsedPackageURL.decode(ref[ref.index(after: hash)...]) ?? ref
                    }
                    if let purl = try purl(ref, at + ".affects[\(j)].ref") { products.append(purl) }
                }
                let justification = try string(v["analysis"]?["justification"], at + ".analysis.justification") ?? ""
                result.append(VEXStatement(vulnerabilityIDs: ids, products: products, subcomponents: [], status: status,
                                           justification: justification, source: path))
            }
            return result
        }

        /// CSAF VEX: `vulnerabilities[]` with `cve` (+ `ids[].text`), `product_status.known_not_affected`
        /// and `.fixed` product ids, resolved to purls through `product_tree` (branches,
        /// `full_product_names`, and `relationships`, whose `product_reference` is the package
        /// installed in the `relates_to_product_reference`); the justification is the `impact`
        /// threat's `details`.
        func csaf(_ root: JSON) throws -> [VEXStatement] {
            var purls: [String: [ParsedPackageURL]] = [:]
            var components: [String: [ParsedPackageURL]] = [:]  // relationship id → the installed package's purls
            func collect(_ node: JSON, _ at: String, depth: Int) throws {
                guard depth < 64 else { throw fail(at, "branches nested more than 64 deep") }
                if let product = node["product"], let id = try string(product["product_id"], at + ".product.product_id"),
                   let p = try purl(try string(product["product_identification_helper"]?["purl"], at + ".product.product_identification_helper.purl"), at + ".product") {
                    purls[id, default: []].append(p)
                }
                for (i, b) in try array(node["branches"], at + ".branches").enumerated() { try collect(b, at + ".branches[\(i)]", depth: depth + 1) }
            }
            let tree = root["product_tree"]
            if let tree {
                try collect(tree, "$.product_tree", depth: 0)
                for (i, f) in try array(tree["full_product_names"], "$.product_tree.full_product_names").enumerated() {
                    let at = "$.product_tree.full_product_names[\(i)]"
                    if let id = try string(f["product_id"], at + ".product_id"),
                       let p = try purl(try string(f["product_identification_helper"]?["purl"], at + ".product_identification_helper.purl"), at) {
                        purls[id, default: []].append(p)
                    }
                }
                for (i, r) in try array(tree["relationships"], "$.product_tree.relationships").enumerated() {
                    let at = "$.product_tree.relationships[\(i)]"
                    guard let id = try string(r["full_product_name"]?["product_id"], at + ".full_product_name.product_id"),
                          let sub = try string(r["product_reference"], at + ".product_reference") else { continue }
                    components[id, default: []] += purls[sub] ?? []
                }
            }
            var result: [VEXStatement] = []
            for (i, v) in try array(root["vulnerabilities"], "$.vulnerabilities").enumerated() {
                let at = "$.vulnerabilities[\(i)]"
                var ids: Set<String> = []
                if let cve = try string(v["cve"], at + ".cve") { ids.insert(cve) }
                for (j, x) in try array(v["ids"], at + ".ids").enumerated() {
                    if let text = try string(x["text"], at + ".ids[\(j)].text") { ids.insert(text) }
                }
                guard !ids.isEmpty else { continue }
                var justification = ""
                for (j, t) in try array(v["threats"], at + ".threats").enumerated() where t["category"]?.stringValue == "impact" {
                    justification = try string(t["details"], at + ".threats[\(j)].details") ?? ""
                    break
                }
                for (key, status) in [("known_not_affected", VEXStatement.Status.notAffected), ("fixed", .fixed)] {
                    var products: [ParsedPackageURL] = []
                    for (j, p) in try array(v["product_status"]?[key], at + ".product_status.\(key)").enumerated() {
                        guard let id = try string(p, at + ".product_status.\(key)[\(j)]") else { continue }
                        products += (purls[id] ?? []) + (components[id] ?? [])
                    }
                    if !products.isEmpty {
                        result.append(VEXStatement(vulnerabilityIDs: ids, products: products, subcomponents: [], status: status,
                                                   justification: justification, source: path))
                    }
                }
            }
            return result
        }
    }
}
