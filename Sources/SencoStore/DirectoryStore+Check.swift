import Crypto
import Foundation
import SencoCore

#if canImport(Glibc)
    import Glibc
#endif

/// `senco store check`: every problem in a store, and the removal of debris.
extension DirectoryStore {
    /// Temporary files and unreferenced blobs younger than this may belong to a change that is
    /// committing right now, so they are not yet debris.
    public static let debrisAge: TimeInterval = 10 * 60

    /// Every problem in the store: unreadable, misfiled, duplicated or linked portfolios, cohort
    /// files that do not read, attachments referenced but missing or altered, plans and the
    /// users file that do not read (damage); temporary files, lock files nobody holds and blobs
    /// no portfolio refers to (debris).
    public func check(now: Date = Date()) throws(StoreError) -> [StoreProblem] {
        guard Self.entryType(root) == S_IFDIR else {
            throw StoreError(.notFound, "the store \(root.path) does not exist or is not a directory")
        }
        var problems: [StoreProblem] = []
        problems += debris(in: root, now: now)

        let cohortScan = scanCohorts()
        problems += cohortScan.problems
        var referenced: [String: [String]] = [:]  // sha256 → "participant/evidence" that name it
        for cohort in cohortScan.values {
            let portfolios = cohortsDirectory.child(cohort.id).child("portfolios")
            problems += debris(in: cohortsDirectory.child(cohort.id), now: now)
            problems += debris(in: portfolios, now: now)
            problems += debris(in: cohortsDirectory.child(cohort.id).child("summaries"), now: now)
            problems += summaryDebris(inCohort: cohort.id)
            let scan = try mapPortfolios(inCohort: cohort.id) { portfolio in
                portfolio.evidence.flatMap { item in item.attachments.map { ($0.sha256, "\(portfolio.id) \(item.id) \($0.name.quotedForMessage())") } }
            }
            problems += scan.problems
            for (hash, user) in scan.values.joined() { referenced[hash, default: []].append(user) }
        }

        // Attachments: each referenced blob present and intact; each blob referenced.
        var present = Set<String>()
        let blobsRoot = attachmentsDirectory
        for prefix in Self.names(in: blobsRoot) {
            let folder = blobsRoot.child(prefix)
            if AtomicFile.isTemporaryName(prefix) { continue }
            guard Self.entryType(folder) == S_IFDIR else {
                problems.append(StoreProblem(.damage, path: relative(folder), "not an attachment folder"))
                continue
            }
            problems += debris(in: folder, now: now)
            for name in Self.names(in: folder) where !AtomicFile.isTemporaryName(name) {
                let file = folder.child(name)
                guard Self.isHash(name), name.hasPrefix(prefix), Self.entryType(file) == S_IFREG else {
                    problems.append(StoreProblem(.damage, path: relative(file), "not an attachment blob (expected a regular file named by its SHA-256)"))
                    continue
                }
                present.insert(name)
                if referenced[name] == nil {
                    if age(of: file, now: now) >= Self.debrisAge {
                        problems.append(StoreProblem(.debris, path: relative(file), "orphaned attachment: no portfolio refers to it"))
                    }
                    continue
                }
                if let data = try? attachmentData(sha256: name), SHA256.hash(data: data).map({ String(format: "%02x", $0) }).joined() != name {
                    problems.append(StoreProblem(.damage, path: relative(file), "content does not match its SHA-256 name (altered or corrupted)"))
                }
            }
        }
        for (hash, users) in referenced.sorted(by: { $0.key < $1.key }) where !present.contains(hash) {
            problems.append(
                StoreProblem(.damage, path: relative(blobFile(hash)), "missing: referenced by \(users.sorted().joined(separator: "; "))"))
        }

        // Moderation plans and the users file.
        problems += debris(in: moderationDirectory, now: now)
        for name in Self.names(in: moderationDirectory) where !name.hasPrefix(".") {
            let file = moderationDirectory.child(name)
            guard name.hasSuffix(".xml"), Identifier.isValid(String(name.dropLast(4))) else {
                problems.append(StoreProblem(.damage, path: relative(file), "not a moderation plan file"))
                continue
            }
            do { _ = try plan(String(name.dropLast(4))) } catch {
                problems.append(StoreProblem(.damage, path: relative(file), error.message))
            }
        }
        let users = root.child("users.xml")
        if Self.entryType(users) != nil {
            do {
                let directory = try UserDirectory(root: root, schemaDirectory: schemas.directory)
                _ = try directory.users()
            } catch {
                problems.append(StoreProblem(.damage, path: "users.xml", error.message))
            }
        }
        if Self.entryType(root.child("links.xml")) != nil {
            do {
                _ = try OneTimeLinkDirectory(root: root, schemaDirectory: schemas.directory).links()
            } catch {
                problems.append(StoreProblem(.damage, path: "links.xml", error.message))
            }
        }
        var seen = Set<StoreProblem>()
        return problems.filter { seen.insert($0).inserted }.sorted { ($0.kind == .damage ? 0 : 1, $0.path) < ($1.kind == .damage ? 0 : 1, $1.path) }
    }

    /// Removes the debris among `problems` (never a portfolio or any other document); returns
    /// what it removed.
    public func repair(_ problems: [StoreProblem]) -> [StoreProblem] {
        var removed: [StoreProblem] = []
        for problem in problems where problem.kind == .debris {
            let url = root.child(problem.path)
            // Checked again at removal time: a lock someone took since, or a blob a change has
            // just referred to, stays.
            if url.lastPathComponent.hasSuffix(".lock") && FileLock.isHeld(url.path) { continue }
            guard Self.entryType(url) == S_IFREG, unlink(url.path) == 0 else { continue }
            removed.append(problem)
        }
        return removed
    }

    /// Temporary files old enough that no live writer owns them, and lock files nobody holds
    /// (left by versions that kept a lock file beside each portfolio).
    private func debris(in folder: URL, now: Date) -> [StoreProblem] {
        var found: [StoreProblem] = []
        for name in Self.names(in: folder) {
            let file = folder.child(name)
            guard Self.entryType(file) == S_IFREG else { continue }
            if AtomicFile.isTemporaryName(name), age(of: file, now: now) >= Self.debrisAge {
                found.append(StoreProblem(.debris, path: relative(file), "temporary file left by a write that did not finish"))
            } else if name.hasSuffix(".lock"), !FileLock.isHeld(file.path) {
                found.append(StoreProblem(.debris, path: relative(file), "lock file that nobody holds"))
            }
        }
        return found
    }

    private func age(of file: URL, now: Date) -> TimeInterval {
        var info = stat()
        guard lstat(file.path, &info) == 0 else { return 0 }
        return now.timeIntervalSince1970 - TimeInterval(info.st_mtim.tv_sec)
    }
}
