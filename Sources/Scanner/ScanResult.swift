import Analyzers
import ContainerImage

/// Everything one scan produced, ready for a report.
public struct ScanResult: Sendable {
    public enum ArtifactType: String, Sendable {
        case containerImage = "container_image"
        case filesystem
        /// `vigil sbom` on a CycloneDX document.
        case cyclonedx
        /// `vigil sbom` on an SPDX document.
        case spdx
    }

    public var artifactName: String
    public var artifactType: ArtifactType
    /// The image, for metadata (nil for root filesystems).
    public var image: ImageSummary?
    public var inventory: Inventory
    public var findings: [Finding]
    /// Dockerfile checks of the image's history (`--scanners misconfig`), reported as `config` Results.
    public var configFindings: [ConfigScanFindings] = []
    /// Findings VEX statements or the ignore file suppressed, reported only when asked (`--show-suppressed`).
    public var suppressed: [SuppressedFinding] = []

    public init(artifactName: String, artifactType: ArtifactType, image: ImageSummary?, inventory: Inventory, findings: [Finding]) {
        self.artifactName = artifactName
        self.artifactType = artifactType
        self.image = image
        self.inventory = inventory
        self.findings = findings
    }

    /// Trivy's target line: `alpine.tar (alpine 3.10.4)`.
    public var target: String {
        guard let os = inventory.os else { return artifactName }
        return "\(artifactName) (\(os.family) \(os.name))"
    }
}

/// Image facts a report shows, without the file contents.
public struct ImageSummary: Sendable {
    public var id: String
    public var config: JSONValueBox
    public var repoTags: [String]
    public var repoDigests: [String]
    public var layers: [ImageLayer]
    public var size: Int

    public init(id: String, config: JSONValueBox, repoTags: [String], repoDigests: [String], layers: [ImageLayer], size: Int) {
        self.id = id
        self.config = config
        self.repoTags = repoTags
        self.repoDigests = repoDigests
        self.layers = layers
        self.size = size
    }

    public init(_ image: Image) {
        id = image.id
        config = JSONValueBox(image.config)
        repoTags = image.repoTags
        repoDigests = image.repoDigests
        layers = image.layers
        size = image.size
    }
}
