import Foundation

/// The CRC-32 a ZIP archive records for each entry (ISO 3309, the reflected 0xEDB88320
/// polynomial), eight bytes a step ("slicing by 8"): about five times the speed of a byte at a
/// time, which matters when a pack is gigabytes. The pack's own integrity check is the SHA-256
/// in its manifest; this one only serves the format.
public struct CRC32: Sendable {
    public private(set) var value: UInt32 = 0

    public init() {}

    public init(_ data: Data) {
        update(data)
    }

    public mutating func update(_ data: Data) {
        data.withUnsafeBytes { update($0) }
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard var p = bytes.baseAddress, !bytes.isEmpty else { return }
        var count = bytes.count
        var crc = ~value
        Self.tables.withUnsafeBufferPointer { t in
            while count >= 8 {
                let low =
                    crc
                    ^ (UInt32(p.load(fromByteOffset: 0, as: UInt8.self))
                        | UInt32(p.load(fromByteOffset: 1, as: UInt8.self)) << 8
                        | UInt32(p.load(fromByteOffset: 2, as: UInt8.self)) << 16
                        | UInt32(p.load(fromByteOffset: 3, as: UInt8.self)) << 24)
                let high =
                    UInt32(p.load(fromByteOffset: 4, as: UInt8.self))
                    | UInt32(p.load(fromByteOffset: 5, as: UInt8.self)) << 8
                    | UInt32(p.load(fromByteOffset: 6, as: UInt8.self)) << 16
                    | UInt32(p.load(fromByteOffset: 7, as: UInt8.self)) << 24
                crc =
                    t[7 * 256 + Int(low & 0xFF)] ^ t[6 * 256 + Int((low >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((low >> 16) & 0xFF)] ^ t[4 * 256 + Int(low >> 24)]
                    ^ t[3 * 256 + Int(high & 0xFF)] ^ t[2 * 256 + Int((high >> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((high >> 16) & 0xFF)] ^ t[Int(high >> 24)]
                p += 8
                count -= 8
            }
            while count > 0 {
                crc = t[Int((crc ^ UInt32(p.load(as: UInt8.self))) & 0xFF)] ^ (crc >> 8)
                p += 1
                count -= 1
            }
        }
        value = ~crc
    }

    /// Table k gives the CRC of a byte followed by k zero bytes.
    private static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for n in 0..<256 {
            var c = UInt32(n)
            for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            t[n] = c
        }
        for k in 1..<8 {
            for n in 0..<256 {
                let previous = t[(k - 1) * 256 + n]
                t[k * 256 + n] = t[Int(previous & 0xFF)] ^ (previous >> 8)
            }
        }
        return t
    }()
}
