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
    /// Temporary files are `.NAME.PID.RANDOM.tmp` beside their target: hidden from listings, and
    /// recognisable to `store check` as debris once no writer can still own them.
    static func isTemporaryName(_ name: String) -> Bool {
        name.hasPrefix(".") && name.hasSuffix(".tmp")
    }

    /// Replaces `url` with `data`.
    static func write(_ data: Data, to url: URL) throws(StoreError) {
        let temporary = try writeTemporary(data, beside: url)
        guard rename(temporary.path, url.path) == 0 else {
            let reason = errnoText()
            unlink(temporary.path)
            throw StoreError(.io, "cannot replace \(url.lastPathComponent): \(reason)")
        }
        syncDirectory(url.deletingLastPathComponent())
    }

    /// Creates `url` with `data`, refusing (`alreadyExists`) if it exists: the new file is linked
    /// into place, which fails atomically when the name is taken, so two creators racing for one
    /// name cannot both succeed and neither overwrites the other.
    static func create(_ data: Data, at url: URL, what: String) throws(StoreError) {
        let temporary = try writeTemporary(data, beside: url)
        defer { unlink(temporary.path) }
        guard link(temporary.path, url.path) == 0 else {
            if errno == EEXIST { throw StoreError(.alreadyExists, "\(what) already exists") }
            throw StoreError(.io, "cannot create \(url.lastPathComponent): \(errnoText())")
        }
        syncDirectory(url.deletingLastPathComponent())
    }

    /// Writes and flushes a temporary file in `url`'s directory; removed again on any failure.
    private static func writeTemporary(_ data: Data, beside url: URL) throws(StoreError) -> URL {
        let directory = url.deletingLastPathComponent()
        let temporary = directory.child(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
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
        ok = true
        return temporary
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
