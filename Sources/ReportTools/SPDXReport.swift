import JSONValue

/// SPDX 2.3 JSON: the artifact as the described package, every package as a package with its purl,
/// and each vulnerability as a SECURITY `advisory` reference on the package it affects.
public struct SPDXReport {
    public var toolVersion: String

    public init(toolVersion: String = "dev") { self.toolVersion = toolVersion }

    static func spdxID(_ text: String) -> String {
        // SPDXRef ids allow letters, digits, `.` and `-`.
        "SPDXRef-Package-" + StableID.uuid(text).replacingDashes()
    }

    public func json(_ report: JSON) -> JSON {
        let artifact = report["ArtifactName"]?.stringValue ?? "unknown"
        let created = CycloneDXReport.timestamp(report["CreatedAt"]?.stringValue ?? "1970-01-01T00:00:00Z")
        let createdSeconds = created.count > 20 ? String(created.prefix(19)) + "Z" : created
        let rootID = "SPDXRef-Artifact"
        struct Pkg { var name: String; var version: String; var purl: String?; var advisories: [String]; var details: [(String, String)] = [] }
        var packages: [String: Pkg] = [:]
        var order: [String] = []
        func add(_ name: String, _ version: String, _ purl: String?, details: [(String, String)] = []) -> String {
            let key = purl ?? "\(name)@\(version)"
            if packages[key] == nil { packages[key] = Pkg(name: name, version: version, purl: purl, advisories: [], details: details); order.append(key) }
            return key
        }
        for r in report["Results"]?.arrayValue ?? [] {
            let type = r["Type"]?.stringValue ?? ""
            for p in r["Packages"]?.arrayValue ?? [] {
                _ = add(p["Name"]?.stringValue ?? "unknown", p["Version"]?.stringValue ?? "", p["Identifier"]?["PURL"]?.stringValue,
                        details: (type.isEmpty ? [] : [("PkgType", type)]) + CycloneDXReport.details(p, result: r))
            }
        }
        for item in ReportItem.all(report) {
            let key = add(item.packageName, item.installedVersion, item.purl)
            if let url = item.string("PrimaryURL"), url.hasPrefix("http"), !packages[key]!.advisories.contains(url) {
                packages[key]!.advisories.append(url)
            }
        }
        var spdxPackages: [JSON] = [.object([
            ("name", .string(artifact)), ("SPDXID", .string(rootID)), ("downloadLocation", .string("NOASSERTION")),
            ("filesAnalyzed", .bool(false)), ("primaryPackagePurpose", .string(report["ArtifactType"]?.stringValue == "container_image" ? "CONTAINER" : "SOURCE")),
        ])]
        var relationships: [JSON] = [.object([
            ("spdxElementId", .string("SPDXRef-DOCUMENT")), ("relationshipType", .string("DESCRIBES")), ("relatedSpdxElement", .string(rootID)),
        ])]
        // The OS as Trivy writes it (`vigil sbom` reads it back).
        if let os = report["Metadata"]?["OS"], let family = os["Family"]?.stringValue, let name = os["Name"]?.stringValue {
            let id = Self.spdxID("os:\(family)@\(name)")
            spdxPackages.append(.object([
                ("name", .string(family)), ("SPDXID", .string(id)), ("versionInfo", .string(name)), ("downloadLocation", .string("NONE")),
                ("filesAnalyzed", .bool(false)), ("primaryPackagePurpose", .string("OPERATING-SYSTEM")),
            ]))
            relationships.append(.object([("spdxElementId", .string(rootID)), ("relationshipType", .string("CONTAINS")), ("relatedSpdxElement", .string(id))]))
        }
        for key in order {
            let p = packages[key]!
            let id = Self.spdxID(key)
            var o: [(String, JSON)] = [("name", .string(p.name)), ("SPDXID", .string(id))]
            if !p.version.isEmpty { o.append(("versionInfo", .string(p.version))) }
            o.append(("downloadLocation", .string("NONE")))
            o.append(("filesAnalyzed", .bool(false)))
            o.append(("licenseConcluded", .string("NOASSERTION")))
            o.append(("licenseDeclared", .string("NOASSERTION")))
            var refs: [JSON] = []
            if let purl = p.purl {
                refs.append(.object([("referenceCategory", .string("PACKAGE-MANAGER")), ("referenceType", .string("purl")), ("referenceLocator", .string(purl))]))
            }
            for a in p.advisories {
                refs.append(.object([("referenceCategory", .string("SECURITY")), ("referenceType", .string("advisory")), ("referenceLocator", .string(a))]))
            }
            if !refs.isEmpty { o.append(("externalRefs", .array(refs))) }
            if !p.details.isEmpty {
                // `Key: value` annotations, as Trivy writes its package properties.
                o.append(("annotations", .array(p.details.map { key, value in
                    .object([("annotator", .string("Tool: vigil-\(toolVersion)")), ("annotationDate", .string(createdSeconds)),
                             ("annotationType", .string("OTHER")), ("comment", .string("\(key): \(value)"))])
                })))
            }
            spdxPackages.append(.object(o))
            relationships.append(.object([("spdxElementId", .string(rootID)), ("relationshipType", .string("CONTAINS")), ("relatedSpdxElement", .string(id))]))
        }
        let uuid = StableID.uuid(JSONPrinter(indent: 0).render(report))
        return .object([
            ("spdxVersion", .string("SPDX-2.3")),
            ("dataLicense", .string("CC0-1.0")),
            ("SPDXID", .string("SPDXRef-DOCUMENT")),
            ("name", .string(artifact)),
            ("documentNamespace", .string("https://spdx.org/spdxdocs/vigil-\(ReportSplitter.sanitise(artifact))-\(uuid)")),
            ("creationInfo", .object([("creators", .array([.string("Tool: vigil-\(toolVersion)")])), ("created", .string(createdSeconds))])),
            ("packages", .array(spdxPackages)),
            ("relationships", .array(relationships)),
        ])
    }
}

extension String {
    func replacingDashes() -> String { String(map { $0 == "-" ? "." : $0 }) }
}
