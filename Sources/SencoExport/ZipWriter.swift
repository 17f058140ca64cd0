import Foundation

/// Writes a ZIP archive as a stream: it returns the bytes to send and never looks back at them,
/// so an archive can go to a socket or a file as it is made, in the memory of one entry plus
/// one small record per entry for the central directory.
///
/// It does no I/O: the caller sends what `header(…)` returns followed by the entry's bytes, and
/// after the last entry what `finish()` returns.
///
/// Why not ZIPFoundation (0.9.20): its `Archive` writes through a seekable `FILE *`. Adding an
/// entry writes the local header, the data, then seeks back to write the header again with the
/// real CRC and sizes, and reads and rewrites the whole central directory each time, so it cannot
/// write to a socket or a pipe, and adding N entries costs N² in directory copies. The tests
/// read this writer's archives back with `unzip -t` and Python's `zipfile` as independent
/// readers.
///
/// Entries are stored, not deflated. Deflate would shrink the XML and HTML several times, but the
/// project has no zlib binding (libxml2 is its only C), rendering the portfolios is already what
/// the cores are busy with, and stored entries can be checked, hashed and read back by the
/// verifier without a decompressor (and with no decompression bomb to guard against).
///
/// No data descriptors (general purpose bit 3): every entry is whole in memory before its header
/// is written (a portfolio's XML must be, to be schema-checked), so its size and CRC go in the
/// local header itself. That keeps the archive readable by streaming readers too; Java's
/// `ZipInputStream`, for one, refuses a stored entry that has a data descriptor, because nothing
/// would tell it where the entry ends.
///
/// ZIP64 where the archive needs it: an entry of 4 GiB or more gets ZIP64 sizes in its local
/// and central headers; an entry starting at or past 4 GiB gets a ZIP64 offset in its central
/// header; and an archive of 65,535 entries or more, or whose central directory starts or ends
/// past 4 GiB, ends with a ZIP64 end record and locator before the classic one. The threshold is
/// injectable so tests can make small archives take every ZIP64 path.
public struct ZipWriter: Sendable {
    /// Sizes and offsets at or above this need ZIP64 fields (`0xFFFFFFFF` is the 32-bit fields'
    /// "see the ZIP64 field" marker, so it counts as too large).
    public static let zip64Limit: UInt64 = 0xFFFF_FFFF
    /// Entry counts at or above this need the ZIP64 end record (`0xFFFF` is the 16-bit marker).
    public static let entryCountLimit = 0xFFFF

    private struct Record: Sendable {
        var name: [UInt8]
        var crc32: UInt32
        var size: UInt64
        var offset: UInt64
        var zip64Sizes: Bool
    }

    private let zip64Threshold: UInt64
    private let entryCountThreshold: Int
    private let time: UInt16
    private let date: UInt16
    private var records: [Record] = []
    private var names: Set<[UInt8]> = []
    private var finished = false

    /// Bytes of the archive produced so far (headers returned plus the data the caller promised).
    public private(set) var offset: UInt64 = 0

    /// - Parameters:
    ///   - modified: the time recorded for every entry (ZIP keeps local time to two seconds; this
    ///     records UTC, as the manifest does).
    ///   - zip64Threshold: sizes and offsets at or above it get ZIP64 fields, and if it is below
    ///     the 32-bit limit the archive always ends with the ZIP64 end records. Tests lower it.
    public init(modified: Date = Date(), zip64Threshold: UInt64 = ZipWriter.zip64Limit) {
        self.zip64Threshold = min(zip64Threshold, Self.zip64Limit)
        self.entryCountThreshold = zip64Threshold < Self.zip64Limit ? 0 : Self.entryCountLimit
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: modified)
        let year = min(max((c.year ?? 1980) - 1980, 0), 127)
        self.date = UInt16(year << 9 | (c.month ?? 1) << 5 | (c.day ?? 1))
        self.time = UInt16((c.hour ?? 0) << 11 | (c.minute ?? 0) << 5 | (c.second ?? 0) / 2)
    }

    /// The local header of an entry holding `data`; send it, then `data`.
    public mutating func header(name: String, for data: Data) throws -> Data {
        try header(name: name, size: UInt64(data.count), crc32: CRC32(data).value)
    }

    /// The local header of an entry of `size` bytes whose CRC-32 is `crc32`. The caller must send
    /// exactly `size` bytes after it: the writer counts them into the offsets without seeing them.
    public mutating func header(name: String, size: UInt64, crc32: UInt32) throws -> Data {
        guard !finished else { throw ExportError("the archive is already finished") }
        let nameBytes = Array(name.utf8)
        guard !nameBytes.isEmpty, nameBytes.count <= Int(UInt16.max) else {
            throw ExportError("a ZIP entry name must be 1 to 65,535 bytes")
        }
        guard names.insert(nameBytes).inserted else { throw ExportError("the archive already has an entry \(name)") }
        let zip64Sizes = size >= zip64Threshold
        var out = Data()
        out.le32(0x0403_4B50)
        out.le16(zip64Sizes ? 45 : 20)  // version needed: 4.5 for ZIP64, else 2.0
        out.le16(Self.utf8Names)
        out.le16(0)  // stored
        out.le16(time)
        out.le16(date)
        out.le32(crc32)
        out.le32(zip64Sizes ? 0xFFFF_FFFF : UInt32(size))  // compressed size
        out.le32(zip64Sizes ? 0xFFFF_FFFF : UInt32(size))  // uncompressed size
        out.le16(UInt16(nameBytes.count))
        out.le16(zip64Sizes ? 20 : 0)
        out.append(contentsOf: nameBytes)
        if zip64Sizes {
            // The local ZIP64 field holds both sizes, uncompressed first.
            out.le16(0x0001)
            out.le16(16)
            out.le64(size)
            out.le64(size)
        }
        records.append(Record(name: nameBytes, crc32: crc32, size: size, offset: offset, zip64Sizes: zip64Sizes))
        offset += UInt64(out.count) + size
        return out
    }

    /// The central directory and the end records. Nothing may be added afterwards.
    public mutating func finish() throws -> Data {
        guard !finished else { throw ExportError("the archive is already finished") }
        finished = true
        let directoryStart = offset
        var out = Data()
        for record in records {
            let zip64Offset = record.offset >= zip64Threshold
            var extra = Data()
            if record.zip64Sizes || zip64Offset {
                // The central ZIP64 field holds only the values whose 32-bit field is 0xFFFFFFFF,
                // in this order: uncompressed size, compressed size, offset.
                var fields = Data()
                if record.zip64Sizes {
                    fields.le64(record.size)
                    fields.le64(record.size)
                }
                if zip64Offset { fields.le64(record.offset) }
                extra.le16(0x0001)
                extra.le16(UInt16(fields.count))
                extra.append(fields)
            }
            let version: UInt16 = extra.isEmpty ? 20 : 45
            out.le32(0x0201_4B50)
            out.le16(3 << 8 | version)  // made by: Unix (so the permissions below count)
            out.le16(version)
            out.le16(Self.utf8Names)
            out.le16(0)
            out.le16(time)
            out.le16(date)
            out.le32(record.crc32)
            out.le32(record.zip64Sizes ? 0xFFFF_FFFF : UInt32(record.size))
            out.le32(record.zip64Sizes ? 0xFFFF_FFFF : UInt32(record.size))
            out.le16(UInt16(record.name.count))
            out.le16(UInt16(extra.count))
            out.le16(0)  // comment
            out.le16(0)  // disk
            out.le16(0)  // internal attributes
            out.le32(0o100644 << 16)  // a regular file, rw-r--r--
            out.le32(zip64Offset ? 0xFFFF_FFFF : UInt32(record.offset))
            out.append(contentsOf: record.name)
            out.append(extra)
        }
        let directorySize = UInt64(out.count)
        let count = records.count
        let needsZIP64 =
            count >= entryCountThreshold || directoryStart >= zip64Threshold || directorySize >= zip64Threshold
            || directoryStart + directorySize >= zip64Threshold
        if needsZIP64 {
            let recordStart = directoryStart + directorySize
            out.le32(0x0606_4B50)  // ZIP64 end of central directory record
            out.le64(44)  // its size after this field
            out.le16(3 << 8 | 45)
            out.le16(45)
            out.le32(0)  // this disk
            out.le32(0)  // the disk where the directory starts
            out.le64(UInt64(count))
            out.le64(UInt64(count))
            out.le64(directorySize)
            out.le64(directoryStart)
            out.le32(0x0706_4B50)  // ZIP64 end of central directory locator
            out.le32(0)
            out.le64(recordStart)
            out.le32(1)  // disks in all
        }
        out.le32(0x0605_4B50)
        out.le16(0)
        out.le16(0)
        let shortCount = UInt16(min(count, Self.entryCountLimit))
        out.le16(needsZIP64 ? 0xFFFF : shortCount)
        out.le16(needsZIP64 ? 0xFFFF : shortCount)
        out.le32(needsZIP64 ? 0xFFFF_FFFF : UInt32(directorySize))
        out.le32(needsZIP64 ? 0xFFFF_FFFF : UInt32(directoryStart))
        out.le16(0)  // comment
        offset += UInt64(out.count)
        return out
    }

    /// General purpose bit 11: names are UTF-8.
    private static let utf8Names: UInt16 = 0x0800
}

extension Data {
    mutating func le16(_ value: UInt16) {
        append(UInt8(value & 0xFF))
        append(UInt8(value >> 8))
    }

    mutating func le32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { append(UInt8((value >> UInt32(shift)) & 0xFF)) }
    }

    mutating func le64(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { append(UInt8((value >> UInt64(shift)) & 0xFF)) }
    }
}
