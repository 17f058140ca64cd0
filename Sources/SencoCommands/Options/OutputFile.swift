import Foundation
import SencoCore

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
