import Crypto
import Foundation
import SencoCore
import SencoData
import SencoXML

/// The built-in store: a directory of XML files.
///
///     STORE/cohorts/<cohort>/cohort.xml
///     STORE/cohorts/<cohort>/portfolios/<participant>.xml   (+ <participant>.lock)
///     STORE/attachments/sha256/<ab>/<sha256>
///
/// Every write is crash-safe (`AtomicFile`), one writer per portfolio holds its lock, and every
/// update names the revision it read. Each document is schema-checked before it is written, so
/// the store never holds a file its own reader would refuse.
public struct DirectoryStore: PortfolioRepository {
    public static let environmentKey = "SENCO_STORE"
    public static let defaultAttachmentLimit = 20 * 1024 * 1024

    public let root: URL
    public let schemas: PortfolioSchemas
    public let attachmentLimit: Int

    public init(root: URL, schemas: PortfolioSchemas, attachmentLimit: Int = DirectoryStore.defaultAttachmentLimit) {
        self.root = root.standardizedFileURL
        self.schemas = schemas
        self.attachmentLimit = attachmentLimit
    }

    /// `--store`, else `$SENCO_STORE`, else `~/.local/share/senco` (or `$XDG_DATA_HOME/senco`).
    public static func location(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let explicit, !explicit.isEmpty { return URL(fileURLWithPath: explicit) }
        if let path = environment[environmentKey], !path.isEmpty { return URL(fileURLWithPath: path) }
        if let data = environment["XDG_DATA_HOME"], !data.isEmpty {
            return URL(fileURLWithPath: data).appendingPathComponent("senco")
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share/senco")
    }

    // MARK: Paths (every id is checked before it becomes part of one)

    var cohortsDirectory: URL { root.appendingPathComponent("cohorts") }

    func cohortDirectory(_ id: String) throws(StoreError) -> URL {
        try checked(id, what: "cohort")
        return cohortsDirectory.appendingPathComponent(id)
    }

    func portfolioFile(_ participantID: String, cohort: String) throws(StoreError) -> URL {
        try checked(participantID, what: "participant")
        return try cohortDirectory(cohort).appendingPathComponent("portfolios").appendingPathComponent("\(participantID).xml")
    }

    private func checked(_ id: String, what: String) throws(StoreError) {
        if let problem = Identifier.problem(with: id, what: what) { throw StoreError(.invalidID, problem) }
    }

    private func ensureDirectory(_ url: URL) throws(StoreError) {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw StoreError(.io, "cannot create directory \(url.path)")
        }
    }

    // MARK: Cohorts

    public func cohorts() throws(StoreError) -> [Cohort] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: cohortsDirectory.path)) ?? []
        var result: [Cohort] = []
        for name in names.sorted() where Identifier.isValid(name) {
            let file = cohortsDirectory.appendingPathComponent(name).appendingPathComponent("cohort.xml")
            if FileManager.default.fileExists(atPath: file.path) { result.append(try readCohort(file)) }
        }
        return result
    }

    public func cohort(_ id: String) throws(StoreError) -> Cohort {
        let file = try cohortDirectory(id).appendingPathComponent("cohort.xml")
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw StoreError(.notFound, "no cohort \"\(id)\" in the store \(root.path)")
        }
        return try readCohort(file)
    }

    public func createCohort(_ cohort: Cohort) throws(StoreError) {
        let directory = try cohortDirectory(cohort.id)
        for tutor in cohort.tutors { try checked(tutor.id, what: "tutor") }
        let file = directory.appendingPathComponent("cohort.xml")
        if FileManager.default.fileExists(atPath: file.path) {
            throw StoreError(.alreadyExists, "cohort \"\(cohort.id)\" already exists")
        }
        let data = try encodeChecked { try PortfolioCodec.encode(cohort) } schema: { schemas.cohort }
        try ensureDirectory(directory.appendingPathComponent("portfolios"))
        try AtomicFile.write(data, to: file)
        AtomicFile.syncDirectory(cohortsDirectory)
    }

    /// Replaces a cohort's details (title, provider, tutors); used when tutors change.
    public func saveCohort(_ cohort: Cohort) throws(StoreError) {
        let file = try cohortDirectory(cohort.id).appendingPathComponent("cohort.xml")
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw StoreError(.notFound, "no cohort \"\(cohort.id)\"")
        }
        let data = try encodeChecked { try PortfolioCodec.encode(cohort) } schema: { schemas.cohort }
        try AtomicFile.write(data, to: file)
    }

    private func readCohort(_ file: URL) throws(StoreError) -> Cohort {
        let data = try readFile(file)
        do { return try schemas.readCohort(data, source: file.path) } catch {
            throw StoreError(.invalidData, error.findings.first?.description ?? "invalid cohort file \(file.path)")
        }
    }

    // MARK: Portfolios

    /// Every portfolio in the cohort, read on all cores (see `concurrentMap`).
    public func portfolios(inCohort id: String) throws(StoreError) -> [Portfolio] {
        _ = try cohort(id)
        let files = try participantIDs(inCohort: id).map { (participant) throws(StoreError) in
            try portfolioFile(participant, cohort: id)
        }
        return try concurrentMap(files) { (file) throws(StoreError) in try readPortfolio(file) }
    }

    /// `transform` of every portfolio in the cohort, in participant order, read on all cores and
    /// each portfolio dropped once transformed: a cohort report needs one row per participant, not
    /// the whole cohort in memory (which also makes reading it slower as the cohort grows).
    public func mapPortfolios<Value: Sendable>(
        inCohort id: String, _ transform: @Sendable @escaping (Portfolio) -> Value
    ) throws(StoreError) -> [Value] {
        _ = try cohort(id)
        let files = try participantIDs(inCohort: id).map { (participant) throws(StoreError) in
            try portfolioFile(participant, cohort: id)
        }
        return try concurrentMap(files) { (file) throws(StoreError) in transform(try readPortfolio(file)) }
    }

    /// The participant ids in a cohort, without reading their portfolios.
    public func participantIDs(inCohort id: String) throws(StoreError) -> [String] {
        let directory = try cohortDirectory(id).appendingPathComponent("portfolios")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".xml") && !$0.hasPrefix(".") }
            .map { String($0.dropLast(4)) }
            .filter(Identifier.isValid)
            .sorted()
    }

    /// The file holding a participant's portfolio, whichever cohort it is in.
    public func locate(_ participantID: String) throws(StoreError) -> URL {
        try checked(participantID, what: "participant")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: cohortsDirectory.path)) ?? []
        for cohort in names.sorted() where Identifier.isValid(cohort) {
            let file = try portfolioFile(participantID, cohort: cohort)
            if FileManager.default.fileExists(atPath: file.path) { return file }
        }
        throw StoreError(.notFound, "no participant \"\(participantID)\" in the store \(root.path)")
    }

    public func portfolio(_ participantID: String) throws(StoreError) -> Portfolio {
        try readPortfolio(try locate(participantID))
    }

    @discardableResult
    public func create(_ portfolio: Portfolio) throws(StoreError) -> Portfolio {
        let participant = portfolio.participant
        let cohort = try self.cohort(participant.cohort)
        try checked(participant.tutor, what: "tutor")
        if (try? locate(participant.id)) != nil {
            throw StoreError(.alreadyExists, "participant \"\(participant.id)\" already exists")
        }
        let file = try portfolioFile(participant.id, cohort: cohort.id)
        guard let lock = try FileLock(path: lockPath(for: file)) else {
            throw StoreError(.busy, "participant \"\(participant.id)\" is being created by someone else; try again")
        }
        defer { withExtendedLifetime(lock) {} }
        if FileManager.default.fileExists(atPath: file.path) {
            throw StoreError(.alreadyExists, "participant \"\(participant.id)\" already exists")
        }
        var stored = portfolio
        stored.revision = 1
        let data = try encodeChecked { try PortfolioCodec.encode(stored) } schema: { schemas.portfolio }
        try AtomicFile.write(data, to: file)
        return stored
    }

    @discardableResult
    public func update(
        _ participantID: String, expectedRevision: Int, _ change: (inout Portfolio) throws(StoreError) -> Void
    ) throws(StoreError) -> Portfolio {
        let file = try locate(participantID)
        guard let lock = try FileLock(path: lockPath(for: file)) else {
            throw StoreError(
                .busy, "participant \"\(participantID)\"'s portfolio is being changed by someone else; try again")
        }
        defer { withExtendedLifetime(lock) {} }
        let current = try readPortfolio(file)
        guard current.revision == expectedRevision else {
            throw StoreError(
                .staleRevision,
                "portfolio \"\(participantID)\" has changed since it was read (revision \(expectedRevision), now \(current.revision)); reload and try again"
            )
        }
        var next = current
        try change(&next)
        next.revision = current.revision + 1
        let data = try encodeChecked { try PortfolioCodec.encode(next) } schema: { schemas.portfolio }
        try AtomicFile.write(data, to: file)
        return next
    }

    /// Writes an imported portfolio as it is, refusing one that already exists.
    public func importPortfolio(_ portfolio: Portfolio) throws(StoreError) -> Portfolio {
        _ = try cohort(portfolio.participant.cohort)
        if (try? locate(portfolio.participant.id)) != nil {
            throw StoreError(.alreadyExists, "participant \"\(portfolio.participant.id)\" already exists; nothing imported")
        }
        let file = try portfolioFile(portfolio.participant.id, cohort: portfolio.participant.cohort)
        guard let lock = try FileLock(path: lockPath(for: file)) else {
            throw StoreError(.busy, "participant \"\(portfolio.participant.id)\" is being changed; try again")
        }
        defer { withExtendedLifetime(lock) {} }
        let data = try encodeChecked { try PortfolioCodec.encode(portfolio) } schema: { schemas.portfolio }
        try AtomicFile.write(data, to: file)
        return portfolio
    }

    private func lockPath(for file: URL) -> String {
        file.deletingPathExtension().appendingPathExtension("lock").path
    }

    func readPortfolio(_ file: URL) throws(StoreError) -> Portfolio {
        let data = try readFile(file)
        do { return try schemas.readPortfolio(data, source: file.path) } catch {
            throw StoreError(.invalidData, error.findings.first?.description ?? "invalid portfolio file \(file.path)")
        }
    }

    private func readFile(_ file: URL) throws(StoreError) -> Data {
        do { return try Data(contentsOf: file) } catch {
            throw StoreError(.io, "cannot read \(file.path)")
        }
    }

    private func encodeChecked(_ encode: () throws -> Data, schema: () -> XMLSchema) throws(StoreError) -> Data {
        let data: Data
        do { data = try encode() } catch let error as XMLError {
            throw StoreError(.invalidInput, error.message)
        } catch {
            throw StoreError(.invalidInput, "\(error)")
        }
        let violations: [XMLError]
        do { violations = try schema().validate(data, source: "new revision") } catch {
            throw StoreError(.invalidInput, error.message)
        }
        if let first = violations.first {
            throw StoreError(.invalidInput, "refusing to store a document that fails its schema: \(first.message)")
        }
        return data
    }

    // MARK: Moderation plans

    var moderationDirectory: URL { root.appendingPathComponent("moderation") }

    /// Records a plan; plans are never overwritten, so a sample cannot be quietly redrawn.
    public func savePlan(_ plan: ModerationPlan) throws(StoreError) {
        try checked(plan.id, what: "plan")
        let file = moderationDirectory.appendingPathComponent("\(plan.id).xml")
        if FileManager.default.fileExists(atPath: file.path) {
            throw StoreError(.alreadyExists, "moderation plan \"\(plan.id)\" already exists; choose another id")
        }
        let data = try encodeChecked { try PortfolioCodec.encode(plan) } schema: { schemas.moderationPlan }
        try ensureDirectory(moderationDirectory)
        try AtomicFile.write(data, to: file)
    }

    public func plan(_ id: String) throws(StoreError) -> ModerationPlan {
        try checked(id, what: "plan")
        let file = moderationDirectory.appendingPathComponent("\(id).xml")
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw StoreError(.notFound, "no moderation plan \"\(id)\" in the store")
        }
        let data = try readFile(file)
        do { return try schemas.readPlan(data, source: file.path) } catch {
            throw StoreError(.invalidData, error.findings.first?.description ?? "invalid plan \(file.path)")
        }
    }

    public func plans() throws(StoreError) -> [ModerationPlan] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: moderationDirectory.path)) ?? []
        return try names.filter { $0.hasSuffix(".xml") && !$0.hasPrefix(".") }.sorted().map { (name) throws(StoreError) in
            try plan(String(name.dropLast(4)))
        }
    }

    // MARK: Attachments

    var attachmentsDirectory: URL { root.appendingPathComponent("attachments/sha256") }

    public func storeAttachment(from url: URL) throws(StoreError) -> Attachment {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw StoreError(.invalidInput, "attachment \(url.path) does not exist")
        }
        if isDirectory.boolValue {
            throw StoreError(.invalidInput, "attachment \(url.path) is a directory, not a file")
        }
        let size = ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.intValue ?? 0
        if size > attachmentLimit {
            throw StoreError(
                .invalidInput, "attachment \(url.lastPathComponent) is \(size) bytes; the limit is \(attachmentLimit) bytes")
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw StoreError(.invalidInput, "cannot read attachment \(url.path)")
        }
        return try storeAttachment(data: data, name: url.lastPathComponent)
    }

    public func storeAttachment(data: Data, name: String) throws(StoreError) -> Attachment {
        if data.count > attachmentLimit {
            throw StoreError(.invalidInput, "attachment \(name) is \(data.count) bytes; the limit is \(attachmentLimit) bytes")
        }
        let hash = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        let directory = attachmentsDirectory.appendingPathComponent(String(hash.prefix(2)))
        let file = directory.appendingPathComponent(hash)
        if !FileManager.default.fileExists(atPath: file.path) {
            try ensureDirectory(directory)
            try AtomicFile.write(data, to: file)
        }
        return Attachment(name: name, size: data.count, sha256: hash, mediaType: MediaType.guess(for: name))
    }

    public func attachmentData(sha256: String) throws(StoreError) -> Data {
        guard sha256.count == 64, sha256.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
            throw StoreError(.invalidID, "\"\(sha256.prefix(70))\" is not a SHA-256 hash")
        }
        let file = attachmentsDirectory.appendingPathComponent(String(sha256.prefix(2))).appendingPathComponent(sha256)
        do { return try Data(contentsOf: file) } catch {
            throw StoreError(.notFound, "no attachment with hash \(sha256)")
        }
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
