import Analyzers
import Scanner
import SystemIO
import VigilCore

extension ScanPipeline {
    /// `vigil sbom FILE`: the inventory a CycloneDX or SPDX JSON document describes, and the
    /// artifact type Trivy reports for it (`cyclonedx`, `spdx`).
    static func decodeSBOM(_ path: String) throws -> (Inventory, ScanResult.ArtifactType) {
        let bytes: [UInt8]
        do {
            bytes = try WholeFile.read(path, limit: SBOMDecoder.maxFileSize)
        } catch {
            throw ScanPipelineError(.input, error.description)
        }
        do {
            let (inventory, format) = try SBOMDecoder.decode(bytes, path: path)
            return (inventory, format == .cyclonedx ? .cyclonedx : .spdx)
        } catch let error as AnalyzerError {
            throw ScanPipelineError(.input, error.description)
        }
    }
}
