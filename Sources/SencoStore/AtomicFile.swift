import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Crash-safe replacement of a file: write a temporary file in the same directory, fsync it,
/// rename it over the old one, fsync the directory. A reader sees the old bytes or the new
/// bytes, never a mixture, whenever the writer dies.
enum AtomicFile {
    static func write(_ data: Data, to url: URL) throws(StoreError) {
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StoreError(.io, "cannot create a temporary file in \(directory.path): \(errnoText())") }
        var ok = false
        defer {
            if !ok { unlink(temporary.path) }
        }
        let failure: String? = data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> String? in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return "cannot write \(url.lastPathComponent): \(errnoText())"
                }
                offset += written
            }
            return fsync(fd) == 0 ? nil : "cannot flush \(url.lastPathComponent): \(errnoText())"
        }
        if let failure {
            close(fd)
            throw StoreError(.io, failure)
        }
        close(fd)
        guard rename(temporary.path, url.path) == 0 else {
            throw StoreError(.io, "cannot replace \(url.lastPathComponent): \(errnoText())")
        }
        ok = true
        syncDirectory(directory)
    }

    /// Makes a rename or a new directory entry durable.
    static func syncDirectory(_ directory: URL) {
        let fd = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }

    static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}

/// An exclusive advisory lock on a file, released when the holder closes it or dies, so a
/// crashed writer never leaves a portfolio locked.
final class FileLock {
    private let fd: Int32

    /// Takes the lock without waiting; nil if another process or thread holds it.
    init?(path: String) throws(StoreError) {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StoreError(.io, "cannot open lock file \(path): \(AtomicFile.errnoText())") }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            close(fd)
            return nil
        }
        self.fd = fd
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
