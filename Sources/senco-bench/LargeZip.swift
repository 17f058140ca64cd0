import Foundation
import SencoExport

/// `senco-bench --large-zip FILE`: writes, through `ZipWriter`, an archive larger than 4 GiB
/// (a small entry, one of 4.25 GiB, another small one after it, so both ZIP64 sizes and ZIP64
/// offsets are used, and the ZIP64 end records), for checking by hand with `unzip -t` and
/// Python's `zipfile` (BENCHMARKS.md). Not part of `make bench`; delete the file afterwards.
enum LargeZip {
    static func write(to path: String, gibibytes: Double = 4.25) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw ExportError("cannot create \(path)")
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        let chunk = Data((0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 11) })
        let chunks = Int(gibibytes * 1024)
        var crc = CRC32()
        for _ in 0..<chunks { crc.update(chunk) }

        var zip = ZipWriter()
        let before = Data("before the large entry\n".utf8)
        try handle.write(contentsOf: try zip.header(name: "large/before.txt", for: before) + before)
        try handle.write(
            contentsOf: try zip.header(name: "large/big.bin", size: UInt64(chunks * chunk.count), crc32: crc.value))
        for _ in 0..<chunks { try handle.write(contentsOf: chunk) }
        let after = Data("after the large entry, past 4 GiB\n".utf8)
        try handle.write(contentsOf: try zip.header(name: "large/after.txt", for: after) + after)
        try handle.write(contentsOf: try zip.finish())
        print(
            "wrote \(path): \(zip.offset) bytes, big.bin \(chunks * chunk.count) bytes, CRC-32 \(String(crc.value, radix: 16))"
        )
    }
}
