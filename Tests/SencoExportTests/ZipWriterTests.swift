import Crypto
import Foundation
import SencoTestSupport
import Testing

@testable import SencoExport

/// The streaming ZIP writer, read back by its own reader and by two independent ones
/// (`unzip -t`, Python's `zipfile`), with and without ZIP64 records.
struct ZipWriterTests {
    static let entries: [(name: String, data: Data)] = [
        ("pack/p-1/portfolio.xml", Data("<portfolio>Tom &amp; Jerry</portfolio>\n".utf8)),
        ("pack/p-1/empty.txt", Data()),
        ("pack/café 🧑🏽‍🏫/notes.txt", Data(TestSupport.hostileText.utf8)),
        ("pack/p-2/big.bin", Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) })),
        ("pack/manifest.xml", Data("<manifest/>".utf8)),
    ]

    static func write(_ entries: [(name: String, data: Data)], threshold: UInt64, to url: URL) throws {
        var zip = ZipWriter(modified: ExportGoldenTests.now, zip64Threshold: threshold)
        var out = Data()
        for (name, data) in entries {
            out += try zip.header(name: name, for: data)
            out += data
        }
        out += try zip.finish()
        #expect(zip.offset == UInt64(out.count), "the writer counts every byte it was promised")
        try out.write(to: url)
    }

    static func sha256(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }

    @Test func crc32MatchesTheStandardCheckValue() {
        #expect(CRC32(Data("123456789".utf8)).value == 0xCBF4_3926)
        var split = CRC32()
        split.update(Data("1234".utf8))
        split.update(Data("56789".utf8))
        #expect(split.value == 0xCBF4_3926, "fed in pieces, the same CRC")
        #expect(CRC32(Data()).value == 0)
    }

    /// ZIP64 forced (threshold 0): every entry gets ZIP64 sizes and offsets and the archive ends
    /// with the ZIP64 end record and locator, as one over 4 GiB does.
    @Test(arguments: [ZipWriter.zip64Limit, 0])
    func archivesReadBackEqualInEveryReader(threshold: UInt64) throws {
        let scratch = try TestSupport.temporaryDirectory("zip-writer")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let url = scratch.appendingPathComponent("test.zip")
        try Self.write(Self.entries, threshold: threshold, to: url)
        let bytes = try Data(contentsOf: url)
        let zip64End = Data([0x50, 0x4B, 0x06, 0x06])
        #expect((bytes.range(of: zip64End) != nil) == (threshold == 0), "ZIP64 end record only where forced")

        let reader = try ZipReader(url)
        #expect(reader.entries.map(\.name) == Self.entries.map(\.name))
        for (entry, expected) in zip(reader.entries, Self.entries) {
            #expect(try reader.data(of: entry) == expected.data, "\(entry.name) reads back")
            #expect(entry.method == 0 && entry.flags == 0x0800, "stored, UTF-8 names, no data descriptor")
        }

        let unzip = try ZipTools.unzipTest(url)
        #expect(unzip.status == 0, "unzip -t: \(unzip.output)")
        let python = try ZipTools.pythonListing(url)
        #expect(python.outcome.status == 0, "python zipfile: \(python.outcome.output)")
        #expect(python.entries.map(\.name) == Self.entries.map(\.name))
        #expect(python.entries.map(\.sha256) == Self.entries.map { Self.sha256($0.data) })
    }

    /// Past 65,535 entries the classic end record cannot count them: the ZIP64 one must.
    @Test func moreThan65535EntriesGetTheZIP64EndRecord() throws {
        let scratch = try TestSupport.temporaryDirectory("zip-many")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let url = scratch.appendingPathComponent("many.zip")
        let entries = (0..<70_000).map { (name: "e/\($0)", data: Data([UInt8(truncatingIfNeeded: $0)])) }
        try Self.write(entries, threshold: ZipWriter.zip64Limit, to: url)
        let reader = try ZipReader(url)
        #expect(reader.entries.count == 70_000)
        #expect(try reader.data(of: reader.entries[69_999]) == Data([UInt8(truncatingIfNeeded: 69_999)]))
        let unzip = try ZipTools.unzipTest(url)
        #expect(unzip.status == 0, "unzip -t: \(unzip.output.prefix(500))")
        let python = try ZipTools.pythonListing(url)
        #expect(python.outcome.status == 0, "python zipfile: \(python.outcome.output.suffix(500))")
        #expect(python.entries.count == 70_000)
    }

    @Test func refusesADuplicateNameAndAnythingAfterFinishing() throws {
        var zip = ZipWriter()
        _ = try zip.header(name: "a", for: Data())
        #expect(throws: ExportError.self) { try zip.header(name: "a", for: Data()) }
        #expect(throws: ExportError.self) { try zip.header(name: "", for: Data()) }
        _ = try zip.finish()
        #expect(throws: ExportError.self) { try zip.header(name: "b", for: Data()) }
    }

    /// The reader checks what it is told before using it: a cut-off archive, or bytes that are
    /// not one, is an error, not a crash or a read outside the file.
    @Test(arguments: [0, 10, 100, 400])
    func readerRefusesATruncatedArchive(keep: Int) throws {
        let scratch = try TestSupport.temporaryDirectory("zip-truncated")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let url = scratch.appendingPathComponent("test.zip")
        try Self.write(Self.entries, threshold: ZipWriter.zip64Limit, to: url)
        let whole = try Data(contentsOf: url)
        try whole.prefix(keep).write(to: url)
        #expect(throws: ExportError.self) { _ = try ZipReader(url) }
        // The end records kept, the entries before them lost: offsets point outside the data.
        try whole.suffix(whole.count - keep - 1).write(to: url)
        #expect(throws: ExportError.self) { _ = try ZipReader(url) }
    }
}
