import Crypto
import Foundation
import SencoXML

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Checks a pack against its manifest: files added, missing or changed, and anything in it that
/// `ModerationPack` never writes.
///
/// A pack arrives from someone else, so nothing in it is trusted: the walk goes through
/// directory descriptors with `O_NOFOLLOW`, so a symbolic link is reported, never followed (not
/// even one in the middle of a path); only regular files are read; and a manifest path that could
/// lead out of the pack is reported and never opened.
public enum PackVerifier {
    /// Something the pack's writer never makes: an entry that is not a regular file or directory,
    /// or a manifest line naming a path it would never write.
    public struct Tampering: Sendable, Equatable, CustomStringConvertible {
        /// The entry, relative to the pack (`manifest.xml` for a bad manifest line).
        public var path: String
        /// What is wrong, as the rest of a sentence starting with the path.
        public var problem: String

        public var description: String { "\(PackVerifier.printable(path)) \(problem)" }
    }

    public struct Report: Sendable, Equatable {
        public var added: [String] = []
        public var missing: [String] = []
        public var changed: [String] = []
        public var tampered: [Tampering] = []
        public var checked = 0
        public var sensitiveEvidence = ""
        public var manifestDigest = ""
        public var isIntact: Bool { added.isEmpty && missing.isEmpty && changed.isEmpty && tampered.isEmpty }
    }

    /// Directories deeper than this are reported rather than entered: a pack is two levels deep,
    /// and each level entered holds a file descriptor open.
    static let maximumDepth = 16

    /// Checks a pack directory, or a pack ZIP archive (`verifyArchive(_:)`).
    public static func verify(_ directory: URL) throws -> Report {
        var info = stat()
        if lstat(directory.path, &info) == 0, info.st_mode & S_IFMT == S_IFREG {
            return try verifyArchive(directory)
        }
        let root = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard root >= 0 else {
            throw ExportError("\(directory.path) is neither a pack directory nor a pack's ZIP archive")
        }
        defer { close(root) }
        let manifestName = ModerationPack.manifestName
        var report = Report()

        var manifestInfo = stat()
        guard fstatat(root, manifestName, &manifestInfo, AT_SYMLINK_NOFOLLOW) == 0 else {
            throw ExportError("\(directory.path) has no \(manifestName): not a moderation pack")
        }
        guard manifestInfo.st_mode & S_IFMT == S_IFREG else {
            report.tampered.append(
                Tampering(path: manifestName, problem: "is \(kind(manifestInfo.st_mode)), not a file"))
            return report
        }
        // One byte over the reader's limit is enough for the reader to refuse it as too large.
        guard let data = readRegularFile(in: root, named: manifestName, limit: XMLReadOptions.default.maximumBytes + 1)
        else {
            throw ExportError("cannot read \(directory.appendingPathComponent(manifestName).path)")
        }
        let manifestPath = directory.appendingPathComponent(manifestName).path
        let manifest = try XMLReader().read(data, source: manifestPath)
        guard manifest.name == "manifest" else { throw ExportError("\(manifestPath) is not a pack manifest") }
        report.sensitiveEvidence = manifest[attribute: "sensitiveEvidence"] ?? "unknown"
        report.manifestDigest = ModerationPack.sha256(data)
        let listed = listedFiles(in: manifest, report: &report)

        var walk = Walk(listed: listed, manifestName: manifestName)
        let top = dup(root)
        if top >= 0 { walk.walk(top, prefix: "", depth: 1) }
        report.checked = walk.checked
        report.changed = walk.changed
        report.added = walk.added
        report.tampered += walk.tampered
        // A directory is expected if it holds a listed file; an unexpected one is reported once,
        // unless something inside it was already reported.
        var expected: Set<String> = []
        for path in listed.keys {
            var ancestor = ""
            for component in path.split(separator: "/").dropLast() {
                ancestor += ancestor.isEmpty ? String(component) : "/" + component
                expected.insert(ancestor)
            }
        }
        let reported = walk.added + walk.tampered.map(\.path)
        for directory in walk.directories where !expected.contains(directory) {
            if !reported.contains(where: { $0.hasPrefix(directory + "/") || $0 == directory }) {
                report.added.append(directory + "/")
            }
        }
        // A listed file in the place of a link, or under a linked directory, is reported as that
        // tampering, not again as missing.
        let tamperedPaths = walk.tampered.map(\.path)
        report.missing = listed.keys.filter { path in
            !walk.seen.contains(path) && !tamperedPaths.contains { path == $0 || path.hasPrefix($0 + "/") }
        }.sorted()
        report.added.sort()
        return report
    }

    /// The manifest's files, path → SHA-256; a line it could not have written is reported.
    static func listedFiles(in manifest: XMLElement, report: inout Report) -> [String: String] {
        let manifestName = ModerationPack.manifestName
        var listed: [String: String] = [:]
        for file in manifest.elements(named: "file") {
            guard let path = file[attribute: "path"], let hash = file[attribute: "sha256"] else {
                report.tampered.append(
                    Tampering(path: manifestName, problem: "has a <file> without a path or sha256 (line \(file.line))"))
                continue
            }
            if let problem = outsideProblem(path) {
                report.tampered.append(
                    Tampering(path: manifestName, problem: "lists \(printable(path).debugDescription), \(problem)"))
            } else if listed[path] != nil {
                report.tampered.append(
                    Tampering(path: manifestName, problem: "lists \(printable(path).debugDescription) twice"))
            } else {
                listed[path] = hash
            }
        }
        return listed
    }

    /// Why a manifest path could lead anywhere but to a file inside the pack, or nil if it cannot.
    static func outsideProblem(_ path: String) -> String? {
        if path.isEmpty { return "an empty path" }
        if path.hasPrefix("/") { return "an absolute path" }
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        if components.contains("..") { return "a path with a '..' component" }
        if components.contains("") { return "a path with an empty component" }
        if components.contains(".") { return "a path with a '.' component" }
        return nil
    }

    /// A path as one printable line: control characters (a newline in a file name) escaped.
    public static func printable(_ path: String) -> String {
        guard path.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return path }
        let quoted = path.debugDescription
        return String(quoted.dropFirst().dropLast())
    }

    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFLNK: "a symbolic link"
        case S_IFIFO: "a FIFO"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        case S_IFDIR: "a directory"
        default: "not a regular file"
        }
    }

    /// The contents of `name` in the directory `directory` if it is a regular file (not a link to
    /// one), reading at most `limit` bytes.
    static func readRegularFile(in directory: Int32, named name: UnsafePointer<CChar>, limit: Int) -> Data? {
        var result = Data()
        let complete = withRegularFile(in: directory, named: name) { chunk in
            result.append(contentsOf: chunk.prefix(max(0, limit - result.count)))
            return result.count < limit
        }
        return complete ? result : nil
    }

    /// Feeds the regular file `name` in `directory` to `body` in chunks, until the end or until
    /// `body` returns false. False if it is not a regular file or cannot be read. `O_NONBLOCK`:
    /// opening a FIFO put in the file's place returns at once instead of waiting for a writer.
    static func withRegularFile(
        in directory: Int32, named name: UnsafePointer<CChar>, _ body: (UnsafeRawBufferPointer) -> Bool
    ) -> Bool {
        let file = openat(directory, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard file >= 0 else { return false }
        defer { close(file) }
        var info = stat()
        guard fstat(file, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return false }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 1)
        defer { buffer.deallocate() }
        while true {
            let count = read(file, buffer.baseAddress, buffer.count)
            if count < 0 && errno == EINTR { continue }
            if count < 0 { return false }
            if count == 0 { return true }
            if !body(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) { return true }
        }
    }

    /// One pass over the pack's tree through directory descriptors, hashing the listed files as
    /// it meets them.
    private struct Walk {
        let listed: [String: String]
        let manifestName: String
        var seen: Set<String> = []
        var checked = 0
        var changed: [String] = []
        var added: [String] = []
        var tampered: [Tampering] = []
        var directories: [String] = []

        init(listed: [String: String], manifestName: String) {
            self.listed = listed
            self.manifestName = manifestName
        }

        /// Walks the directory open as `descriptor`, which it closes.
        mutating func walk(_ descriptor: Int32, prefix: String, depth: Int) {
            guard let stream = fdopendir(descriptor) else {
                close(descriptor)
                tampered.append(Tampering(path: prefix, problem: "cannot be read"))
                return
            }
            defer { closedir(stream) }
            var names: [(raw: [CChar], name: String)] = []
            while let entry = readdir(stream) {
                var raw = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                    Array(bytes.prefix(while: { $0 != 0 }).map { CChar(bitPattern: $0) })
                }
                let name = String(decoding: raw.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if name == "." || name == ".." { continue }
                raw.append(0)
                names.append((raw, name))
            }
            let directory = dirfd(stream)
            for (raw, name) in names.sorted(by: { $0.name < $1.name }) {
                let relative = prefix + name
                if prefix.isEmpty && name == manifestName { continue }
                var info = stat()
                guard fstatat(directory, raw, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
                    tampered.append(Tampering(path: relative, problem: "cannot be examined"))
                    continue
                }
                switch info.st_mode & S_IFMT {
                case S_IFREG:
                    guard let expected = listed[relative] else {
                        added.append(relative)
                        continue
                    }
                    seen.insert(relative)
                    var hasher = SHA256()
                    guard
                        PackVerifier.withRegularFile(
                            in: directory, named: raw,
                            { chunk in
                                hasher.update(bufferPointer: chunk)
                                return true
                            })
                    else {
                        tampered.append(Tampering(path: relative, problem: "cannot be read as a regular file"))
                        continue
                    }
                    checked += 1
                    let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
                    if digest != expected { changed.append(relative) }
                case S_IFDIR:
                    directories.append(relative)
                    if listed[relative] != nil {
                        tampered.append(
                            Tampering(path: relative, problem: "is a directory where the manifest lists a file"))
                    }
                    guard depth < PackVerifier.maximumDepth else {
                        tampered.append(Tampering(path: relative, problem: "is nested too deeply to be part of a pack"))
                        continue
                    }
                    let child = openat(directory, raw, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                    guard child >= 0 else {
                        tampered.append(Tampering(path: relative, problem: "cannot be read"))
                        continue
                    }
                    walk(child, prefix: relative + "/", depth: depth + 1)
                default:
                    tampered.append(
                        Tampering(path: relative, problem: "is \(PackVerifier.kind(info.st_mode)), not a file"))
                }
            }
        }
    }
}
