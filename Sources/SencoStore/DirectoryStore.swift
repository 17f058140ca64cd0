import Crypto
import Foundation
import SencoCore
import SencoData
import SencoXML

#if canImport(Glibc)
    import Glibc
#endif

/// The built-in store: a directory of XML files.
///
///     STORE/cohorts/<cohort>/cohort.xml
///     STORE/cohorts/<cohort>/portfolios/<participant>.xml
///     STORE/attachments/sha256/<ab>/<sha256>
///     STORE/moderation/<plan>.xml
///     STORE/users.xml
///     STORE/links.xml   (one-time links: token hashes only)
///
/// Every write is crash-safe (`AtomicFile`), one writer per portfolio holds the lock on its file
/// (`FileLock`), and every update names the revision it read. Each document is schema-checked
/// before it is written, so the store never holds a file its own reader would refuse. Every
/// change is checked completely before the first byte is written; a refused change leaves no
/// file, blob, lock or directory behind.
public struct DirectoryStore: PortfolioRepository {
    public static let environmentKey = "SENCO_STORE"
    public static let defaultAttachmentLimit = 20 * 1024 * 1024
    /// The largest document the store reads (the XML reader's own cap).
    static let documentLimit = 32 * 1024 * 1024

    public let root: URL
    public let schemas: PortfolioSchemas
    public let attachmentLimit: Int
    /// The framework summaries are made against (the NPQ). Without one, writes keep no summary
    /// and `mapSummaries` makes each from its portfolio (and keeps it for next time).
    public let summaryFramework: Framework?
    /// Shared by every copy of this value: what this process already knows of the summaries.
    let summaryCache = SummaryCache()
    /// Shared likewise: each cohort's list of summaries as last made (`CohortSnapshots`).
    let cohortSnapshots: CohortSnapshots
    /// Shared likewise: portfolios recently read, by the identity of the file they came from.
    let portfolioCache = PortfolioCache<SummaryCache.FileIdentity>()

    public init(
        root: URL, schemas: PortfolioSchemas, attachmentLimit: Int = DirectoryStore.defaultAttachmentLimit,
        summaryFramework: Framework? = nil
    ) {
        self.init(
            root: root, schemas: schemas, attachmentLimit: attachmentLimit, summaryFramework: summaryFramework,
            cohortSnapshots: CohortSnapshots())
    }

    init(
        root: URL, schemas: PortfolioSchemas, attachmentLimit: Int = DirectoryStore.defaultAttachmentLimit,
        summaryFramework: Framework? = nil, cohortSnapshots: CohortSnapshots
    ) {
        self.root = root.standardizedFileURL
        self.schemas = schemas
        self.attachmentLimit = attachmentLimit
        self.summaryFramework = summaryFramework
        self.cohortSnapshots = cohortSnapshots
    }

    public var location: String { root.path }
    public var directory: URL? { root }

    /// `--store`, else `$SENCO_STORE`, else `~/.local/share/senco` (or `$XDG_DATA_HOME/senco`).
    public static func location(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let explicit, !explicit.isEmpty { return URL(fileURLWithPath: explicit) }
        if let path = environment[environmentKey], !path.isEmpty { return URL(fileURLWithPath: path) }
        if let data = environment["XDG_DATA_HOME"], !data.isEmpty {
            return URL(fileURLWithPath: data).child("senco")
        }
        return FileManager.default.homeDirectoryForCurrentUser.child(".local/share/senco")
    }

    // MARK: Paths (every id is checked before it becomes part of one)

    var cohortsDirectory: URL { root.child("cohorts") }

    func cohortDirectory(_ id: String) throws(StoreError) -> URL {
        try checked(id, what: "cohort")
        return cohortsDirectory.child(id)
    }

    func portfolioFile(_ participantID: String, cohort: String) throws(StoreError) -> URL {
        try checked(participantID, what: "participant")
        return try cohortDirectory(cohort).child("portfolios").child("\(participantID).xml")
    }

    /// `url`'s path inside the store, as problems and messages name it.
    func relative(_ url: URL) -> String {
        let path = url.standardizedFileURL.path
        let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    private func checked(_ id: String, what: String) throws(StoreError) {
        if let problem = Identifier.problem(with: id, what: what) { throw StoreError(.invalidID, problem) }
    }

    static func names(in directory: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
    }

    /// The kind of entry at `url`, without following a symbolic link.
    static func entryType(_ url: URL) -> mode_t? {
        var info = stat()
        guard lstat(url.path, &info) == 0 else { return nil }
        return info.st_mode & S_IFMT
    }

    // MARK: Cohorts

    public func cohorts() throws(StoreError) -> [Cohort] {
        scanCohorts().values
    }

    /// The cohorts that read, and a problem for each cohort folder that does not.
    public func scanCohorts() -> CohortScan<Cohort> {
        var values: [Cohort] = []
        var problems: [StoreProblem] = []
        for name in Self.names(in: cohortsDirectory) where !AtomicFile.isTemporaryName(name) {
            let folder = cohortsDirectory.child(name)
            guard Identifier.isValid(name) else {
                problems.append(StoreProblem(.damage, path: relative(folder), "not a cohort folder: the name is not a valid cohort id"))
                continue
            }
            guard Self.entryType(folder) == S_IFDIR else {
                problems.append(StoreProblem(.damage, path: relative(folder), "not a directory (a cohort is a folder)"))
                continue
            }
            let file = folder.child("cohort.xml")
            do {
                let cohort = try readCohort(file)
                if cohort.id != name {
                    problems.append(StoreProblem(.damage, path: relative(file), "describes cohort \(cohort.id.quotedForMessage()), not \(name)"))
                } else {
                    values.append(cohort)
                }
            } catch {
                problems.append(StoreProblem(.damage, path: relative(file), error.message))
            }
        }
        return CohortScan(values: values, problems: problems)
    }

    public func cohort(_ id: String) throws(StoreError) -> Cohort {
        let file = try cohortDirectory(id).child("cohort.xml")
        guard FileManager.default.fileExists(atPath: file.path) else {
            let known = Self.names(in: cohortsDirectory).filter(Identifier.isValid)
            throw StoreError(.notFound, "no cohort \(id.quotedForMessage()) in the store \(root.path)\(Suggestions.phrase(for: id, among: known))")
        }
        return try readCohort(file)
    }

    public func createCohort(_ cohort: Cohort) throws(StoreError) {
        let directory = try cohortDirectory(cohort.id)
        for tutor in cohort.tutors { try checked(tutor.id, what: "tutor") }
        let file = directory.child("cohort.xml")
        if FileManager.default.fileExists(atPath: directory.path) {
            throw StoreError(.alreadyExists, "cohort \(cohort.id.quotedForMessage()) already exists")
        }
        let data = try encodeChecked { try PortfolioCodec.encode(cohort) } schema: { schemas.cohort }
        // Everything is checked; only now does the store gain folders, and it loses them again
        // if the cohort file cannot be written.
        var created: [URL] = []
        for folder in [root, cohortsDirectory, directory, directory.child("portfolios")]
        where !FileManager.default.fileExists(atPath: folder.path) {
            guard mkdir(folder.path, 0o755) == 0 || errno == EEXIST else {
                for made in created.reversed() { rmdir(made.path) }
                throw StoreError(.io, "cannot create directory \(folder.path): \(AtomicFile.errnoText())")
            }
            created.append(folder)
        }
        do {
            try AtomicFile.create(data, at: file, what: "cohort \(cohort.id.quotedForMessage())")
        } catch {
            for made in created.reversed() { rmdir(made.path) }
            throw error
        }
        AtomicFile.syncDirectory(cohortsDirectory)
    }

    /// Replaces a cohort's details (title, provider, tutors); used when tutors change.
    public func saveCohort(_ cohort: Cohort) throws(StoreError) {
        let file = try cohortDirectory(cohort.id).child("cohort.xml")
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw StoreError(.notFound, "no cohort \(cohort.id.quotedForMessage())")
        }
        let data = try encodeChecked { try PortfolioCodec.encode(cohort) } schema: { schemas.cohort }
        try AtomicFile.write(data, to: file)
    }

    private func readCohort(_ file: URL) throws(StoreError) -> Cohort {
        let data = try readDocument(file)
        do { return try schemas.readCohort(data, source: relative(file)) } catch {
            throw StoreError(.invalidData, error.findings.first?.description ?? "\(relative(file)) is not a valid cohort file")
        }
    }

    // MARK: Portfolios

    /// Every portfolio in the cohort, read on all cores; fails on the first entry that cannot be
    /// used. For lists and reports, use `mapPortfolios`, which carries on past a bad entry.
    public func portfolios(inCohort id: String) throws(StoreError) -> [Portfolio] {
        try mapPortfolios(inCohort: id) { $0 }.requireComplete()
    }

    /// `transform` of every portfolio in the cohort, in participant order, read on all cores and
    /// each portfolio dropped once transformed: a cohort report needs one row per participant, not
    /// the whole cohort in memory (which also makes reading it slower as the cohort grows). An
    /// entry that cannot be used (unreadable, misfiled, stored twice, a link or not a file) is
    /// reported in `problems` and the rest are read.
    public func mapPortfolios<Value: Sendable>(
        inCohort id: String, _ transform: @Sendable @escaping (Portfolio) -> Value
    ) throws(StoreError) -> CohortScan<Value> {
        _ = try cohort(id)
        let (files, entryProblems) = try portfolioEntries(inCohort: id)
        let results = concurrentMap(files) { (entry) -> Result<Value, StoreProblem> in
            do throws(StoreError) {
                return .success(transform(try readFiled(entry.file, participant: entry.participant, cohort: id)))
            } catch {
                return .failure(StoreProblem(.damage, path: relative(entry.file), error.message))
            }
        }
        return CohortScan(results: results, entryProblems: entryProblems)
    }

    /// The participant ids in a cohort, without reading their portfolios.
    public func participantIDs(inCohort id: String) throws(StoreError) -> [String] {
        try portfolioEntries(inCohort: id).files.map(\.participant)
    }

    /// The usable-looking portfolio files of a cohort, and a problem for every entry that is not
    /// one: a link, a folder, a name that is not a participant id, a participant whose file is
    /// also in another cohort. Temporary and lock files are left to `store check`.
    func portfolioEntries(inCohort id: String) throws(StoreError) -> (files: [PortfolioEntry], problems: [StoreProblem]) {
        let directory = try cohortDirectory(id).child("portfolios")
        var files: [PortfolioEntry] = []
        var problems: [StoreProblem] = []
        var elsewhere: [String: [String]]?
        // One `fstatat` per entry, relative to the open folder: no path walk from the root for
        // each of 5,000 files, and the identity the summary cache needs comes with it.
        let folder = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { if folder >= 0 { close(folder) } }
        for name in Self.names(in: directory) where !name.hasPrefix(".") && !name.hasSuffix(".lock") {
            let participant = name.hasSuffix(".xml") ? String(name.dropLast(4)) : ""
            guard name.hasSuffix(".xml"), Identifier.isValid(participant) else {
                problems.append(StoreProblem(.damage, path: relative(directory.child(name)), "not a portfolio file (portfolios are named PARTICIPANT-ID.xml)"))
                continue
            }
            var info = stat()
            let found = folder >= 0 && fstatat(folder, name, &info, AT_SYMLINK_NOFOLLOW) == 0
            switch found ? info.st_mode & S_IFMT : 0 {
            case S_IFREG: break
            case S_IFLNK:
                problems.append(StoreProblem(.damage, path: relative(directory.child(name)), "is a symbolic link; senco reads only regular files in its store"))
                continue
            default:
                problems.append(StoreProblem(.damage, path: relative(directory.child(name)), "is not a regular file"))
                continue
            }
            if elsewhere == nil { elsewhere = otherCohortsHolding(excluding: id) }
            if let others = elsewhere?[participant] {
                let where_ = others.map { "cohorts/\($0)/portfolios/\(name)" }.joined(separator: ", ")
                problems.append(StoreProblem(.damage, path: relative(directory.child(name)), "participant \(participant) is stored twice (also \(where_))"))
                continue
            }
            files.append(PortfolioEntry(participant: participant, file: directory.child(name), identity: SummaryCache.FileIdentity(info)))
        }
        return (files, problems)
    }

    /// A portfolio file of a cohort, as listed: whose it is, where, and which file it was then.
    struct PortfolioEntry: Sendable {
        var participant: String
        var file: URL
        var identity: SummaryCache.FileIdentity?
    }

    /// Participant id → the other cohorts that hold a file of that name (names only; no reads).
    private func otherCohortsHolding(excluding cohort: String) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for other in Self.names(in: cohortsDirectory) where other != cohort && Identifier.isValid(other) {
            for name in Self.names(in: cohortsDirectory.child(other).child("portfolios"))
            where name.hasSuffix(".xml") && !name.hasPrefix(".") {
                result[String(name.dropLast(4)), default: []].append(other)
            }
        }
        return result
    }

    /// The file holding a participant's portfolio, whichever cohort it is in, refusing a link, a
    /// non-file and a participant stored in two cohorts.
    public func locate(_ participantID: String) throws(StoreError) -> URL {
        try locateWithCohort(participantID).file
    }

    func locateWithCohort(_ participantID: String) throws(StoreError) -> (file: URL, cohort: String) {
        try checked(participantID, what: "participant")
        var found: [(file: URL, cohort: String)] = []
        for cohort in Self.names(in: cohortsDirectory) where Identifier.isValid(cohort) {
            let file = try portfolioFile(participantID, cohort: cohort)
            if Self.entryType(file) != nil { found.append((file, cohort)) }
        }
        guard let first = found.first else {
            throw StoreError(
                .notFound,
                "no participant \(participantID.quotedForMessage()) in the store \(root.path)\(Suggestions.phrase(for: participantID, among: allParticipantIDs()))")
        }
        if found.count > 1 {
            throw StoreError(
                .invalidData,
                "participant \(participantID) is stored twice (\(found.map { relative($0.file) }.joined(separator: " and "))); run senco store check")
        }
        switch Self.entryType(first.file) {
        case S_IFREG: return first
        case S_IFLNK: throw StoreError(.invalidData, "\(relative(first.file)) is a symbolic link; senco reads only regular files in its store")
        default: throw StoreError(.invalidData, "\(relative(first.file)) is not a regular file")
        }
    }

    /// Every participant id in the store, from file names, ordered.
    public func allParticipantIDs() -> [String] {
        var ids: [String] = []
        for cohort in Self.names(in: cohortsDirectory) where Identifier.isValid(cohort) {
            for name in Self.names(in: cohortsDirectory.child(cohort).child("portfolios"))
            where name.hasSuffix(".xml") && !name.hasPrefix(".") {
                ids.append(String(name.dropLast(4)))
            }
        }
        return ids.sorted()
    }

    public func portfolio(_ participantID: String) throws(StoreError) -> Portfolio {
        let (file, cohort) = try locateWithCohort(participantID)
        let fd = open(file.path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return try readFiled(file, participant: participantID, cohort: cohort) }
        defer { close(fd) }
        // The identity of the file this descriptor reads, so a version kept from it is the
        // version read (a rename meanwhile makes a new file, not a new version of this one).
        var info = stat()
        guard fstat(fd, &info) == 0, let identity = SummaryCache.FileIdentity(info) else {
            return try readFiled(file, participant: participantID, cohort: cohort)
        }
        if let kept = portfolioCache.portfolio(participantID, version: identity), kept.participant.cohort == cohort {
            return kept
        }
        let data = try RegularFile.readAll(fd: fd, limit: Self.documentLimit, name: relative(file))
        let portfolio = try decodeFiled(data, file: file, participant: participantID, cohort: cohort)
        // A file changed in place within one tick of the file clock could keep its time and size:
        // kept only once its time is safely in the past (see `CohortSnapshots`).
        if identity.isSettled(within: cohortSnapshots.racyWindow) {
            portfolioCache.keep(portfolio, version: identity)
        }
        return portfolio
    }

    @discardableResult
    public func create(_ portfolio: Portfolio) throws(StoreError) -> Portfolio {
        let participant = portfolio.participant
        let cohort = try self.cohort(participant.cohort)
        try checked(participant.tutor, what: "tutor")
        if allParticipantIDs().contains(participant.id) {
            throw StoreError(.alreadyExists, "participant \(participant.id.quotedForMessage()) already exists")
        }
        let file = try portfolioFile(participant.id, cohort: cohort.id)
        var stored = portfolio
        stored.revision = 1
        let data = try encodeChecked { try PortfolioCodec.encode(stored) } schema: { schemas.portfolio }
        try AtomicFile.create(data, at: file, what: "participant \(participant.id.quotedForMessage())")
        keepSummary(of: stored)
        return stored
    }

    @discardableResult
    public func update(
        _ participantID: String, expectedRevision: Int, adding attachments: [StagedAttachment],
        _ change: (inout Portfolio) throws(StoreError) -> Void
    ) throws(StoreError) -> Portfolio {
        let (file, cohort) = try locateWithCohort(participantID)
        guard let lock = try FileLock.document(file.path) else {
            throw StoreError(
                .busy, "participant \"\(participantID)\"'s portfolio is being changed by someone else; try again")
        }
        defer { withExtendedLifetime(lock) {} }
        let current = try decodeFiled(
            try lock.contents(limit: Self.documentLimit, name: relative(file)), file: file, participant: participantID, cohort: cohort)
        guard current.revision == expectedRevision else {
            throw StoreError.stale(participantID, read: expectedRevision, now: current.revision)
        }
        var next = current
        try change(&next)
        next.revision = current.revision + 1
        let data = try encodeChecked { try PortfolioCodec.encode(next) } schema: { schemas.portfolio }
        try requireAttachments(of: next, besides: current, staged: attachments)
        let written = try writeBlobs(attachments, referencedBy: next)
        do {
            try AtomicFile.write(data, to: file)
        } catch {
            for blob in written { unlink(blob.path) }
            throw error
        }
        keepSummary(of: next)
        return next
    }

    /// Writes an imported portfolio as it is, refusing one that already exists, with the staged
    /// attachments it refers to that the store does not hold yet (a store being copied).
    @discardableResult
    public func importPortfolio(_ portfolio: Portfolio, adding attachments: [StagedAttachment]) throws(StoreError) -> Portfolio {
        _ = try cohort(portfolio.participant.cohort)
        if allParticipantIDs().contains(portfolio.participant.id) {
            throw StoreError(.alreadyExists, "participant \(portfolio.participant.id.quotedForMessage()) already exists; nothing imported")
        }
        let file = try portfolioFile(portfolio.participant.id, cohort: portfolio.participant.cohort)
        let data = try encodeChecked { try PortfolioCodec.encode(portfolio) } schema: { schemas.portfolio }
        try requireAttachments(of: portfolio, besides: nil, staged: attachments)
        let written = try writeBlobs(attachments, referencedBy: portfolio)
        do {
            try AtomicFile.create(data, at: file, what: "participant \(portfolio.participant.id.quotedForMessage())")
        } catch {
            for blob in written { unlink(blob.path) }
            throw error
        }
        keepSummary(of: portfolio)
        return portfolio
    }

    /// A stored portfolio, refusing one whose content says it belongs elsewhere: a copy filed
    /// under another participant's name or in another cohort's folder is not this participant's
    /// portfolio, and writing to it would fork their record.
    func readFiled(_ file: URL, participant: String, cohort: String) throws(StoreError) -> Portfolio {
        try decodeFiled(try readDocument(file), file: file, participant: participant, cohort: cohort)
    }

    private func decodeFiled(_ data: Data, file: URL, participant: String, cohort: String) throws(StoreError) -> Portfolio {
        let portfolio: Portfolio
        do { portfolio = try schemas.readPortfolio(data, source: relative(file)) } catch {
            throw StoreError(.invalidData, error.findings.first?.description ?? "\(relative(file)) is not a valid portfolio")
        }
        if portfolio.participant.id != participant {
            throw StoreError(
                .invalidData,
                "\(relative(file)) holds participant \(portfolio.participant.id.quotedForMessage()), not \(participant): misfiled; run senco store check")
        }
        if portfolio.participant.cohort != cohort {
            throw StoreError(
                .invalidData,
                "\(relative(file)) says it belongs to cohort \(portfolio.participant.cohort.quotedForMessage()), not \(cohort): misfiled; run senco store check")
        }
        return portfolio
    }

    private func readDocument(_ file: URL) throws(StoreError) -> Data {
        switch Self.entryType(file) {
        case nil: throw StoreError(.notFound, "\(relative(file)) does not exist")
        case S_IFREG: break
        case S_IFLNK: throw StoreError(.invalidData, "\(relative(file)) is a symbolic link; senco reads only regular files in its store")
        default: throw StoreError(.invalidData, "\(relative(file)) is not a regular file")
        }
        let fd = open(file.path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw StoreError(.io, "cannot read \(relative(file)): \(AtomicFile.errnoText())") }
        defer { close(fd) }
        return try RegularFile.readAll(fd: fd, limit: Self.documentLimit, name: relative(file))
    }

    private func encodeChecked(_ encode: () throws -> Data, schema: () -> XMLSchema) throws(StoreError) -> Data {
        try CheckedDocument.encode(encode, schema: schema())
    }

    // MARK: Moderation plans

    var moderationDirectory: URL { root.child("moderation") }

    /// Records a plan; plans are never overwritten, so a sample cannot be quietly redrawn.
    public func savePlan(_ plan: ModerationPlan) throws(StoreError) {
        try checked(plan.id, what: "plan")
        let file = moderationDirectory.child("\(plan.id).xml")
        if FileManager.default.fileExists(atPath: file.path) {
            throw StoreError(.alreadyExists, "moderation plan \(plan.id.quotedForMessage()) already exists; choose another id")
        }
        let data = try encodeChecked { try PortfolioCodec.encode(plan) } schema: { schemas.moderationPlan }
        let madeFolder = !FileManager.default.fileExists(atPath: moderationDirectory.path)
        if madeFolder && mkdir(moderationDirectory.path, 0o755) != 0 && errno != EEXIST {
            throw StoreError(.io, "cannot create directory \(moderationDirectory.path): \(AtomicFile.errnoText())")
        }
        do {
            try AtomicFile.create(data, at: file, what: "moderation plan \(plan.id.quotedForMessage())")
        } catch {
            if madeFolder { rmdir(moderationDirectory.path) }
            throw error
        }
    }

    public func plan(_ id: String) throws(StoreError) -> ModerationPlan {
        try checked(id, what: "plan")
        let file = moderationDirectory.child("\(id).xml")
        guard FileManager.default.fileExists(atPath: file.path) else {
            let known = Self.names(in: moderationDirectory).filter { $0.hasSuffix(".xml") }.map { String($0.dropLast(4)) }
            throw StoreError(.notFound, "no moderation plan \(id.quotedForMessage()) in the store\(Suggestions.phrase(for: id, among: known))")
        }
        let data = try readDocument(file)
        do { return try schemas.readPlan(data, source: relative(file)) } catch {
            throw StoreError(.invalidData, error.findings.first?.description ?? "\(relative(file)) is not a valid plan")
        }
    }

    public func plans() throws(StoreError) -> [ModerationPlan] {
        try Self.names(in: moderationDirectory).filter { $0.hasSuffix(".xml") && !$0.hasPrefix(".") }.map { (name) throws(StoreError) in
            try plan(String(name.dropLast(4)))
        }
    }

    // MARK: Attachments

    var attachmentsDirectory: URL { root.child("attachments/sha256") }

    func blobFile(_ sha256: String) -> URL {
        attachmentsDirectory.child(String(sha256.prefix(2))).child(sha256)
    }

    /// Reads and checks a file to attach (a regular file, within the limit); nothing is stored.
    public func stageAttachment(from url: URL) throws(StoreError) -> StagedAttachment {
        let data = try RegularFile.read(url.path, limit: attachmentLimit, what: "attachment")
        return try stageAttachment(data: data, name: url.lastPathComponent)
    }

    /// Checks uploaded bytes to attach (name, size); nothing is stored.
    public func stageAttachment(data: Data, name: String) throws(StoreError) -> StagedAttachment {
        try StagedAttachment.checked(data: data, name: name, limit: attachmentLimit)
    }

    /// Refuses a portfolio that names an attachment the store does not hold and the change does
    /// not bring (only attachments new since `previous` are checked; they are few).
    private func requireAttachments(of portfolio: Portfolio, besides previous: Portfolio?, staged: [StagedAttachment]) throws(StoreError) {
        let before = Set(previous?.evidence.flatMap { $0.attachments.map(\.sha256) } ?? [])
        let bringing = Set(staged.map(\.attachment.sha256))
        for item in portfolio.evidence {
            for attachment in item.attachments where !before.contains(attachment.sha256) && !bringing.contains(attachment.sha256) {
                guard Self.isHash(attachment.sha256), Self.entryType(blobFile(attachment.sha256)) == S_IFREG else {
                    throw StoreError(
                        .invalidInput,
                        "evidence \(item.id) names attachment \(attachment.name.quotedForMessage()) (sha256 \(attachment.sha256.prefix(12))…), which the store does not hold")
                }
            }
        }
    }

    /// Stores the staged blobs the new revision refers to and does not have yet; returns the
    /// files it created, so a failed document write can take them back.
    private func writeBlobs(_ staged: [StagedAttachment], referencedBy portfolio: Portfolio) throws(StoreError) -> [URL] {
        let referenced = Set(portfolio.evidence.flatMap { $0.attachments.map(\.sha256) })
        var created: [URL] = []
        var createdFolders: [URL] = []
        func undo() {
            for file in created { unlink(file.path) }
            for folder in createdFolders.reversed() { rmdir(folder.path) }
        }
        for blob in staged where referenced.contains(blob.attachment.sha256) {
            let file = blobFile(blob.attachment.sha256)
            if Self.entryType(file) != nil { continue }
            let folders = [root.child("attachments"), attachmentsDirectory, file.deletingLastPathComponent()]
            for folder in folders where Self.entryType(folder) == nil {
                guard mkdir(folder.path, 0o755) == 0 || errno == EEXIST else {
                    undo()
                    throw StoreError(.io, "cannot create directory \(relative(folder)): \(AtomicFile.errnoText())")
                }
                createdFolders.append(folder)
            }
            do { try AtomicFile.create(blob.data, at: file, what: "attachment") } catch {
                if error.code == .alreadyExists { continue }  // the same bytes, stored by another writer
                undo()
                throw error
            }
            created.append(file)
        }
        return created
    }

    static func isHash(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// The SHA-256 of every attachment held, ordered (from the blob files' names).
    public func attachmentDigests() -> [String] {
        Self.names(in: attachmentsDirectory).filter { $0.count == 2 }.flatMap { prefix in
            Self.names(in: attachmentsDirectory.child(prefix)).filter { Self.isHash($0) && $0.hasPrefix(prefix) }
        }.sorted()
    }

    public func attachmentData(sha256: String) throws(StoreError) -> Data {
        guard Self.isHash(sha256) else {
            throw StoreError(.invalidID, "\(sha256.quotedForMessage(limit: 70)) is not a SHA-256 hash")
        }
        let file = blobFile(sha256)
        guard Self.entryType(file) == S_IFREG else { throw StoreError(.notFound, "no attachment with hash \(sha256)") }
        return try readDocument(file)
    }
}

extension StoreError {
    /// The one wording for a stale revision, wherever it is found.
    public static func stale(_ participantID: String, read: Int, now: Int) -> StoreError {
        StoreError(
            .staleRevision,
            "portfolio \"\(participantID)\" has changed since you read it (you read revision \(read); it is now at \(now)); reload and try again")
    }
}

enum MediaType {
    static func guess(for name: String) -> String {
        switch (name as NSString).pathExtension.lowercased() {
        case "pdf": "application/pdf"
        case "txt": "text/plain"
        case "md": "text/markdown"
        case "csv": "text/csv"
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        default: "application/octet-stream"
        }
    }
}
