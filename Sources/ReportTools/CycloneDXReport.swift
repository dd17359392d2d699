import JSONValue

/// CycloneDX 1.6 JSON: the scanned artifact as `metadata.component`, every vulnerable (or listed)
/// package as a component with its purl, and the vulnerabilities with ratings, CWEs and `affects`.
public struct CycloneDXReport {
    public var toolVersion: String

    public init(toolVersion: String = "dev") { self.toolVersion = toolVersion }

    /// CycloneDX's rating severities.
    static func severity(_ s: String) -> String {
        switch s.uppercased() {
        case "CRITICAL": "critical"
        case "HIGH": "high"
        case "MEDIUM": "medium"
        case "LOW": "low"
        default: "unknown"
        }
    }

    static func method(_ vector: String) -> String {
        if vector.hasPrefix("CVSS:3.1/") { return "CVSSv31" }
        if vector.hasPrefix("CVSS:3.0/") { return "CVSSv3" }
        if vector.hasPrefix("CVSS:4.0/") { return "CVSSv4" }
        return "CVSSv2"
    }

    /// RFC 3339 with a zone, as the schema's date-time format wants (`2023-10-12T19:15:11.747` gains `Z`).
    static func timestamp(_ s: String) -> String {
        let tail = s.suffix(6)
        if s.hasSuffix("Z") || tail.contains("+") || (tail.first == "-" && tail.contains(":")) { return s }
        return s.contains("T") ? s + "Z" : s + "T00:00:00Z"
    }

    public func json(_ report: JSON) -> JSON {
        let artifact = report["ArtifactName"]?.stringValue ?? "unknown"
        let artifactType = report["ArtifactType"]?.stringValue ?? ""
        var components: [JSON] = []
        var refs: [String: String] = [:]  // identity → bom-ref

        func ref(name: String, version: String, purl: String?, type: String, details: [(String, String)] = []) -> String {
            let identity = purl ?? "\(type):\(name)@\(version)"
            if let r = refs[identity] { return r }
            let r = purl ?? "vigil:\(type)/\(name)@\(version)"
            refs[identity] = r
            var c: [(String, JSON)] = [("bom-ref", .string(r)), ("type", .string("library")), ("name", .string(name))]
            if !version.isEmpty { c.append(("version", .string(version))) }
            if let purl { c.append(("purl", .string(purl))) }
            let properties = (type.isEmpty ? [] : [("PkgType", type)]) + details
            if !properties.isEmpty {
                c.append(("properties", .array(properties.map { .object([("name", .string("vigil:" + $0.0)), ("value", .string($0.1))]) })))
            }
            components.append(.object(c))
            return r
        }

        for r in report["Results"]?.arrayValue ?? [] {
            let type = r["Type"]?.stringValue ?? ""
            for p in r["Packages"]?.arrayValue ?? [] {
                _ = ref(name: p["Name"]?.stringValue ?? "unknown", version: p["Version"]?.stringValue ?? "",
                        purl: p["Identifier"]?["PURL"]?.stringValue, type: type, details: Self.details(p, result: r))
            }
        }

        // One CycloneDX vulnerability per id, affecting every package it was found in.
        var order: [String] = []
        var affects: [String: [JSON]] = [:]
        var first: [String: ReportItem] = [:]
        for item in ReportItem.all(report) {
            let r = ref(name: item.packageName, version: item.installedVersion, purl: item.purl, type: item.type)
            if first[item.id] == nil { first[item.id] = item; order.append(item.id) }
            let entry: JSON = .object([
                ("ref", .string(r)),
                ("versions", .array([.object([("version", .string(item.installedVersion.isEmpty ? "unknown" : item.installedVersion)),
                                              ("status", .string("affected"))])])),
            ])
            if !(affects[item.id]?.contains(entry) ?? false) { affects[item.id, default: []].append(entry) }
        }

        // The OS as Trivy writes it, so `vigil sbom` (and other tools) know what the OS packages belong to.
        if let os = report["Metadata"]?["OS"], let family = os["Family"]?.stringValue, let name = os["Name"]?.stringValue {
            components.append(.object([("bom-ref", .string("vigil:os/\(family)@\(name)")), ("type", .string("operating-system")),
                                       ("name", .string(family)), ("version", .string(name))]))
        }

        var vulnerabilities: [JSON] = []
        for id in order {
            let item = first[id]!
            let v = item.vulnerability
            var o: [(String, JSON)] = [("bom-ref", .string("vuln:\(id)")), ("id", .string(id))]
            if let ds = v["DataSource"] {
                var s: [(String, JSON)] = [("name", .string(ds["Name"]?.stringValue ?? ds["ID"]?.stringValue ?? "unknown"))]
                if let u = ds["URL"]?.stringValue { s.append(("url", .string(u))) }
                o.append(("source", .object(s)))
            }
            var ratings: [JSON] = []
            for (source, c) in v["CVSS"]?.objectValue ?? [] {
                for (vectorKey, scoreKey) in [("V3Vector", "V3Score"), ("V2Vector", "V2Score")] {
                    guard let vector = c[vectorKey]?.stringValue else { continue }
                    var rating: [(String, JSON)] = [("source", .object([("name", .string(source))]))]
                    if let score = c[scoreKey]?.doubleValue { rating.append(("score", .double(score))) }
                    if source == (v["SeveritySource"]?.stringValue ?? "nvd"), vectorKey == "V3Vector" {
                        rating.append(("severity", .string(Self.severity(item.severity))))
                    }
                    rating.append(("method", .string(Self.method(vector))))
                    rating.append(("vector", .string(vector)))
                    ratings.append(.object(rating))
                }
            }
            for (source, n) in v["VendorSeverity"]?.objectValue ?? [] {
                let word = ["UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL"][min(max(Int(n.int64Value ?? 0), 0), 4)]
                ratings.append(.object([("source", .object([("name", .string(source))])), ("severity", .string(Self.severity(word)))]))
            }
            if ratings.isEmpty { ratings.append(.object([("severity", .string(Self.severity(item.severity)))])) }
            o.append(("ratings", .array(ratings)))
            let cwes = (v["CweIDs"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap(cweNumber) }
            if !cwes.isEmpty { o.append(("cwes", .array(cwes.map { .int($0) }))) }
            if let d = v["Description"]?.stringValue { o.append(("description", .string(d))) }
            if let f = item.string("FixedVersion"), !f.isEmpty {
                o.append(("recommendation", .string("Upgrade \(item.packageName) to version \(f)")))
            }
            let urls = ([item.string("PrimaryURL")].compactMap { $0 } + (v["References"]?.arrayValue?.compactMap(\.stringValue) ?? []))
                .filter { $0.hasPrefix("http") }
            var seen: Set<String> = []
            let advisories = urls.filter { seen.insert($0).inserted }.map { JSON.object([("url", .string($0))]) }
            if !advisories.isEmpty { o.append(("advisories", .array(advisories))) }
            if let p = v["PublishedDate"]?.stringValue { o.append(("published", .string(Self.timestamp(p)))) }
            if let m = v["LastModifiedDate"]?.stringValue { o.append(("updated", .string(Self.timestamp(m)))) }
            o.append(("affects", .array(affects[id] ?? [])))
            let cats = item.categories
            if !cats.isEmpty {
                o.append(("properties", .array(cats.map { .object([("name", .string("vigil:category")), ("value", .string($0))]) })))
            }
            vulnerabilities.append(.object(o))
        }

        var metadata: [(String, JSON)] = []
        if let t = report["CreatedAt"]?.stringValue { metadata.append(("timestamp", .string(Self.timestamp(t)))) }
        metadata.append(("tools", .object([("components", .array([.object([
            ("type", .string("application")), ("group", .string("vigil")), ("name", .string("vigil")), ("version", .string(toolVersion)),
        ])]))])))
        var root: [(String, JSON)] = [
            ("bom-ref", .string("artifact:\(artifact)")),
            ("type", .string(artifactType == "container_image" ? "container" : "application")),
            ("name", .string(artifact)),
        ]
        var props: [JSON] = []
        if let id = report["Metadata"]?["ImageID"]?.stringValue { props.append(.object([("name", .string("vigil:ImageID")), ("value", .string(id))])) }
        if let os = report["Metadata"]?["OS"] {
            props.append(.object([("name", .string("vigil:OS")),
                                  ("value", .string("\(os["Family"]?.stringValue ?? "") \(os["Name"]?.stringValue ?? "")"))]))
        }
        if !props.isEmpty { root.append(("properties", .array(props))) }
        metadata.append(("component", .object(root)))

        return .object([
            ("$schema", .string("http://cyclonedx.org/schema/bom-1.6.schema.json")),
            ("bomFormat", .string("CycloneDX")),
            ("specVersion", .string("1.6")),
            ("serialNumber", .string("urn:uuid:" + StableID.uuid(JSONPrinter(indent: 0).render(report)))),
            ("version", .int(1)),
            ("metadata", .object(metadata)),
            ("components", .array(components)),
            ("dependencies", .array([.object([("ref", .string("artifact:\(artifact)")),
                                              ("dependsOn", .array(components.compactMap { $0["bom-ref"] }))])])),
            ("vulnerabilities", .array(vulnerabilities)),
        ])
    }

    /// What a scan of this SBOM needs besides the purl (`vigil sbom`): the lockfile or evidence
    /// file (`FilePath`: the package's own, else the language result's target) and the source
    /// package of an OS package, as Trivy's `aquasecurity:trivy:` properties carry them.
    static func details(_ p: JSON, result r: JSON) -> [(String, String)] {
        var d: [(String, String)] = []
        let lockfile = r["Class"]?.stringValue == "lang-pkgs" && r["Type"]?.stringValue != "python-pkg" ? r["Target"]?.stringValue : nil
        if let path = p["FilePath"]?.stringValue ?? lockfile { d.append(("FilePath", path)) }
        for key in ["SrcName", "SrcVersion", "SrcRelease"] {
            if let v = p[key]?.stringValue { d.append((key, v)) }
        }
        if let epoch = p["SrcEpoch"]?.int64Value { d.append(("SrcEpoch", String(epoch))) }
        return d
    }

    func cweNumber(_ s: String) -> Int? {
        var t = Substring(s)
        if t.hasPrefix("CWE-") { t = t.dropFirst(4) }
        return Int(t)
    }
}
