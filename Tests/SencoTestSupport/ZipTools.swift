import Foundation

/// Independent readers for the archives senco writes: Info-ZIP's `unzip -t` and Python's
/// `zipfile`, run as processes (CI's image has both; `.ci/run` installs unzip if missing).
public enum ZipTools {
    public struct Outcome: Sendable {
        public var status: Int32
        public var output: String
    }

    /// `unzip -t -qq FILE`: tests every entry's CRC; status 0 if all are good.
    public static func unzipTest(_ archive: URL) throws -> Outcome {
        try run("/usr/bin/env", ["unzip", "-t", "-qq", archive.path])
    }

    /// Python's `zipfile`: `testzip()` must find nothing wrong; prints each entry as
    /// `name<TAB>sha256`, in the archive's order, so the caller can compare contents.
    public static func pythonListing(_ archive: URL) throws -> (
        outcome: Outcome, entries: [(name: String, sha256: String)]
    ) {
        let script = """
            import hashlib, sys, zipfile
            z = zipfile.ZipFile(sys.argv[1])
            assert z.testzip() is None, "testzip found a bad entry"
            for info in z.infolist():
                print(info.filename + "\\t" + hashlib.sha256(z.read(info)).hexdigest())
            """
        let outcome = try run("/usr/bin/env", ["python3", "-c", script, archive.path])
        let entries = outcome.output.split(separator: "\n").compactMap { line -> (String, String)? in
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
            return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
        }
        return (outcome, entries)
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}
