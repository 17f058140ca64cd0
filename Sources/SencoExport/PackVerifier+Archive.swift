import Crypto
import Foundation
import SencoXML

extension PackVerifier {
    /// Checks a pack ZIP archive (as the web app and `senco export pack --out X.zip` write it)
    /// without extracting it: every entry is read in place and hashed against the manifest.
    ///
    /// The pack is the archive's top level, or its one top folder (`pack-COHORT/`). Anything an
    /// unzip could turn into a write outside that folder (an absolute name, a `..` component, a
    /// backslash) and any name that appears twice (which copy would an unzip keep?) is reported
    /// as tampering; a compressed or encrypted entry, which senco never writes, cannot be checked
    /// in place and is reported too.
    public static func verifyArchive(_ url: URL) throws -> Report {
        let archive = try ZipReader(url)
        let manifestName = ModerationPack.manifestName
        var report = Report()

        var byName: [String: ZipReader.Entry] = [:]
        var duplicates: Set<String> = []
        for entry in archive.entries {
            if let problem = entryNameProblem(entry.name) {
                report.tampered.append(Tampering(path: entry.name, problem: "is an archive entry with \(problem)"))
            } else if byName[entry.name] != nil {
                if duplicates.insert(entry.name).inserted {
                    report.tampered.append(
                        Tampering(path: entry.name, problem: "appears more than once in the archive"))
                }
            } else {
                byName[entry.name] = entry
            }
        }
        for name in duplicates { byName[name] = nil }

        // Where the pack is, judged from the entries whose names are safe.
        let safeNames = Set(byName.keys).union(duplicates)
        let root: String
        if safeNames.contains(manifestName) {
            root = ""
        } else {
            let tops = Set(safeNames.map { $0.split(separator: "/", maxSplits: 1).first.map(String.init) ?? "" })
            guard tops.count == 1, let top = tops.first, safeNames.contains(top + "/" + manifestName)
            else {
                throw ExportError(
                    "\(url.path) has no \(manifestName) at its top or in its one top folder: not a moderation pack")
            }
            root = top + "/"
        }
        guard let manifestEntry = byName[root + manifestName] else { return report }  // reported as tampering above
        guard manifestEntry.method == 0, !manifestEntry.isEncrypted else {
            report.tampered.append(Tampering(path: manifestName, problem: "is compressed or encrypted in the archive"))
            return report
        }
        guard let data = try archive.data(of: manifestEntry, limit: XMLReadOptions.default.maximumBytes + 1) else {
            throw ExportError("\(url.path): \(root + manifestName) is larger than a manifest can be")
        }
        let manifest = try XMLReader().read(data, source: "\(url.path): \(root + manifestName)")
        guard manifest.name == "manifest" else {
            throw ExportError("\(url.path): \(root + manifestName) is not a pack manifest")
        }
        report.sensitiveEvidence = manifest[attribute: "sensitiveEvidence"] ?? "unknown"
        report.manifestDigest = ModerationPack.sha256(data)
        let listed = listedFiles(in: manifest, report: &report)

        var seen: Set<String> = []
        var directories: [String] = []
        for name in byName.keys.sorted() where name != root + manifestName {
            let entry = byName[name]!
            guard name.hasPrefix(root) else {
                report.added.append(name)
                continue
            }
            let relative = String(name.dropFirst(root.count))
            if relative.isEmpty { continue }  // the top folder's own entry
            if entry.isDirectory {
                if entry.size != 0 {
                    report.tampered.append(Tampering(path: relative, problem: "is a folder entry holding data"))
                } else if listed[String(relative.dropLast())] != nil {
                    report.tampered.append(
                        Tampering(
                            path: String(relative.dropLast()), problem: "is a folder where the manifest lists a file"))
                } else {
                    directories.append(String(relative.dropLast()))
                }
                continue
            }
            guard let expected = listed[relative] else {
                report.added.append(relative)
                continue
            }
            seen.insert(relative)
            guard entry.method == 0, !entry.isEncrypted else {
                report.tampered.append(
                    Tampering(
                        path: relative,
                        problem:
                            "is compressed or encrypted in the archive, which senco never does; unzip it and verify the folder"
                    ))
                continue
            }
            var hasher = SHA256()
            var crc = CRC32()
            try archive.withData(of: entry) { chunk in
                hasher.update(bufferPointer: chunk)
                crc.update(chunk)
                return true
            }
            report.checked += 1
            if crc.value != entry.crc32 {
                report.tampered.append(Tampering(path: relative, problem: "does not match its CRC-32 in the archive"))
            }
            let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
            if digest != expected { report.changed.append(relative) }
        }
        // A folder entry is expected if it holds a listed file (some zip tools add them).
        var expected: Set<String> = []
        for path in listed.keys {
            var ancestor = ""
            for component in path.split(separator: "/").dropLast() {
                ancestor += ancestor.isEmpty ? String(component) : "/" + component
                expected.insert(ancestor)
            }
        }
        for directory in directories where !expected.contains(directory) {
            if !report.added.contains(where: { $0.hasPrefix(directory + "/") }) { report.added.append(directory + "/") }
        }
        let tamperedPaths = report.tampered.map(\.path)
        report.missing = listed.keys.filter { path in
            !seen.contains(path)
                && !tamperedPaths.contains { $0 == path || $0 == root + path || (root + path).hasPrefix($0 + "/") }
        }.sorted()
        report.added.sort()
        return report
    }

    /// Why an archive entry's name could be unzipped outside the folder it is unzipped in, or nil
    /// if it cannot. A folder entry's name ends with one `/`.
    static func entryNameProblem(_ name: String) -> String? {
        if name.contains("\\") { return "a backslash in its name (a Windows path separator)" }
        if name.hasPrefix("/") { return "an absolute path" }
        if name.unicodeScalars.contains(where: { $0 == "\u{0}" }) { return "a NUL in its name" }
        let path = name.hasSuffix("/") ? String(name.dropLast()) : name
        return outsideProblem(path)
    }
}
