import Foundation

/// A moderation pack as one ZIP archive, made while it is sent: `folder/ID/portfolio.xml` and
/// `folder/ID/portfolio.html` for each participant in id order, then `folder/manifest.xml` with
/// the SHA-256 of every file, computed as the files go by.
///
/// Several portfolios are made at once (by `make`, which the caller runs wherever CPU work
/// belongs: the web app on threads of its own), at most `window` ahead of the one being written,
/// so memory holds about `window` portfolios' files however large the cohort. Output order does
/// not depend on which finishes first. `sink` is awaited for every write, so a slow reader slows
/// the making (back-pressure) instead of filling memory.
public struct PackArchive: Sendable {
    /// The archive's top folder, so unzipping gives one pack directory: `pack-COHORT`.
    public var folder: String
    public var includeSensitive: Bool
    public var now: Date
    /// Portfolios being made or waiting to be written, at most.
    public var window: Int
    /// See `ZipWriter.init(modified:zip64Threshold:)`; tests lower it.
    public var zip64Threshold: UInt64

    public init(
        folder: String, includeSensitive: Bool, now: Date = Date(),
        window: Int = 2 * ProcessInfo.processInfo.activeProcessorCount, zip64Threshold: UInt64 = ZipWriter.zip64Limit
    ) {
        self.folder = folder
        self.includeSensitive = includeSensitive
        self.now = now
        self.window = max(1, window)
        self.zip64Threshold = zip64Threshold
    }

    public struct Result: Sendable {
        /// The participants whose portfolios are in the pack, in order.
        public var portfolios: [String]
        /// Path relative to the pack folder → SHA-256, as in the manifest.
        public var files: [String: String]
        /// The archive's length in bytes.
        public var bytes: UInt64
        /// The SHA-256 of the manifest itself: keep it to prove the manifest was not replaced.
        public var manifestDigest: String
    }

    /// Streams the archive to `sink`.
    ///
    /// - Parameters:
    ///   - participants: ids, in any order, duplicates ignored.
    ///   - make: one participant's files (`ModerationPack.files(for:…)`), or nil to leave the
    ///     participant out (a damaged portfolio the caller has reported). If it throws, the
    ///     archive stops there and the error is thrown.
    ///   - sink: receives the archive's bytes in order.
    public func write(
        participants: [String], make: @escaping @Sendable (String) async throws -> [PackFile]?,
        to sink: (Data) async throws -> Void
    ) async throws -> Result {
        let ids = Array(Set(participants)).sorted()
        var zip = ZipWriter(modified: now, zip64Threshold: zip64Threshold)
        var files: [String: String] = [:]
        var written: [String] = []
        let prefix = folder.isEmpty ? "" : folder + "/"

        try await withThrowingTaskGroup(of: (Int, [PackFile]?).self) { group in
            var launched = 0
            func launch() {
                guard launched < ids.count else { return }
                let (index, id) = (launched, ids[launched])
                group.addTask { (index, try await make(id)) }
                launched += 1
            }
            for _ in 0..<min(window, ids.count) { launch() }
            var ready: [Int: [PackFile]?] = [:]
            var next = 0
            while next < ids.count, let (index, made) = try await group.next() {
                ready[index] = .some(made)
                while let made = ready.removeValue(forKey: next) {
                    if let made {
                        for file in made {
                            let header = try zip.header(
                                name: prefix + file.path, size: UInt64(file.data.count), crc32: file.crc32)
                            try await sink(header + file.data)
                            files[file.path] = file.sha256
                        }
                        written.append(ids[next])
                    }
                    next += 1
                    launch()
                }
            }
        }

        let manifest = try ModerationPack.manifest(
            files: files, includeSensitive: includeSensitive, portfolios: written, now: now)
        let entry = PackFile(path: ModerationPack.manifestName, data: manifest)
        try await sink(
            try zip.header(name: prefix + entry.path, size: UInt64(manifest.count), crc32: entry.crc32) + manifest)
        try await sink(try zip.finish())
        return Result(portfolios: written, files: files, bytes: zip.offset, manifestDigest: entry.sha256)
    }
}
