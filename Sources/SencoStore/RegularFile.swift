import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reading a file a user names (an attachment, a reflection, a document to import) without
/// trusting it: only a regular file is read (not a FIFO that never ends, a device such as
/// `/dev/zero`, or a directory), and never more than a limit, however big the file says it is.
public enum RegularFile {
    /// The file's bytes; `what` names it in errors, e.g. "attachment" or "--reflection-file".
    public static func read(_ path: String, limit: Int, what: String) throws(StoreError) -> Data {
        let shown = path.quotedForMessage(limit: 120)
        // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            switch errno {
            case ENOENT: throw StoreError(.invalidInput, "\(what) \(shown) does not exist")
            case EACCES: throw StoreError(.invalidInput, "\(what) \(shown) cannot be read (permission denied)")
            case EISDIR: throw StoreError(.invalidInput, "\(what) \(shown) is a directory, not a file")
            default: throw StoreError(.invalidInput, "\(what) \(shown) cannot be opened: \(AtomicFile.errnoText())")
            }
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw StoreError(.invalidInput, "\(what) \(shown) cannot be read") }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw StoreError(.invalidInput, "\(what) \(shown) is a directory, not a file")
        default: throw StoreError(.invalidInput, "\(what) \(shown) is not a regular file (a device, pipe or socket)")
        }
        if Int(info.st_size) > limit {
            throw StoreError(.invalidInput, "\(what) \(shown) is \(info.st_size) bytes; the limit is \(limit) bytes")
        }
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK)
        return try readAll(fd: fd, limit: limit, name: "\(what) \(shown)")
    }

    /// Reads from the start of `fd` to its end, refusing more than `limit` bytes (a file can grow
    /// between `fstat` and the read).
    static func readAll(fd: Int32, limit: Int, name: String) throws(StoreError) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var offset: off_t = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, offset) }
            if count < 0 {
                if errno == EINTR { continue }
                throw StoreError(.io, "cannot read \(name): \(AtomicFile.errnoText())")
            }
            if count == 0 { return data }
            if data.count + count > limit {
                throw StoreError(.invalidInput, "\(name) is more than \(limit) bytes; the limit is \(limit) bytes")
            }
            data.append(contentsOf: buffer[0..<count])
            offset += off_t(count)
        }
    }
}

extension URL {
    /// `name` inside this path. Foundation's `appendingPathComponent` asks the file system
    /// whether the result is a directory (a `stat` per call); the store names thousands of files
    /// per request and never needs the answer.
    func child(_ name: String) -> URL {
        appending(path: name, directoryHint: .notDirectory)
    }
}
