import Foundation
import SencoCore
import SencoData
import SencoDfE
import SencoDfEFake
import SencoStore
import SencoTestSupport

/// A directory store with one cohort on the 2025 autumn schedule and participants with DfE ids,
/// each of whose portfolios has evidence (so `started`, and more with more items, are ready).
struct DfEFixture {
    let root: URL
    let store: DirectoryStore
    let cohort: Cohort
    let framework: Framework
    let rules: EvidenceRules
    var asyncStore: any AsyncPortfolioRepository { OffloadedStore(store) }

    static func make(participants: Int = 2, items: Int = 30, withoutDfE: Int = 0) throws -> DfEFixture {
        let root = try TestSupport.temporaryDirectory("senco-dfe")
        let schemas = try TestSupport.schemas()
        let library = try TestSupport.library()
        guard let framework = library.framework(withID: "npq-senco-2023") else { throw CocoaError(.fileNoSuchFile) }
        let store = DirectoryStore(root: root, schemas: schemas, summaryFramework: framework)
        var cohort = TestSupport.cohort()
        cohort.dfe = Cohort.DfEDefaults(schedule: "npq-leadership-autumn", cohort: 2025)
        try store.createCohort(cohort)
        var generator = TestSupport.SeededGenerator(seed: 14)
        for n in 1...(participants + withoutDfE) {
            var portfolio = TestSupport.generatedPortfolio(
                id: "p-dfe-\(n)", items: items, statementIDs: framework.statements.map(\.id), generator: &generator)
            portfolio.participant.trn = String(1_000_000 + n)
            if n <= participants { portfolio.participant.dfe = DfEIdentity(participantID: Self.dfeID(n)) }
            portfolio.revision = 0
            try store.create(portfolio)
        }
        return DfEFixture(root: root, store: store, cohort: cohort, framework: framework, rules: schemas.rules)
    }

    static func dfeID(_ n: Int) -> String { String(format: "0000%04d-aaaa-4bbb-8ccc-dddddddddddd", n) }

    func plan(policy: DeclarationPolicy = DeclarationPolicy(), now: Date = Date()) throws -> DeclarationPlanner.Plan {
        var plan = DeclarationPlanner.Plan()
        for id in try store.participantIDs(inCohort: cohort.id) {
            plan.add(
                DeclarationPlanner.plan(
                    portfolio: try store.portfolio(id), cohort: cohort, framework: framework, rules: rules,
                    policy: policy, now: now))
        }
        return plan
    }

    /// Every declaration record in every portfolio's log, as (participant, type, DfE id).
    func records() throws -> [(String, DeclarationType, String)] {
        try store.participantIDs(inCohort: cohort.id).flatMap { id in
            try store.portfolio(id).activities.compactMap { a in a.declaration.map { (id, $0.type, $0.dfeID) } }
        }
    }
}

/// A retry policy quick enough for tests, with a time-out long enough for a loaded two-core
/// machine (the whole suite runs beside other builds): no answer the fake gives on time can be
/// taken for a lost one.
let quickRetry = RetryPolicy(
    attempts: 4, firstWait: .milliseconds(20), longestWait: .milliseconds(80), longestRetryAfter: .seconds(3),
    timeout: .seconds(30))

/// For the tests that make the fake answer too late on purpose (`.slow(slowerThanTimeout)`): a
/// time-out short enough to wait out. What they check (each milestone declared once, recorded
/// with its id) holds whichever requests time out, so a loaded machine slows them, never fails them.
let impatientRetry = RetryPolicy(
    attempts: 4, firstWait: .milliseconds(20), longestWait: .milliseconds(80), longestRetryAfter: .seconds(3),
    timeout: .seconds(3))

/// Longer than `impatientRetry`'s time-out.
let slowerThanTimeout: Duration = .seconds(4)
