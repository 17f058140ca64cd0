import Foundation
import SencoCore
import SencoData

#if canImport(Glibc)
    import Glibc
#endif

/// Summaries beside portfolios: `STORE/cohorts/C/summaries/P.xml`, rewritten after every write
/// of `P`'s portfolio. A list of a cohort reads these (a few hundred bytes each) instead of every
/// portfolio. The portfolio stays the truth: a summary is used only when it names the revision
/// the portfolio file holds now; a crash between the two writes, a summary of another
/// framework's counts or a missing one means the summary is made again from the portfolio.
extension DirectoryStore {
    func summaryFile(_ participantID: String, cohort: String) throws(StoreError) -> URL {
        try cohortDirectory(cohort).child("summaries").child("\(try checkedID(participantID)).xml")
    }

    private func checkedID(_ id: String) throws(StoreError) -> String {
        if let problem = Identifier.problem(with: id, what: "participant") { throw StoreError(.invalidID, problem) }
        return id
    }

    /// Writes `portfolio`'s summary after its portfolio has been written. Best effort: the
    /// portfolio is already stored, and a summary that could not be written is made again the
    /// next time it is read.
    func keepSummary(of portfolio: Portfolio) {
        guard let framework = summaryFramework else { return }
        write(PortfolioSummary(portfolio: portfolio, framework: framework, rules: schemas.rules))
    }

    private func write(_ summary: PortfolioSummary) {
        guard let file = try? summaryFile(summary.id, cohort: summary.participant.cohort),
            let data = try? PortfolioCodec.encode(summary)
        else { return }
        let folder = file.deletingLastPathComponent()
        if Self.entryType(folder) == nil { mkdir(folder.path, 0o755) }
        try? AtomicFile.write(data, to: file)
    }

    /// Every participant's summary in the cohort, in participant order, against `framework`: the
    /// stored summary where it is of the portfolio's current revision, otherwise one made from
    /// the portfolio (and stored for next time). Entries that cannot be used are reported, as by
    /// `mapPortfolios`.
    public func mapSummaries(inCohort id: String, framework: Framework) throws(StoreError) -> CohortScan<PortfolioSummary> {
        if let kept = cohortSnapshots.scan(cohort: id, framework: framework.id) { return kept }
        let wallClock = CohortSnapshots.wallClockNow()
        let stamps = try folderStamps(forCohort: id)
        let scan = try scanSummaries(inCohort: id, framework: framework)
        guard let stamps else { return scan }
        return cohortSnapshots.keep(scan, cohort: id, framework: framework.id, stamps: stamps, wallClock: wallClock)
    }

    /// The folders a scan of `cohort` depends on (see `CohortSnapshots`), or nil if one of them
    /// is not a folder (a scan is then made every time, and reports what is wrong).
    private func folderStamps(forCohort id: String) throws(StoreError) -> [CohortSnapshots.FolderStamp]? {
        var stamps: [CohortSnapshots.FolderStamp] = []
        guard let cohorts = CohortSnapshots.FolderStamp(path: cohortsDirectory.path),
            let own = CohortSnapshots.FolderStamp(path: try cohortDirectory(id).path),
            let portfolios = CohortSnapshots.FolderStamp(path: try cohortDirectory(id).child("portfolios").path)
        else { return nil }
        stamps += [cohorts, own, portfolios]
        for other in Self.names(in: cohortsDirectory) where other != id && Identifier.isValid(other) {
            let folder = cohortsDirectory.child(other)
            if let stamp = CohortSnapshots.FolderStamp(path: folder.path) { stamps.append(stamp) }
            if let stamp = CohortSnapshots.FolderStamp(path: folder.child("portfolios").path) { stamps.append(stamp) }
        }
        return stamps
    }

    private func scanSummaries(inCohort id: String, framework: Framework) throws(StoreError) -> CohortScan<PortfolioSummary> {
        _ = try cohort(id)
        let (files, entryProblems) = try portfolioEntries(inCohort: id)
        let rules = schemas.rules
        let cache = summaryCache
        let results = concurrentMap(files) { (entry) -> Result<PortfolioSummary, StoreProblem> in
            do throws(StoreError) {
                // Taken (when the folder was listed) before reading, so a write that lands
                // meanwhile leaves a stale identity that the next read does not trust.
                let identity = entry.identity
                let key = "\(id)/\(entry.participant)"
                if let identity, let known = cache.summary(forPortfolio: key, identity: identity, framework: framework.id) {
                    return .success(known)
                }
                let summary: PortfolioSummary
                if let stored = storedSummary(entry.participant, file: entry.file, cohort: id, framework: framework) {
                    summary = stored
                } else {
                    let portfolio = try readFiled(entry.file, participant: entry.participant, cohort: id)
                    summary = PortfolioSummary(portfolio: portfolio, framework: framework, rules: rules)
                    write(summary)
                }
                if let identity, identity.isSettled(within: cohortSnapshots.racyWindow),
                    SummaryCache.FileIdentity(path: entry.file.path) == identity
                {
                    cache.keep(summary, forPortfolio: key, identity: identity, framework: framework.id)
                }
                return .success(summary)
            } catch {
                return .failure(StoreProblem(.damage, path: relative(entry.file), error.message))
            }
        }
        return CohortScan(results: results, entryProblems: entryProblems)
    }

    /// The stored summary, if it is of the portfolio's current revision, for this participant
    /// and cohort, and against this framework's sections; otherwise nil.
    func storedSummary(_ participant: String, file: URL, cohort: String, framework: Framework) -> PortfolioSummary? {
        guard let revision = Self.revision(ofPortfolioAt: file),
            let summaryURL = try? summaryFile(participant, cohort: cohort), Self.entryType(summaryURL) == S_IFREG,
            let data = try? readSummaryBytes(summaryURL),
            let summary = try? schemas.readSummary(data, source: relative(summaryURL)),
            summary.revision == revision, summary.participant.id == participant, summary.participant.cohort == cohort,
            summary.sections.map(\.number) == framework.npqSections.map(\.number),
            summary.total.total == framework.statements.count
        else { return nil }
        return summary
    }

    private func readSummaryBytes(_ file: URL) throws(StoreError) -> Data {
        let fd = open(file.path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw StoreError(.io, "cannot read \(relative(file))") }
        defer { close(fd) }
        return try RegularFile.readAll(fd: fd, limit: 1024 * 1024, name: relative(file))
    }

    /// The `revision` attribute of a portfolio file's root element, read from its first bytes
    /// without parsing the document (the writer puts it first).
    static func revision(ofPortfolioAt file: URL) -> Int? {
        let fd = open(file.path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let head = buffer[0..<count]
        guard let root = Self.end(of: "<portfolio ", in: head),
            let attribute = Self.end(of: " revision=\"", in: head[(root - 1)...])
        else { return nil }
        let digits = head[attribute...].prefix { (48...57).contains($0) }
        guard !digits.isEmpty, digits.count < 10, head[attribute...].dropFirst(digits.count).first == UInt8(ascii: "\"") else {
            return nil
        }
        // A file cut short (a bad copy, a full disk outside senco's own writes) keeps its first
        // bytes; its last bytes show it. Such a file gets no summary, so lists name it.
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size > 0 else { return nil }
        var tail = [UInt8](repeating: 0, count: 64)
        let offset = max(0, off_t(info.st_size) - off_t(tail.count))
        let read = tail.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, offset) }
        guard read > 0 else { return nil }
        let end = tail[0..<read].reversed().drop { $0 == 10 || $0 == 13 || $0 == 32 || $0 == 9 }
        guard Array(end.prefix(12).reversed()) == Array("</portfolio>".utf8) else { return nil }
        return Int(String(decoding: digits, as: UTF8.self))
    }

    /// Where `needle` ends in `haystack`, first match (a plain byte search: the generic
    /// `firstRange(of:)` was a tenth of a 5,000-participant report).
    static func end(of needle: StaticString, in haystack: ArraySlice<UInt8>) -> Int? {
        let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        guard let first = pattern.first, haystack.count >= pattern.count else { return nil }
        var index = haystack.startIndex
        let last = haystack.endIndex - pattern.count
        while index <= last {
            if haystack[index] == first {
                var matched = true
                for offset in 1..<pattern.count where haystack[index + offset] != pattern[offset] {
                    matched = false
                    break
                }
                if matched { return index + pattern.count }
            }
            index += 1
        }
        return nil
    }

    /// Summaries no portfolio has, or of another revision than their portfolio's, for `check`.
    func summaryDebris(inCohort id: String) -> [StoreProblem] {
        guard let folder = try? cohortDirectory(id).child("summaries") else { return [] }
        var found: [StoreProblem] = []
        for name in Self.names(in: folder) where !AtomicFile.isTemporaryName(name) {
            let file = folder.child(name)
            guard Self.entryType(file) == S_IFREG, name.hasSuffix(".xml") else {
                found.append(StoreProblem(.damage, path: relative(file), "not a summary file"))
                continue
            }
            let participant = String(name.dropLast(4))
            guard let portfolio = try? portfolioFile(participant, cohort: id), Self.entryType(portfolio) == S_IFREG else {
                found.append(StoreProblem(.debris, path: relative(file), "summary of a portfolio that is not in this cohort"))
                continue
            }
            let current = Self.revision(ofPortfolioAt: portfolio)
            let summary = (try? readSummaryBytes(file)).flatMap { try? schemas.readSummary($0, source: relative(file)) }
            if summary == nil || summary?.revision != current {
                found.append(
                    StoreProblem(.debris, path: relative(file), "summary out of date (it is made again from the portfolio when read)"))
            }
        }
        return found
    }
}
