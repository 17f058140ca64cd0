import Foundation
import PostgresNIO
import SencoCore
import SencoData
import SencoStore

/// The store in PostgreSQL, for a provider that runs more than one server.
///
/// A portfolio is the same schema-checked XML document the directory store keeps, one row per
/// participant with its revision beside it; an update is a compare-and-set in one transaction
/// (the row read `FOR UPDATE`, the revision compared, the change applied and checked, the
/// attachments it brings, the row and its summary written), so a stale or refused change stores
/// nothing, and two servers changing one portfolio at once cannot both win. Errors and their
/// wording are the directory store's, so the web app and the command line answer alike on
/// either store; where the directory store names a file, this one names the row
/// (`portfolios/<participant>`).
///
/// Parsing and schema checks run on `OffloadedStore`'s thread pools, never on the threads that
/// run requests; the database I/O itself never blocks a thread.
public struct PostgresStore: AsyncPortfolioRepository {
    public let database: SencoDatabase
    public let schemas: PortfolioSchemas
    public let attachmentLimit: Int
    /// The framework summaries are made against (the NPQ). Without one, writes keep no summary
    /// and `mapSummaries` makes each from its portfolio (and keeps it for next time).
    public let summaryFramework: Framework?
    /// Shared by every copy of this value: the summaries this process has already read.
    let summaryCache = RevisionSummaryCache()
    /// Shared likewise: each cohort's list of summaries, with the generation it was made at.
    let cohortGenerations = CohortGenerations()
    /// Shared likewise: portfolios recently read, by the version of the row they came from.
    let portfolioCache = PortfolioCache<RowVersion>()

    public init(
        database: SencoDatabase, schemas: PortfolioSchemas, attachmentLimit: Int = DirectoryStore.defaultAttachmentLimit,
        summaryFramework: Framework? = nil
    ) {
        self.database = database
        self.schemas = schemas
        self.attachmentLimit = attachmentLimit
        self.summaryFramework = summaryFramework
    }

    public var location: String { database.location }

    static func checked(_ id: String, what: String) throws(StoreError) {
        if let problem = Identifier.problem(with: id, what: what) { throw StoreError(.invalidID, problem) }
    }

    static func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

    // MARK: Cohorts

    public func scanCohorts() async throws(StoreError) -> CohortScan<Cohort> {
        let rows = try await database.rows(#"SELECT id, document FROM cohorts ORDER BY id COLLATE "C""#)
        let schemas = self.schemas
        let stored = try decoded(rows, { try $0.decode((String, String).self) })
        let results = try await OffloadedStore.cohortWork(stored) { row -> Result<Cohort, StoreProblem> in
            let (id, document) = row
            let path = "cohorts/\(id)"
            do throws(StoreError) {
                let cohort = try Self.decodeCohort(document, source: path, schemas: schemas)
                guard cohort.id == id else {
                    return .failure(StoreProblem(.damage, path: path, "describes cohort \(cohort.id.quotedForMessage()), not \(id)"))
                }
                return .success(cohort)
            } catch {
                return .failure(StoreProblem(.damage, path: path, error.message))
            }
        }
        return CohortScan(values: results.compactMap { try? $0.get() }, problems: results.compactMap { $0.problem })
    }

    public func cohort(_ id: String) async throws(StoreError) -> Cohort {
        try Self.checked(id, what: "cohort")
        let rows = try await database.rows("SELECT document FROM cohorts WHERE id = \(id)")
        guard let document = try decoded(rows, { try $0.decode(String.self) }).first else {
            let known = try decoded(try await database.rows("SELECT id FROM cohorts"), { try $0.decode(String.self) })
            throw StoreError(.notFound, "no cohort \(id.quotedForMessage()) in the store \(location)\(Suggestions.phrase(for: id, among: known))")
        }
        let schemas = self.schemas
        return try await OffloadedStore.documentWork { () throws(StoreError) in
            try Self.decodeCohort(document, source: "cohorts/\(id)", schemas: schemas)
        }
    }

    public func createCohort(_ cohort: Cohort) async throws(StoreError) {
        try Self.checked(cohort.id, what: "cohort")
        for tutor in cohort.tutors { try Self.checked(tutor.id, what: "tutor") }
        let data = try await encodeChecked(cohort)
        let inserted = try await database.rows(
            "INSERT INTO cohorts (id, document) VALUES (\(cohort.id), \(Self.text(data))) ON CONFLICT (id) DO NOTHING RETURNING id")
        if inserted.isEmpty {
            throw StoreError(.alreadyExists, "cohort \(cohort.id.quotedForMessage()) already exists")
        }
    }

    public func saveCohort(_ cohort: Cohort) async throws(StoreError) {
        try Self.checked(cohort.id, what: "cohort")
        let data = try await encodeChecked(cohort)
        let updated = try await database.rows(
            "UPDATE cohorts SET document = \(Self.text(data)), updated = now() WHERE id = \(cohort.id) RETURNING id")
        if updated.isEmpty {
            throw StoreError(.notFound, "no cohort \(cohort.id.quotedForMessage())")
        }
    }

    private func encodeChecked(_ cohort: Cohort) async throws(StoreError) -> Data {
        let schema = schemas.cohort
        return try await OffloadedStore.documentWork { () throws(StoreError) in
            try CheckedDocument.encode({ try PortfolioCodec.encode(cohort) }, schema: schema)
        }
    }

    static func decodeCohort(_ document: String, source: String, schemas: PortfolioSchemas) throws(StoreError) -> Cohort {
        do { return try schemas.readCohort(Data(document.utf8), source: source) } catch {
            throw StoreError(.invalidData, error.findings.first?.description ?? "\(source) is not a valid cohort")
        }
    }

    // MARK: Portfolios

    public func participantIDs(inCohort id: String) async throws(StoreError) -> [String] {
        try Self.checked(id, what: "cohort")
        return try decoded(
            try await database.rows(#"SELECT participant FROM portfolios WHERE cohort = \#(id) ORDER BY participant COLLATE "C""#),
            { try $0.decode(String.self) })
    }

    public func allParticipantIDs() async throws(StoreError) -> [String] {
        try decoded(try await database.rows(#"SELECT participant FROM portfolios ORDER BY participant COLLATE "C""#), { try $0.decode(String.self) })
    }

    public func portfolio(_ participantID: String) async throws(StoreError) -> Portfolio {
        try Self.checked(participantID, what: "participant")
        // The row's version first (its revision, and `xmin`, which changes with every update of
        // the row, even one made with psql that leaves the revision alone): a portfolio this
        // process has already read at that version is not fetched and parsed again.
        let heads = try decoded(
            try await database.rows("SELECT cohort, revision, xmin::text FROM portfolios WHERE participant = \(participantID)"),
            { try $0.decode((String, Int, String).self) })
        guard let (cohort, revision, rowVersion) = heads.first else { throw try await notFound(participantID) }
        let version = RowVersion(revision: revision, transaction: rowVersion)
        if let kept = portfolioCache.portfolio(participantID, version: version), kept.participant.cohort == cohort { return kept }
        let rows = try await database.rows(
            "SELECT cohort, document, revision, xmin::text FROM portfolios WHERE participant = \(participantID)")
        guard let row = try decoded(rows, { try $0.decode((String, String, Int, String).self) }).first else {
            throw try await notFound(participantID)
        }
        let (currentCohort, document, currentRevision, currentRowVersion) = row
        let schemas = self.schemas
        let portfolio = try await OffloadedStore.documentWork { () throws(StoreError) in
            try Self.decodeFiled(document, participant: participantID, cohort: currentCohort, schemas: schemas)
        }
        portfolioCache.keep(portfolio, version: RowVersion(revision: currentRevision, transaction: currentRowVersion))
        return portfolio
    }

    /// What identifies the stored version of a portfolio row.
    struct RowVersion: Hashable, Sendable {
        var revision: Int
        var transaction: String
    }

    private func notFound(_ participantID: String) async throws(StoreError) -> StoreError {
        let known = try await allParticipantIDs()
        return StoreError(
            .notFound,
            "no participant \(participantID.quotedForMessage()) in the store \(location)\(Suggestions.phrase(for: participantID, among: known))")
    }

    @discardableResult
    public func create(_ portfolio: Portfolio) async throws(StoreError) -> Portfolio {
        let participant = portfolio.participant
        _ = try await cohort(participant.cohort)
        try Self.checked(participant.tutor, what: "tutor")
        try Self.checked(participant.id, what: "participant")
        var stored = portfolio
        stored.revision = 1
        try await insert(stored, refusal: "participant \(participant.id.quotedForMessage()) already exists")
        return stored
    }

    /// Stores a portfolio as it is (a store being copied), with the staged attachments it refers
    /// to, all in one transaction: a refused portfolio keeps none of them.
    @discardableResult
    public func importPortfolio(_ portfolio: Portfolio, adding attachments: [StagedAttachment]) async throws(StoreError) -> Portfolio {
        _ = try await cohort(portfolio.participant.cohort)
        try Self.checked(portfolio.participant.id, what: "participant")
        let referenced = Self.attachmentHashes(of: portfolio)
        try await insert(
            portfolio, refusal: "participant \(portfolio.participant.id.quotedForMessage()) already exists; nothing imported"
        ) { connection in
            let bringing = Set(attachments.map(\.attachment.sha256))
            try await Self.requireAttachments(of: portfolio, among: referenced.subtracting(bringing), on: connection)
            try await Self.writeAttachments(attachments, referencedBy: referenced, on: connection)
        }
        return portfolio
    }

    /// Writes a new portfolio and its summary in one transaction, refusing one already stored
    /// (in any cohort: the participant id is the key); `alongside` runs first in the same
    /// transaction.
    private func insert(
        _ portfolio: Portfolio, refusal: String, alongside: @escaping (PostgresConnection) async throws -> Void = { _ in }
    ) async throws(StoreError) {
        let (data, summary) = try await encoded(portfolio)
        let id = portfolio.participant.id
        try await database.transaction { connection in
            try await alongside(connection)
            let inserted = try await connection.rows(
                """
                INSERT INTO portfolios (participant, cohort, revision, document)
                VALUES (\(id), \(portfolio.participant.cohort), \(portfolio.revision), \(Self.text(data)))
                ON CONFLICT (participant) DO NOTHING RETURNING participant
                """)
            if inserted.isEmpty { throw StoreError(.alreadyExists, refusal) }
            if let summary { try await Self.writeSummary(summary, of: id, revision: portfolio.revision, on: connection) }
        }
    }

    /// Stores the staged blobs the portfolio refers to; the same bytes already held (from
    /// another portfolio, or another server at the same moment) are left as they are.
    static func writeAttachments(_ staged: [StagedAttachment], referencedBy referenced: Set<String>, on connection: PostgresConnection) async throws {
        for blob in staged where referenced.contains(blob.attachment.sha256) {
            try await connection.execute(
                """
                INSERT INTO attachments (sha256, content, size)
                VALUES (\(blob.attachment.sha256), \(blob.bytes), \(blob.bytes.count))
                ON CONFLICT (sha256) DO NOTHING
                """)
        }
    }

    /// The checked document and, if the store keeps summaries, the summary's document.
    private func encoded(_ portfolio: Portfolio) async throws(StoreError) -> (Data, Data?) {
        let schemas = self.schemas
        let framework = summaryFramework
        return try await OffloadedStore.documentWork { () throws(StoreError) in
            let data = try CheckedDocument.encode({ try PortfolioCodec.encode(portfolio) }, schema: schemas.portfolio)
            let summary = framework.flatMap {
                try? PortfolioCodec.encode(PortfolioSummary(portfolio: portfolio, framework: $0, rules: schemas.rules))
            }
            return (data, summary)
        }
    }

    @discardableResult
    public func update(
        _ participantID: String, expectedRevision: Int, adding attachments: [StagedAttachment],
        _ change: @escaping @Sendable (inout Portfolio) throws(StoreError) -> Void
    ) async throws(StoreError) -> Portfolio {
        try Self.checked(participantID, what: "participant")
        let schemas = self.schemas
        let framework = summaryFramework
        let outcome: Portfolio? = try await database.transaction { connection in
            let rows = try await connection.rows(
                "SELECT cohort, revision, document FROM portfolios WHERE participant = \(participantID) FOR UPDATE")
            guard let row = rows.first else { return nil }
            let (cohort, revision, document) = try row.decode((String, Int, String).self)
            let (current, next, data, summary) = try await OffloadedStore.documentWork { () throws(StoreError) in
                let current = try Self.decodeFiled(document, participant: participantID, cohort: cohort, schemas: schemas)
                guard current.revision == expectedRevision, revision == expectedRevision else {
                    throw StoreError.stale(participantID, read: expectedRevision, now: revision)
                }
                var next = current
                try change(&next)
                next.revision = current.revision + 1
                guard next.participant.id == participantID, next.participant.cohort == cohort else {
                    throw StoreError(.invalidInput, "a change cannot move participant \(participantID) to another id or cohort")
                }
                let data = try CheckedDocument.encode({ try PortfolioCodec.encode(next) }, schema: schemas.portfolio)
                let summary = framework.flatMap {
                    try? PortfolioCodec.encode(PortfolioSummary(portfolio: next, framework: $0, rules: schemas.rules))
                }
                return (current, next, data, summary)
            }
            let bringing = Set(attachments.map(\.attachment.sha256))
            let before = Self.attachmentHashes(of: current)
            let referenced = Self.attachmentHashes(of: next)
            try await Self.requireAttachments(of: next, among: referenced.subtracting(before).subtracting(bringing), on: connection)
            try await Self.writeAttachments(attachments, referencedBy: referenced, on: connection)
            try await connection.execute(
                """
                UPDATE portfolios SET revision = \(next.revision), document = \(Self.text(data)), updated = now()
                WHERE participant = \(participantID)
                """)
            if let summary { try await Self.writeSummary(summary, of: participantID, revision: next.revision, on: connection) }
            return next
        }
        guard let outcome else { throw try await notFound(participantID) }
        return outcome
    }

    /// A stored portfolio, refusing one whose content says it belongs to another participant or
    /// cohort than its row: writing to it would fork that participant's record.
    static func decodeFiled(_ document: String, participant: String, cohort: String, schemas: PortfolioSchemas) throws(StoreError) -> Portfolio {
        let source = "portfolios/\(participant)"
        let portfolio: Portfolio
        do { portfolio = try schemas.readPortfolio(Data(document.utf8), source: source) } catch {
            throw StoreError(.invalidData, error.findings.first?.description ?? "\(source) is not a valid portfolio")
        }
        if portfolio.participant.id != participant {
            throw StoreError(.invalidData, "\(source) holds participant \(portfolio.participant.id.quotedForMessage()), not \(participant): misfiled")
        }
        if portfolio.participant.cohort != cohort {
            throw StoreError(
                .invalidData, "\(source) says it belongs to cohort \(portfolio.participant.cohort.quotedForMessage()), not \(cohort): misfiled")
        }
        return portfolio
    }

    static func attachmentHashes(of portfolio: Portfolio) -> Set<String> {
        Set(portfolio.evidence.flatMap { $0.attachments.map(\.sha256) })
    }

    /// Refuses a portfolio that names an attachment (among `hashes`: those new in this change and
    /// not brought by it) the store does not hold.
    static func requireAttachments(of portfolio: Portfolio, among hashes: Set<String>, on connection: PostgresConnection) async throws {
        guard !hashes.isEmpty else { return }
        let wellFormed = hashes.filter(StagedAttachment.isHash)
        let held = wellFormed.isEmpty
            ? Set<String>()
            : Set(try await connection.rows("SELECT sha256 FROM attachments WHERE sha256 = ANY(\(Array(wellFormed)))").map {
                try $0.decode(String.self)
            })
        for item in portfolio.evidence {
            for attachment in item.attachments where hashes.contains(attachment.sha256) && !held.contains(attachment.sha256) {
                throw StoreError(
                    .invalidInput,
                    "evidence \(item.id) names attachment \(attachment.name.quotedForMessage()) (sha256 \(attachment.sha256.prefix(12))…), which the store does not hold")
            }
        }
    }

    // MARK: Whole cohorts

    /// How many documents are parsed at once: enough to keep every core busy, few enough that a
    /// large cohort is never all in memory.
    static let batchSize = 64

    public func mapPortfolios<Value: Sendable>(
        inCohort id: String, _ transform: @escaping @Sendable (Portfolio) -> Value
    ) async throws(StoreError) -> CohortScan<Value> {
        _ = try await cohort(id)
        let schemas = self.schemas
        let results: [Result<Value, StoreProblem>] = try await database.withConnection { connection in
            var results: [Result<Value, StoreProblem>] = []
            var batch: [(String, String)] = []
            func flush() async throws {
                let rows = batch
                batch.removeAll(keepingCapacity: true)
                results += try await OffloadedStore.cohortWork(rows) { row -> Result<Value, StoreProblem> in
                    let (participant, document) = row
                    do throws(StoreError) {
                        return .success(transform(try Self.decodeFiled(document, participant: participant, cohort: id, schemas: schemas)))
                    } catch {
                        return .failure(StoreProblem(.damage, path: "portfolios/\(participant)", error.message))
                    }
                }
            }
            let rows = try await connection.query(
                #"SELECT participant, document FROM portfolios WHERE cohort = \#(id) ORDER BY participant COLLATE "C""#,
                logger: SencoDatabase.logger)
            for try await row in rows {
                batch.append(try row.decode((String, String).self))
                if batch.count >= Self.batchSize { try await flush() }
            }
            if !batch.isEmpty { try await flush() }
            return results
        }
        return CohortScan(values: results.compactMap { try? $0.get() }, problems: results.compactMap { $0.problem })
    }

    public func mapSummaries(inCohort id: String, framework: Framework) async throws(StoreError) -> CohortScan<PortfolioSummary> {
        try Self.checked(id, what: "cohort")
        // Read before the list, so that a change made while the list is read leaves a newer
        // generation behind and the list is made again next time.
        let generation = try decoded(
            try await database.rows(
                "SELECT coalesce((SELECT generation FROM cohort_changes WHERE cohort = \(id)), 0) FROM cohorts WHERE id = \(id)"),
            { try $0.decode(Int64.self) }
        ).first
        if let generation, let kept = cohortGenerations.scan(cohort: id, framework: framework.id, generation: generation) {
            return kept
        }
        let scan = try await scanSummaries(inCohort: id, framework: framework)
        guard let generation else { return scan }
        return cohortGenerations.keep(scan, cohort: id, framework: framework.id, generation: generation)
    }

    private func scanSummaries(inCohort id: String, framework: Framework) async throws(StoreError) -> CohortScan<PortfolioSummary> {
        _ = try await cohort(id)
        // Every write makes a new revision (compare-and-set), so a summary this process holds for
        // a participant's current revision is that portfolio's summary, whichever server wrote
        // it: the list costs one narrow query while nothing has changed.
        let heads = try decoded(
            try await database.rows(
                #"SELECT participant, revision FROM portfolios WHERE cohort = \#(id) ORDER BY participant COLLATE "C""#),
            { try $0.decode((String, Int).self) })
        var results: [String: Result<PortfolioSummary, StoreProblem>] = [:]
        var unknown: [String] = []
        for (participant, revision) in heads {
            if let summary = summaryCache.summary(participant, revision: revision, framework: framework.id) {
                results[participant] = .success(summary)
            } else {
                unknown.append(participant)
            }
        }
        if !unknown.isEmpty {
            for (participant, result) in try await readSummaries(inCohort: id, only: unknown, framework: framework) {
                results[participant] = result
                if case .success(let summary) = result {
                    summaryCache.keep(summary, for: participant, framework: framework.id)
                }
            }
        }
        let ordered = heads.compactMap { results[$0.0] }
        return CohortScan(values: ordered.compactMap { try? $0.get() }, problems: ordered.compactMap { $0.problem })
    }

    /// The summaries of the named participants: the stored one where it is of the portfolio's
    /// current revision, otherwise made from the portfolio (and kept).
    private func readSummaries(
        inCohort id: String, only participants: [String], framework: Framework
    ) async throws(StoreError) -> [String: Result<PortfolioSummary, StoreProblem>] {
        let rows = try await database.rows(
            #"""
            SELECT p.participant, p.revision, s.document
            FROM portfolios p LEFT JOIN summaries s ON s.participant = p.participant AND s.revision = p.revision
            WHERE p.cohort = \#(id) AND p.participant = ANY(\#(participants)) ORDER BY p.participant COLLATE "C"
            """#)
        let entries = try decoded(rows, { try $0.decode((String, Int, String?).self) })
        let schemas = self.schemas
        // A stored summary is used only if it is of the portfolio's current revision, for this
        // participant and cohort, and against this framework; otherwise nil, and it is made again.
        let stored = try await OffloadedStore.cohortWork(entries) { entry -> PortfolioSummary? in
            let (participant, revision, document) = entry
            guard let document,
                let summary = try? schemas.readSummary(Data(document.utf8), source: "summaries/\(participant)"),
                summary.revision == revision, summary.participant.id == participant, summary.participant.cohort == id,
                summary.sections.map(\.number) == framework.npqSections.map(\.number),
                summary.total.total == framework.statements.count
            else { return nil }
            return summary
        }
        var results: [String: Result<PortfolioSummary, StoreProblem>] = [:]
        var stale: [String] = []
        for (entry, summary) in zip(entries, stored) {
            if let summary { results[entry.0] = .success(summary) } else { stale.append(entry.0) }
        }
        if !stale.isEmpty {
            let made = try await mapPortfolios(inCohort: id, only: stale) { portfolio in
                (PortfolioSummary(portfolio: portfolio, framework: framework, rules: schemas.rules), portfolio.revision)
            }
            var keep: [(String, Int, Data)] = []
            for (participant, result) in made {
                results[participant] = result.map(\.0)
                if case .success(let (summary, revision)) = result, let data = try? PortfolioCodec.encode(summary) {
                    keep.append((participant, revision, data))
                }
            }
            // Best effort, as in the directory store: the portfolio is the truth, and a summary
            // not kept now is made again next time.
            for (participant, revision, data) in keep {
                try? await database.withConnection { connection in
                    try await Self.keepSummary(data, of: participant, revision: revision, on: connection)
                }
            }
        }
        return results
    }

    /// `transform` of the named portfolios of a cohort, by participant.
    private func mapPortfolios<Value: Sendable>(
        inCohort id: String, only participants: [String], _ transform: @escaping @Sendable (Portfolio) -> Value
    ) async throws(StoreError) -> [(String, Result<Value, StoreProblem>)] {
        let schemas = self.schemas
        var results: [(String, Result<Value, StoreProblem>)] = []
        var start = 0
        while start < participants.count {
            let chunk = Array(participants[start..<min(start + Self.batchSize, participants.count)])
            start += chunk.count
            let rows = try decoded(
                try await database.rows(
                    "SELECT participant, document FROM portfolios WHERE cohort = \(id) AND participant = ANY(\(chunk))"),
                { try $0.decode((String, String).self) })
            results += try await OffloadedStore.cohortWork(rows) { row -> (String, Result<Value, StoreProblem>) in
                let (participant, document) = row
                do throws(StoreError) {
                    let portfolio = try Self.decodeFiled(document, participant: participant, cohort: id, schemas: schemas)
                    return (participant, .success(transform(portfolio)))
                } catch {
                    return (participant, .failure(StoreProblem(.damage, path: "portfolios/\(participant)", error.message)))
                }
            }
        }
        return results
    }

    /// The summary written with its portfolio, in the portfolio's transaction.
    static func writeSummary(_ data: Data, of participant: String, revision: Int, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            INSERT INTO summaries (participant, revision, document) VALUES (\(participant), \(revision), \(text(data)))
            ON CONFLICT (participant) DO UPDATE SET revision = EXCLUDED.revision, document = EXCLUDED.document
            """)
    }

    /// A summary made again from a portfolio read outside any transaction: kept only while the
    /// portfolio is still at that revision, and never over a newer summary (a write that
    /// committed meanwhile has stored its own).
    static func keepSummary(_ data: Data, of participant: String, revision: Int, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            INSERT INTO summaries (participant, revision, document)
            SELECT \(participant), \(revision), \(text(data))
            WHERE EXISTS (SELECT 1 FROM portfolios WHERE participant = \(participant) AND revision = \(revision))
            ON CONFLICT (participant) DO UPDATE SET revision = EXCLUDED.revision, document = EXCLUDED.document
            WHERE summaries.revision <= EXCLUDED.revision
            """)
    }

    // MARK: Moderation plans

    public func plans() async throws(StoreError) -> [ModerationPlan] {
        let rows = try decoded(try await database.rows(#"SELECT id, document FROM moderation_plans ORDER BY id COLLATE "C""#), { try $0.decode((String, String).self) })
        let schemas = self.schemas
        return try await OffloadedStore.documentWork { () throws(StoreError) in
            try rows.map { (row) throws(StoreError) in try Self.decodePlan(row.1, id: row.0, schemas: schemas) }
        }
    }

    public func plan(_ id: String) async throws(StoreError) -> ModerationPlan {
        try Self.checked(id, what: "plan")
        let rows = try await database.rows("SELECT document FROM moderation_plans WHERE id = \(id)")
        guard let document = try decoded(rows, { try $0.decode(String.self) }).first else {
            let known = try decoded(try await database.rows("SELECT id FROM moderation_plans"), { try $0.decode(String.self) })
            throw StoreError(.notFound, "no moderation plan \(id.quotedForMessage()) in the store\(Suggestions.phrase(for: id, among: known))")
        }
        let schemas = self.schemas
        return try await OffloadedStore.documentWork { () throws(StoreError) in try Self.decodePlan(document, id: id, schemas: schemas) }
    }

    /// Plans are never overwritten, so a sample cannot be quietly redrawn: the insert does nothing
    /// if the id is taken, and that is refused.
    public func savePlan(_ plan: ModerationPlan) async throws(StoreError) {
        try Self.checked(plan.id, what: "plan")
        let schema = schemas.moderationPlan
        let data = try await OffloadedStore.documentWork { () throws(StoreError) in
            try CheckedDocument.encode({ try PortfolioCodec.encode(plan) }, schema: schema)
        }
        let inserted = try await database.rows(
            "INSERT INTO moderation_plans (id, document) VALUES (\(plan.id), \(Self.text(data))) ON CONFLICT (id) DO NOTHING RETURNING id")
        if inserted.isEmpty {
            throw StoreError(.alreadyExists, "moderation plan \(plan.id.quotedForMessage()) already exists; choose another id")
        }
    }

    static func decodePlan(_ document: String, id: String, schemas: PortfolioSchemas) throws(StoreError) -> ModerationPlan {
        let source = "moderation/\(id)"
        do { return try schemas.readPlan(Data(document.utf8), source: source) } catch {
            throw StoreError(.invalidData, error.findings.first?.description ?? "\(source) is not a valid plan")
        }
    }

    // MARK: Attachments

    public func stageAttachment(data: Data, name: String) async throws(StoreError) -> StagedAttachment {
        try StagedAttachment.checked(data: data, name: name, limit: attachmentLimit)
    }

    public func attachmentData(sha256: String) async throws(StoreError) -> Data {
        guard StagedAttachment.isHash(sha256) else {
            throw StoreError(.invalidID, "\(sha256.quotedForMessage(limit: 70)) is not a SHA-256 hash")
        }
        let rows = try await database.rows("SELECT content FROM attachments WHERE sha256 = \(sha256)")
        guard let data = try decoded(rows, { try $0.decode(Data.self) }).first else {
            throw StoreError(.notFound, "no attachment with hash \(sha256)")
        }
        return data
    }

    public func attachmentDigests() async throws(StoreError) -> [String] {
        try decoded(try await database.rows(#"SELECT sha256 FROM attachments ORDER BY sha256 COLLATE "C""#), { try $0.decode(String.self) })
    }

    // MARK: Rows

    /// Rows decoded by `decode`; a row of another shape is a database that is not senco's.
    func decoded<T>(_ rows: [PostgresRow], _ decode: (PostgresRow) throws -> T) throws(StoreError) -> [T] {
        do { return try rows.map(decode) } catch {
            throw PostgresFailure.storeError(error, location: location)
        }
    }
}

extension Result where Failure == StoreProblem {
    var problem: StoreProblem? {
        if case .failure(let problem) = self { return problem }
        return nil
    }
}

/// Summaries this process has read, each with the revision of the portfolio it summarises.
final class RevisionSummaryCache: @unchecked Sendable {
    private struct Entry {
        var framework: String
        var summary: PortfolioSummary
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]

    func summary(_ participant: String, revision: Int, framework: String) -> PortfolioSummary? {
        lock.withLock {
            guard let entry = entries[participant], entry.framework == framework, entry.summary.revision == revision else { return nil }
            return entry.summary
        }
    }

    func keep(_ summary: PortfolioSummary, for participant: String, framework: String) {
        lock.withLock { entries[participant] = Entry(framework: framework, summary: summary) }
    }
}
