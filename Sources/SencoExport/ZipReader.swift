import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a ZIP archive's central directory and streams its stored entries, for `senco verify`.
///
/// The archive comes from someone else, so it is read, never extracted: names are only strings
/// to compare with the manifest; nothing is created on disk. Every offset and size is checked
/// against the file before it is used, entries may not overlap (so a small archive cannot make
/// the verifier hash the same gigabyte thousands of times), and the directory's size and entry
/// count are capped. It reads ZIP64 (sizes, offsets and end records) but only stored entries,
/// which is all `ZipWriter` makes; a compressed entry is reported, not inflated.
public struct ZipReader: ~Copyable {
    public struct Entry: Sendable, Equatable {
        public var name: String
        /// The compression method (0 is stored) and general purpose flags, as recorded.
        public var method: UInt16
        public var flags: UInt16
        public var crc32: UInt32
        public var compressedSize: UInt64
        public var size: UInt64
        public var localHeaderOffset: UInt64
        /// Where the entry's bytes start, from its local header.
        var dataOffset: UInt64 = 0

        public var isDirectory: Bool { name.hasSuffix("/") }
        public var isEncrypted: Bool { flags & 1 != 0 }
    }

    /// At most this many entries and this many bytes of central directory.
    public static let maximumEntries = 1_000_000
    public static let maximumDirectoryBytes = 256 << 20

    public let entries: [Entry]
    private let file: Int32
    private let source: String

    /// Opens `url` (a regular file, not a link to one) and reads its directory.
    public init(_ url: URL) throws {
        let descriptor = open(url.path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw ExportError("cannot open \(url.path) as a regular file") }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            throw ExportError("\(url.path) is not a regular file")
        }
        let entries: [Entry]
        do {
            entries = try Self.directory(descriptor, fileSize: UInt64(info.st_size), source: url.path)
        } catch {
            close(descriptor)
            throw error
        }
        self.file = descriptor
        self.entries = entries
        self.source = url.path
    }

    deinit { close(file) }

    /// Feeds a stored entry's bytes to `body` in chunks until the end or until `body` returns
    /// false.
    public func withData(of entry: Entry, _ body: (UnsafeRawBufferPointer) throws -> Bool) throws {
        guard entry.method == 0, !entry.isEncrypted else {
            throw ExportError("\(source): \(entry.name) is compressed or encrypted; only stored entries can be read")
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 1)
        defer { buffer.deallocate() }
        var position = entry.dataOffset
        let end = entry.dataOffset + entry.compressedSize
        while position < end {
            let wanted = Int(min(UInt64(buffer.count), end - position))
            let count = pread(file, buffer.baseAddress, wanted, off_t(position))
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw ExportError("\(source): cannot read \(entry.name)") }
            if try !body(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) { return }
            position += UInt64(count)
        }
    }

    /// A stored entry's bytes, if it is at most `limit` bytes long.
    public func data(of entry: Entry, limit: Int = .max) throws -> Data? {
        guard entry.size <= UInt64(limit) else { return nil }
        var data = Data()
        try withData(of: entry) { chunk in
            data.append(contentsOf: chunk)
            return true
        }
        return data
    }

    // MARK: - The directory

    private static func directory(_ file: Int32, fileSize: UInt64, source: String) throws -> [Entry] {
        func bad(_ what: String) -> ExportError { ExportError("\(source) is not a readable ZIP archive: \(what)") }
        // The end record is the last 22 bytes unless there is a comment (up to 65,535 bytes).
        let tailLength = Int(min(fileSize, 22 + 0xFFFF))
        let tail = try read(file, at: fileSize - UInt64(tailLength), count: tailLength)
        guard tailLength >= 22,
            let end = stride(from: tailLength - 22, through: 0, by: -1).first(where: { tail.u32($0) == 0x0605_4B50 })
        else { throw bad("no end of central directory record") }
        var count = UInt64(tail.u16(end + 10))
        var directorySize = UInt64(tail.u32(end + 12))
        var directoryStart = UInt64(tail.u32(end + 16))
        let endStart = fileSize - UInt64(tailLength) + UInt64(end)
        var directoryLimit = endStart  // the directory ends where the end records start
        if endStart >= 20 {
            let locator = try read(file, at: endStart - 20, count: 20)
            if locator.u32(0) == 0x0706_4B50 {
                let recordStart = locator.u64(8)
                guard recordStart <= endStart - 20, endStart - 20 - recordStart >= 56 else {
                    throw bad("a ZIP64 locator that points outside the archive")
                }
                let record = try read(file, at: recordStart, count: 56)
                guard record.u32(0) == 0x0606_4B50 else { throw bad("no ZIP64 end record where the locator points") }
                count = record.u64(32)
                directorySize = record.u64(40)
                directoryStart = record.u64(48)
                directoryLimit = recordStart
            }
        }
        guard count <= UInt64(maximumEntries) else { throw bad("more than \(maximumEntries) entries") }
        guard directorySize <= UInt64(maximumDirectoryBytes) else { throw bad("a central directory over 256 MiB") }
        guard directoryStart <= directoryLimit, directorySize <= directoryLimit - directoryStart else {
            throw bad("a central directory outside the archive")
        }
        let directory = try read(file, at: directoryStart, count: Int(directorySize))
        var entries: [Entry] = []
        entries.reserveCapacity(Int(count))
        var at = 0
        for index in 0..<Int(count) {
            guard at + 46 <= directory.count, directory.u32(at) == 0x0201_4B50 else {
                throw bad("central directory entry \(index + 1) is damaged")
            }
            let nameLength = Int(directory.u16(at + 28))
            let extraLength = Int(directory.u16(at + 30))
            let commentLength = Int(directory.u16(at + 32))
            let next = at + 46 + nameLength + extraLength + commentLength
            guard next <= directory.count else { throw bad("central directory entry \(index + 1) is damaged") }
            let nameBytes = directory[(at + 46)..<(at + 46 + nameLength)]
            guard let name = String(validating: nameBytes, as: UTF8.self) else {
                throw bad("entry \(index + 1)'s name is not UTF-8")
            }
            var entry = Entry(
                name: name, method: directory.u16(at + 10), flags: directory.u16(at + 8), crc32: directory.u32(at + 16),
                compressedSize: UInt64(directory.u32(at + 20)), size: UInt64(directory.u32(at + 24)),
                localHeaderOffset: UInt64(directory.u32(at + 42)))
            // The ZIP64 field holds, in order, each value whose 32-bit field is 0xFFFFFFFF.
            var field = at + 46 + nameLength
            let extraEnd = field + extraLength
            while field + 4 <= extraEnd {
                let tag = directory.u16(field)
                let length = Int(directory.u16(field + 2))
                guard field + 4 + length <= extraEnd else { throw bad("entry \(name)'s extra field is damaged") }
                if tag == 0x0001 {
                    var value = field + 4
                    func next64() throws -> UInt64 {
                        guard value + 8 <= field + 4 + length else { throw bad("entry \(name)'s ZIP64 field is short") }
                        defer { value += 8 }
                        return directory.u64(value)
                    }
                    if entry.size == 0xFFFF_FFFF { entry.size = try next64() }
                    if entry.compressedSize == 0xFFFF_FFFF { entry.compressedSize = try next64() }
                    if entry.localHeaderOffset == 0xFFFF_FFFF { entry.localHeaderOffset = try next64() }
                }
                field += 4 + length
            }
            entries.append(entry)
            at = next
        }
        // Each entry's local header and bytes lie before the directory and overlap no other.
        var previousEnd: UInt64 = 0
        for index in entries.indices.sorted(by: { entries[$0].localHeaderOffset < entries[$1].localHeaderOffset }) {
            var entry = entries[index]
            guard entry.localHeaderOffset >= previousEnd, entry.localHeaderOffset <= directoryStart,
                directoryStart - entry.localHeaderOffset >= 30
            else { throw bad("entry \(entry.name) overlaps another or lies outside the archive") }
            let local = try read(file, at: entry.localHeaderOffset, count: 30)
            guard local.u32(0) == 0x0403_4B50 else { throw bad("entry \(entry.name) has no local header") }
            let localName = UInt64(local.u16(26))
            let localExtra = UInt64(local.u16(28))
            let headerEnd = entry.localHeaderOffset + 30 + localName + localExtra
            guard headerEnd <= directoryStart, entry.compressedSize <= directoryStart - headerEnd else {
                throw bad("entry \(entry.name) runs past the end of the archive's data")
            }
            let recorded = try read(file, at: entry.localHeaderOffset + 30, count: Int(localName))
            guard recorded == Data(entry.name.utf8) else {
                throw bad(
                    "entry \(entry.name)'s local header names \(String(decoding: recorded, as: UTF8.self).debugDescription)"
                )
            }
            entry.dataOffset = headerEnd
            previousEnd = headerEnd + entry.compressedSize
            entries[index] = entry
        }
        return entries
    }

    private static func read(_ file: Int32, at offset: UInt64, count: Int) throws -> Data {
        var data = Data(count: count)
        var done = 0
        try data.withUnsafeMutableBytes { buffer in
            while done < count {
                let n = pread(file, buffer.baseAddress! + done, count - done, off_t(offset) + off_t(done))
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw ExportError("cannot read the archive at byte \(offset + UInt64(done))") }
                done += n
            }
        }
        return data
    }
}

extension Data {
    fileprivate func u16(_ at: Int) -> UInt16 {
        let i = startIndex + at
        return UInt16(self[i]) | UInt16(self[i + 1]) << 8
    }

    fileprivate func u32(_ at: Int) -> UInt32 {
        UInt32(u16(at)) | UInt32(u16(at + 2)) << 16
    }

    fileprivate func u64(_ at: Int) -> UInt64 {
        UInt64(u32(at)) | UInt64(u32(at + 4)) << 32
    }
}
