import Foundation
import SencoCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file a command writes for the user (`-o`, `--output`, `--out`): checked before any work is
/// done, so a report is never computed only to fail, and never written into the store, where
/// senco would take it for damage.
enum OutputFile {
    /// Refuses a path that is a directory, whose folder does not exist, or that is inside `store`.
    static func check(_ path: String, option: String, store: URL?) throws {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw CommandError("\(option) \(path.quotedForMessage()) is a directory; name a file")
        }
        try checkFolder(of: url, path: path, option: option)
        try checkOutsideStore(url, path: path, option: option, store: store)
    }

    /// For `--out DIR` that a command creates: its parent must exist, it must be new or empty,
    /// and outside the store.
    static func checkNewDirectory(_ path: String, option: String, store: URL?) throws {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw CommandError("\(option) \(path.quotedForMessage()) is a file; name a new or empty directory") }
            let contents = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
            if !contents.isEmpty { throw CommandError("\(option) \(path.quotedForMessage()) is not empty; name a new or empty directory") }
        }
        try checkFolder(of: url, path: path, option: option)
        try checkOutsideStore(url, path: path, option: option, store: store)
    }

    /// For `--out FILE` that a command creates and never overwrites: it must not exist, its
    /// folder must, and it must be outside the store.
    static func checkNewFile(_ path: String, option: String, store: URL?) throws {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        var info = stat()
        if lstat(url.path, &info) == 0 {
            throw CommandError("\(option) \(path.quotedForMessage()) already exists; name a new file")
        }
        try checkFolder(of: url, path: path, option: option)
        try checkOutsideStore(url, path: path, option: option, store: store)
    }

    /// Makes the new file `path` by streaming into a temporary file beside it: `body` writes to
    /// the descriptor it is given; then the file is flushed to disk and linked into place, which
    /// fails rather than replace a file that appeared meanwhile. On any error the temporary file
    /// is removed, so nothing is left behind.
    static func writeNew<T>(to path: String, _ body: (Int32) async throws -> T) async throws -> T {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let folder = url.deletingLastPathComponent().path
        let temporary = folder + "/." + url.lastPathComponent + "." + String(UInt64.random(in: 0...UInt64.max), radix: 36) + ".partial"
        let file = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard file >= 0 else { throw CommandError("cannot write in \(folder.quotedForMessage()): \(String(cString: strerror(errno)))") }
        defer {
            close(file)
            unlink(temporary)  // once linked, the new file keeps its name
        }
        let value = try await body(file)
        guard fsync(file) == 0 else { throw CommandError("cannot write \(path.quotedForMessage()): \(String(cString: strerror(errno)))") }
        guard link(temporary, url.path) == 0 else {
            throw CommandError("cannot create \(path.quotedForMessage()): \(String(cString: strerror(errno)))")
        }
        let directory = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
        return value
    }

    /// Writes all of `data` to `file`, with a one-line error naming `path`.
    static func write(_ data: Data, to file: Int32, path: String) throws {
        try data.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let count = systemWrite(file, buffer.baseAddress! + done, buffer.count - done)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else {
                    throw CommandError("cannot write \(path.quotedForMessage()): \(String(cString: strerror(errno)))")
                }
                done += count
            }
        }
    }

    private static func checkFolder(of url: URL, path: String, option: String) throws {
        var isDirectory: ObjCBool = false
        let folder = url.deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CommandError("\(option) \(path.quotedForMessage()): the folder \(folder.path.quotedForMessage()) does not exist")
        }
    }

    private static func checkOutsideStore(_ url: URL, path: String, option: String, store: URL?) throws {
        guard let store else { return }
        let inside = url.resolvingSymlinksInPath().path
        let root = store.standardizedFileURL.resolvingSymlinksInPath().path
        if inside == root || inside.hasPrefix(root.hasSuffix("/") ? root : root + "/") {
            throw CommandError("\(option) \(path.quotedForMessage()) is inside the store \(root); write reports elsewhere")
        }
    }

    /// Writes atomically, with a one-line error naming the file.
    static func write(_ data: Data, to path: String) throws {
        do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw CommandError("cannot write \(path.quotedForMessage()): \(Self.reason(error))")
        }
    }

    /// A short reason from a Foundation error, never its whole dump.
    static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
            let code = POSIXErrorCode(rawValue: Int32(underlying.code))
        {
            return String(cString: strerror(code.rawValue))
        }
        switch nsError.code {
        case NSFileWriteNoPermissionError, NSFileReadNoPermissionError: return "permission denied"
        case NSFileWriteOutOfSpaceError: return "no space left on the device"
        case NSFileNoSuchFileError, NSFileReadNoSuchFileError: return "no such file or folder"
        default: return "the file system refused it"
        }
    }
}

/// `write(2)`, under a name `OutputFile.write` does not hide.
private func systemWrite(_ file: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(file, bytes, count)
}
