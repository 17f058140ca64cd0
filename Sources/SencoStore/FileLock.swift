import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive advisory lock (`flock`), released when the holder closes it or dies, so a
/// crashed writer never leaves anything locked.
///
/// A portfolio is locked through its own file, not a lock file beside it: a refused or failed
/// change must leave every stored byte as it was, and a lock file that outlives its writer is a
/// stored byte. Because a write renames a new file over the old, the lock is held on an inode
/// that is about to be replaced; after taking it we check that the path still names that inode,
/// and try again if a writer replaced it in between, so two writers never both hold "the" file.
final class FileLock {
    let fd: Int32
    private let removeOnRelease: String?

    /// Locks the existing document at `path` without waiting: nil if another writer holds it.
    static func document(_ path: String) throws(StoreError) -> FileLock? {
        try acquire(path, create: false)
    }

    /// Locks a lock file that exists only while it is held (for documents that may not exist
    /// yet, such as `users.xml`); removed again on release.
    static func transient(_ path: String) throws(StoreError) -> FileLock? {
        try acquire(path, create: true)
    }

    /// `transient`, trying again for up to about half a second while another writer holds it.
    static func waiting(_ path: String, attempts: Int = 50) throws(StoreError) -> FileLock? {
        for attempt in 0..<attempts {
            if let lock = try transient(path) { return lock }
            if attempt < attempts - 1 { usleep(10_000) }
        }
        return nil
    }

    private static func acquire(_ path: String, create: Bool) throws(StoreError) -> FileLock? {
        for _ in 0..<8 {
            let flags = (create ? O_RDWR | O_CREAT : O_RDONLY) | O_CLOEXEC | O_NOFOLLOW
            let fd = open(path, flags, 0o644)
            guard fd >= 0 else {
                if errno == ELOOP { throw StoreError(.invalidData, "\(path) is a symbolic link; senco writes only regular files") }
                if errno == ENOENT && !create { throw StoreError(.notFound, "\(path) no longer exists") }
                throw StoreError(.io, "cannot open \((path as NSString).lastPathComponent): \(AtomicFile.errnoText())")
            }
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                close(fd)
                return nil
            }
            var held = stat()
            var named = stat()
            if fstat(fd, &held) == 0, lstat(path, &named) == 0, held.st_ino == named.st_ino, held.st_dev == named.st_dev {
                return FileLock(fd: fd, removeOnRelease: create ? path : nil)
            }
            // Replaced (or removed) between open and flock: the lock is on a stale inode.
            flock(fd, LOCK_UN)
            close(fd)
        }
        return nil
    }

    private init(fd: Int32, removeOnRelease: String?) {
        self.fd = fd
        self.removeOnRelease = removeOnRelease
    }

    /// The locked file's bytes, read through the locked descriptor (the revision checked is
    /// exactly the one locked), refusing more than `limit` bytes.
    func contents(limit: Int, name: String) throws(StoreError) -> Data {
        try RegularFile.readAll(fd: fd, limit: limit, name: name)
    }

    /// Whether someone holds a lock on `path` now (for `store check`: a lock file nobody holds
    /// is debris).
    static func isHeld(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 { return true }
        flock(fd, LOCK_UN)
        return false
    }

    deinit {
        // Unlink while still holding the lock: a waiter that opened this inode re-checks the
        // path after locking and sees it gone.
        if let removeOnRelease { unlink(removeOnRelease) }
        flock(fd, LOCK_UN)
        close(fd)
    }
}
