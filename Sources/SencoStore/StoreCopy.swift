import Crypto
import Foundation
import SencoCore
import SencoData

/// Copies everything one store holds into another (a directory into PostgreSQL, or back), and
/// proves the copy: each portfolio is read back from the target and its canonical XML's SHA-256
/// compared with the source's, and each attachment's bytes are hashed again after the write.
///
/// It is resumable because it is idempotent: what the target already holds unchanged is left
/// alone (and counted as already there), so a copy interrupted part-way is finished by running it
/// again. Nothing in the target is ever overwritten: an entry that differs is a conflict, listed
/// for a person to decide, never guessed. Each portfolio goes in with its attachments in one step
/// (`importPortfolio(_:adding:)`), so an interruption leaves whole portfolios or none.
public struct StoreCopy: Sendable {
    public struct Source: Sendable {
        public var store: any AsyncPortfolioRepository
        public var users: any AsyncUserRepository
        public init(store: any AsyncPortfolioRepository, users: any AsyncUserRepository) {
            self.store = store
            self.users = users
        }
    }

    /// Counts per kind of entry.
    public struct Tally: Sendable, Equatable {
        public var copied = 0
        public var alreadyThere = 0
        public init() {}
    }

    public struct Report: Sendable {
        public var cohorts = Tally()
        public var portfolios = Tally()
        public var attachments = Tally()
        public var plans = Tally()
        public var users = Tally()
        /// Entries the target holds with different content: left as they are.
        public var conflicts: [String] = []
        /// Entries of the source that could not be read (named, skipped).
        public var problems: [StoreProblem] = []
        public var isComplete: Bool { conflicts.isEmpty && problems.isEmpty }
    }

    let from: Source
    let to: Source
    /// Portfolios copied at once (each is read, written and read back).
    let parallelism: Int

    public init(from: Source, to: Source, parallelism: Int = 4) {
        self.from = from
        self.to = to
        self.parallelism = max(1, parallelism)
    }

    /// The SHA-256 of a portfolio's canonical XML: equal documents, equal digests.
    public static func digest(_ portfolio: Portfolio) throws(StoreError) -> String {
        let data: Data
        do { data = try PortfolioCodec.encode(portfolio) } catch {
            throw StoreError(.invalidData, "portfolio \(portfolio.id.quotedForMessage()) cannot be written as XML")
        }
        return hex(SHA256.hash(data: data))
    }

    static func hex(_ digest: SHA256.Digest) -> String { digest.map { String(format: "%02x", $0) }.joined() }

    public func run(progress: @escaping @Sendable (String) -> Void = { _ in }) async throws(StoreError) -> Report {
        var report = Report()
        // Cohorts first: a portfolio can only go into a cohort the target has.
        let cohorts = try await from.store.scanCohorts()
        report.problems += cohorts.problems
        for cohort in cohorts.values {
            switch try await existing({ () throws(StoreError) in try await to.store.cohort(cohort.id) }) {
            case nil:
                try await to.store.createCohort(cohort)
                report.cohorts.copied += 1
            case let held? where held == cohort: report.cohorts.alreadyThere += 1
            case _?: report.conflicts.append("cohort \(cohort.id): the target holds a different record")
            }
        }
        let held = Set(try await to.store.allParticipantIDs())
        let attachmentsBefore = Set(try await to.store.attachmentDigests())
        var attachmentsHeld = attachmentsBefore
        for cohort in cohorts.values {
            let ids = try await from.store.participantIDs(inCohort: cohort.id)
            progress("cohort \(cohort.id): \(ids.count) portfolios")
            var start = 0
            while start < ids.count {
                let batch = Array(ids[start..<min(start + parallelism, ids.count)])
                start += batch.count
                let known = attachmentsHeld
                let outcomes = await withTaskGroup(of: PortfolioOutcome.self) { group in
                    for id in batch {
                        group.addTask { await copyPortfolio(id, targetHas: held.contains(id), attachmentsHeld: known) }
                    }
                    var all: [PortfolioOutcome] = []
                    for await outcome in group { all.append(outcome) }
                    return all
                }
                for outcome in outcomes.sorted(by: { $0.id < $1.id }) {
                    switch outcome.result {
                    case .copied(let attachments):
                        report.portfolios.copied += 1
                        // Two portfolios of a batch may bring the same bytes; they are stored once.
                        report.attachments.copied += Set(attachments).subtracting(attachmentsHeld).count
                        attachmentsHeld.formUnion(attachments)
                    case .alreadyThere: report.portfolios.alreadyThere += 1
                    case .conflict(let message): report.conflicts.append(message)
                    case .unreadable(let problem): report.problems.append(problem)
                    case .failed(let error): throw error
                    }
                }
                if start % 100 < parallelism || start == ids.count { progress("  \(start) of \(ids.count)") }
            }
        }
        // Attachments travel with the portfolios that refer to them; one that no portfolio refers
        // to is debris (`senco store check`) and is not copied.
        report.attachments.alreadyThere = Set(try await from.store.attachmentDigests()).intersection(attachmentsBefore).count
        for plan in try await from.store.plans() {
            switch try await existing({ () throws(StoreError) in try await to.store.plan(plan.id) }) {
            case nil:
                try await to.store.savePlan(plan)
                report.plans.copied += 1
            case let held? where held == plan: report.plans.alreadyThere += 1
            case _?: report.conflicts.append("moderation plan \(plan.id): the target holds a different plan")
            }
        }
        for user in try await from.users.users() {
            switch try await to.users.user(user.id) {
            case nil:
                try await to.users.add(user)
                report.users.copied += 1
            case let held? where held == user: report.users.alreadyThere += 1
            case _?: report.conflicts.append("user \(user.id): the target holds a different account")
            }
        }
        return report
    }

    private struct PortfolioOutcome: Sendable {
        enum Result: Sendable {
            case copied(attachments: [String])
            case alreadyThere
            case conflict(String)
            case unreadable(StoreProblem)
            case failed(StoreError)
        }
        var id: String
        var result: Result
    }

    private func copyPortfolio(_ id: String, targetHas: Bool, attachmentsHeld: Set<String>) async -> PortfolioOutcome {
        let portfolio: Portfolio
        do { portfolio = try await from.store.portfolio(id) } catch {
            return PortfolioOutcome(id: id, result: .unreadable(StoreProblem(.damage, path: id, error.message)))
        }
        do throws(StoreError) {
            let digest = try Self.digest(portfolio)
            if targetHas {
                let theirs = try Self.digest(try await to.store.portfolio(id))
                return PortfolioOutcome(
                    id: id,
                    result: theirs == digest
                        ? .alreadyThere
                        : .conflict("portfolio \(id): the target holds a different document (revision kept there; not overwritten)"))
            }
            var staged: [StagedAttachment] = []
            var seen: Set<String> = []
            for attachment in portfolio.evidence.flatMap(\.attachments)
            where !attachmentsHeld.contains(attachment.sha256) && seen.insert(attachment.sha256).inserted {
                let data: Data
                do { data = try await from.store.attachmentData(sha256: attachment.sha256) } catch where error.code == .notFound {
                    return PortfolioOutcome(
                        id: id,
                        result: .unreadable(
                            StoreProblem(.damage, path: "attachments/\(attachment.sha256)", "referenced by portfolio \(id) but missing; portfolio not copied")))
                }
                let blob = try await to.store.stageAttachment(data: data, name: attachment.name)
                guard blob.attachment.sha256 == attachment.sha256 else {
                    return PortfolioOutcome(
                        id: id,
                        result: .unreadable(
                            StoreProblem(.damage, path: "attachments/\(attachment.sha256)", "its bytes no longer match its SHA-256; portfolio \(id) not copied")))
                }
                staged.append(blob)
            }
            try await to.store.importPortfolio(portfolio, adding: staged)
            // The proof: what the target now returns is the same document, byte for byte.
            guard try Self.digest(try await to.store.portfolio(id)) == digest else {
                return PortfolioOutcome(id: id, result: .failed(StoreError(.io, "portfolio \(id) reads back differently from the target")))
            }
            for blob in staged {
                let back = try await to.store.attachmentData(sha256: blob.attachment.sha256)
                guard Self.hex(SHA256.hash(data: back)) == blob.attachment.sha256 else {
                    return PortfolioOutcome(
                        id: id, result: .failed(StoreError(.io, "attachment \(blob.attachment.sha256) reads back differently from the target")))
                }
            }
            return PortfolioOutcome(id: id, result: .copied(attachments: staged.map(\.attachment.sha256)))
        } catch {
            return PortfolioOutcome(id: id, result: .failed(error))
        }
    }

    /// The entry `read` finds, or nil when the store answers "not found".
    private func existing<T>(_ read: () async throws(StoreError) -> T) async throws(StoreError) -> T? {
        do { return try await read() } catch where error.code == .notFound { return nil }
    }
}
