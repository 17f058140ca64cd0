import Foundation
import Hummingbird
import SencoCore
import SencoStore

/// The National Award for SEN Coordination seen through the crosswalk: one participant's
/// outcomes (for whoever may see the portfolio: the participant, their tutor, the provider), and
/// a cohort's table of how many participants reach each outcome (the provider's), counted from
/// summaries and kept until a portfolio of the cohort changes.
struct NationalAwardController {
    let services: WebServices
    let kept = OutcomeTallies()

    func addRoutes(to group: RouterGroup<WebContext>) {
        group.get("/portfolios/:participant/national-award", use: participant)
        group.get("/provider/cohorts/:cohort/national-award", use: cohort)
    }

    /// The award, the crosswalk read for coverage, and the award's areas; a store without them
    /// has no such page.
    private func award() throws -> (award: Framework, crosswalk: Crosswalk, links: OutcomeLinks) {
        guard let known = services.nationalAward,
            let links = OutcomeLinks(crosswalk: known.crosswalk, from: services.npq, to: known.award)
        else { throw WebError.notFound }
        return (known.award, known.crosswalk, links)
    }

    func participant(_ request: Request, context: WebContext) async throws -> Response {
        let (user, portfolio) = try await PortfolioController(services: services).viewable(context)
        let (award, crosswalk, links) = try award()
        let coverage = Coverage(
            portfolio: portfolio, framework: services.npq, rules: services.rules, crosswalk: crosswalk, award: award)
        let own = Access.canEdit(user, portfolio.id)
        let editable = own && portfolio.state.allowsParticipantChanges
        let standings = Dictionary(
            coverage.outcomes.map { ($0.outcome.id, $0) }, uniquingKeysWith: { first, _ in first })
        let linksByOutcome = Dictionary(
            links.entries.map { ($0.outcome.id, $0.links) }, uniquingKeysWith: { first, _ in first })
        let sufficientStatements = Set(coverage.statements.filter(\.sufficient).map(\.statement.id))
        let chosen = request.uri.queryParameters["status"].flatMap {
            Coverage.OutcomeCoverage.Standing(rawValue: String($0))
        }

        func outcome(_ statement: Statement) -> NationalAwardPage.Outcome? {
            guard let covered = standings[statement.id] else { return nil }
            let standing = covered.standing
            if let chosen, chosen != standing { return nil }
            let openings =
                standing == .sufficient
                ? []
                : (linksByOutcome[statement.id] ?? []).filter {
                    $0.relation.showsOutcome && !sufficientStatements.contains($0.statement)
                }
            return NationalAwardPage.Outcome(
                id: statement.id, text: statement.text, status: Self.word(standing), statusKey: Self.key(standing),
                showing: Self.list(covered.routes.filter(\.counts), relations: true),
                showingThin: Self.list(
                    covered.routes.filter { $0.relation.showsOutcome && !$0.statementSufficient }, relations: true),
                related: Self.list(covered.routes.filter { !$0.relation.showsOutcome }, relations: false),
                hasRoutes: !covered.routes.isEmpty,
                openings: openings.map {
                    .init(
                        statement: $0.statement, relation: $0.relation.rawValue,
                        href: editable ? "/portfolios/\(portfolio.id)/evidence/new?statement=\($0.statement)" : nil)
                },
                hasOpenings: !openings.isEmpty, needsMore: standing != .sufficient && standing != .noEquivalent,
                noEquivalent: covered.noEquivalent)
        }
        let areas = award.awardAreas.compactMap { area -> NationalAwardPage.Area? in
            let subareas = area.subareas.compactMap { sub -> NationalAwardPage.Subarea? in
                let outcomes = sub.outcomes.compactMap(outcome)
                return outcomes.isEmpty
                    ? nil : .init(number: sub.number, title: sub.title, stem: sub.stem, outcomes: outcomes)
            }
            return subareas.isEmpty
                ? nil : .init(number: area.number, title: Self.titleCase(area.title), subareas: subareas)
        }
        let byStanding = Dictionary(grouping: coverage.outcomes, by: \.standing)
        let shownCount = areas.flatMap(\.subareas).flatMap(\.outcomes).count
        let view = NationalAwardPage(
            own: own, id: portfolio.id, name: portfolio.participant.name, state: portfolio.state.label,
            award: award.shortTitle,
            total: coverage.outcomes.count, evidenced: coverage.outcomes.filter(\.evidenced).count,
            sufficient: coverage.outcomes.filter(\.sufficient).count,
            counts: Coverage.OutcomeCoverage.Standing.allCases.map {
                .init(
                    value: $0.rawValue, label: Self.word($0), count: byStanding[$0]?.count ?? 0, selected: $0 == chosen)
            },
            filtered: chosen != nil,
            shown: chosen.map { "\(shownCount) of \(coverage.outcomes.count) outcomes: \(Self.word($0))." }
                ?? "All \(shownCount) outcomes.",
            areas: areas, noMatch: areas.isEmpty, attribution: award.source.attribution)
        let title = own ? "My National Award outcomes" : "National Award outcomes of \(portfolio.participant.name)"
        return services.views.page(view, title: title, chrome: await services.chrome(context))
    }

    func cohort(_ request: Request, context: WebContext) async throws -> Response {
        let user = try context.requireUser()
        guard user.role == .provider else { throw WebError.forbidden }
        let id = try context.parameters.require("cohort")
        guard Identifier.isValid(id) else { throw WebError.notFound }
        let (award, _, links) = try award()
        // A missing cohort is the 404 page (ErrorPageMiddleware: StoreError.notFound).
        let cohort = try await services.store.cohort(id)
        let scan = try await services.store.mapSummaries(inCohort: id, framework: services.npq)
        let filter = CohortFilter(request.uri.queryParameters, cohort: cohort)
        let matching = scan.values.filter(filter.matches)
        let key = OutcomeTallies.Key(
            cohort: id, filter: filter.query.map { "\($0.0)=\($0.1)" },
            revisions: matching.map { .init(id: $0.id, revision: $0.revision) })
        let tally: OutcomeTally
        if let known = kept.tally(for: key) {
            tally = known
        } else {
            tally = OutcomeTally(summaries: matching, links: links)
            kept.keep(tally, for: key)
        }
        let rows = Dictionary(tally.rows.map { ($0.outcome.id, $0) }, uniquingKeysWith: { first, _ in first })
        func share(_ count: Int) -> String {
            tally.participants == 0 ? "" : " (\(Int((100 * Double(count) / Double(tally.participants)).rounded()))%)"
        }
        let areas = award.awardAreas.map { area in
            CohortNationalAwardPage.Area(
                number: area.number, title: Self.titleCase(area.title),
                subareas: area.subareas.map { sub in
                    .init(
                        number: sub.number, title: sub.title,
                        domID: "na-" + sub.number.replacingOccurrences(of: ".", with: "-"),
                        outcomes: sub.outcomes.compactMap { rows[$0.id] }.map {
                            .init(
                                id: $0.outcome.id, text: $0.outcome.text, evidenced: $0.evidenced,
                                evidencedShare: share($0.evidenced),
                                sufficient: $0.sufficient, sufficientShare: share($0.sufficient),
                                onlyRelated: $0.onlyRelated,
                                noEquivalent: $0.noEquivalent)
                        })
                })
        }
        let options = filter.options(for: cohort)
        let view = CohortNationalAwardPage(
            id: cohort.id, title: cohort.title, award: award.shortTitle, everyone: scan.values.count,
            participants: tally.participants, none: scan.values.isEmpty, filtered: filter.isActive,
            states: options.states,
            tutors: options.tutors, areas: areas, problems: scan.problems.map(\.description),
            hasProblems: !scan.problems.isEmpty,
            attribution: award.source.attribution)
        return services.views.page(
            view, title: "National Award outcomes: \(cohort.title)", chrome: await services.chrome(context))
    }

    /// "2.6 (partial), 2.1 (exact)", or nil for none.
    static func list(_ routes: [Coverage.OutcomeCoverage.Route], relations: Bool) -> String? {
        routes.isEmpty
            ? nil
            : routes.map { relations ? "\($0.statement) (\($0.relation.rawValue))" : $0.statement }.joined(
                separator: ", ")
    }

    static func word(_ standing: Coverage.OutcomeCoverage.Standing) -> String {
        switch standing {
        case .sufficient: "sufficiently evidenced"
        case .notYetSufficient: "evidenced, not yet sufficient"
        case .onlyRelated: "evidenced through related links only"
        case .notReached: "not reached yet"
        case .noEquivalent: "no NPQ equivalent"
        }
    }

    /// The stylesheet's status classes: the colour only repeats the word.
    static func key(_ standing: Coverage.OutcomeCoverage.Standing) -> String {
        switch standing {
        case .sufficient: "complete"
        case .notYetSufficient, .onlyRelated: "progress"
        case .notReached, .noEquivalent: "none"
        }
    }

    /// The published area titles are in capitals ("PROFESSIONAL CONTEXT"), which are harder to
    /// read and read letter by letter by some screen readers.
    static func titleCase(_ title: String) -> String {
        guard title == title.uppercased() else { return title }
        let lower = title.lowercased()
        return lower.prefix(1).uppercased() + lower.dropFirst()
    }
}

/// Cohort tallies of National Award outcomes already made, per cohort and filter, with the
/// summaries' revisions they were made from.
final class OutcomeTallies: @unchecked Sendable {
    struct Revision: Hashable {
        var id: String
        var revision: Int
    }

    struct Key: Hashable {
        var cohort: String
        var filter: [String]
        var revisions: [Revision]
    }

    /// Enough for every filter a provider tries in a sitting; beyond it, the oldest goes.
    static let limit = 64

    private let lock = NSLock()
    private var tallies: [String: (key: Key, tally: OutcomeTally)] = [:]
    private var order: [String] = []

    private static func name(_ key: Key) -> String { ([key.cohort] + key.filter).joined(separator: "&") }

    func tally(for key: Key) -> OutcomeTally? {
        lock.withLock {
            guard let kept = tallies[Self.name(key)], kept.key == key else { return nil }
            return kept.tally
        }
    }

    func keep(_ tally: OutcomeTally, for key: Key) {
        lock.withLock {
            let name = Self.name(key)
            if tallies[name] == nil { order.append(name) }
            tallies[name] = (key, tally)
            if order.count > Self.limit { tallies[order.removeFirst()] = nil }
        }
    }
}
