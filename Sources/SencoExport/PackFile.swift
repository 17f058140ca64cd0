import Crypto
import Foundation

/// One file of a moderation pack, path relative to the pack, with the digests the manifest and
/// the ZIP format need, computed once where the file is made (on a rendering thread, not on the
/// one writing the archive).
public struct PackFile: Sendable {
    public let path: String
    public let data: Data
    /// Lower-case hex, as the manifest records it.
    public let sha256: String
    public let crc32: UInt32

    public init(path: String, data: Data) {
        self.path = path
        self.data = data
        self.sha256 = ModerationPack.sha256(data)
        self.crc32 = CRC32(data).value
    }
}
