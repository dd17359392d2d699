import Crypto
import Foundation
import VigilCore

/// Seals registry credentials for the job table with AES-GCM, so a database dump never holds
/// them in clear. Replicas given the same secret (`--secret-file`, a Kubernetes Secret) open each
/// other's jobs, so a job survives the replica that accepted it; without a secret each replica
/// has a random key of its own, and a job with credentials can only finish where it arrived.
struct CredentialSealer: Sendable {
    private let key: SymmetricKey
    /// Whether the key is shared (derived from a configured secret).
    let shared: Bool

    /// A key derived from `secret` (HKDF-SHA256), or a random one when nil.
    init(secret: [UInt8]?) {
        if let secret {
            key = HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: secret), info: Array("vigil registry credentials v1".utf8),
                                         outputByteCount: 32)
            shared = true
        } else {
            key = SymmetricKey(size: .bits256)
            shared = false
        }
    }

    /// `plain` sealed, as base64 text.
    func seal(_ plain: String) throws -> String {
        let box = try AES.GCM.seal(Array(plain.utf8), using: key)
        guard let combined = box.combined else { throw ServerError(.secret, "sealing registry credentials failed") }
        return Base64.encode(Array(combined))
    }

    /// The text sealed by `seal`, or nil when another key sealed it (or it was altered).
    func open(_ sealed: String) -> String? {
        guard let bytes = Base64.decode(sealed.utf8, padding: .endsData, rejectsLoneCharacter: true),
              let box = try? AES.GCM.SealedBox(combined: bytes),
              let plain = try? AES.GCM.open(box, using: key) else { return nil }
        return String(decoding: plain, as: UTF8.self)
    }
}
