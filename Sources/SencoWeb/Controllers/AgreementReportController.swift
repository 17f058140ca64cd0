import Foundation
import Hummingbird
import SencoCore
import SencoExport
import SencoStore

/// A moderation plan's agreement report, as a page and as CSV, for the provider and for a
/// moderator with a part in the plan (a moderator with none gets the answer an unknown plan
/// gets). The numbers are `SencoCore.ModerationReport`'s, as `senco moderation report` prints.
///
/// The report reads every sampled portfolio; it is made once per set of their revisions (read
/// from the cohort's summaries) and kept, so it is read again only after a portfolio changes.
struct AgreementReportController {
    let services: WebServices
    let kept = AgreementReports()

    func addRoutes(to group: RouterGroup<WebContext>) {
        group.get("/moderation-reports/:plan", use: page)
        group.get("/moderation-reports/:plan/agreement.csv", use: agreementCSV)
        group.get("/moderation-reports/:plan/disagreements.csv", use: disagreementsCSV)
    }

    private struct Made {
        var user: SignedInUser
        var plan: ModerationPlan
        var report: ModerationReport
        var unread: [String]
        var cohort: Cohort?
        var tutorNames: [String: String]
        /// Participants' names, from the summaries: shown to the provider only (the moderation
        /// pages name participants by id).
        var participantNames: [String: String]
    }

    /// The role is checked before anything is read (403); then an unknown plan and one the
    /// moderator has no part in get the same 404.
    private func made(_ context: WebContext) async throws -> Made {
        let user = try context.requireUser()
        guard user.role == .provider || user.role == .moderator else { throw WebError.forbidden }
        let id = try context.parameters.require("plan")
        guard Identifier.isValid(id) else { throw WebError.notFound }
        // A missing one is the same 404 page (ErrorPageMiddleware: StoreError.notFound).
        let plan = try await services.store.plan(id)
        if user.role == .moderator && !plan.entries.contains(where: { $0.moderator == nil || $0.moderator == user.id })
        {
            throw WebError.notFound
        }
        let cohort = try? await services.store.cohort(plan.cohort)
        let tutorNames = Dictionary(
            (cohort?.tutors ?? []).map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let summaries =
            (try? await services.store.mapSummaries(inCohort: plan.cohort, framework: services.npq))?.values ?? []
        let revisions = Dictionary(summaries.map { ($0.id, $0.revision) }, uniquingKeysWith: { first, _ in first })
        let names = Dictionary(summaries.map { ($0.id, $0.participant.name) }, uniquingKeysWith: { first, _ in first })
        let key = AgreementReports.Key(plan: plan, revisions: plan.entries.map { revisions[$0.participant] })
        if let known = kept.report(for: key) {
            return Made(
                user: user, plan: plan, report: known.report, unread: known.unread, cohort: cohort,
                tutorNames: tutorNames,
                participantNames: names)
        }
        var portfolios: [Portfolio] = []
        var unread: [String] = []
        for entry in plan.entries {
            if let portfolio = try? await services.store.portfolio(entry.participant) {
                portfolios.append(portfolio)
            } else {
                unread.append(entry.participant)
            }
        }
        let report = ModerationReport(plan: plan, portfolios: portfolios)
        // Kept only when every revision it was made from is known (and so can be compared next time).
        if !key.revisions.contains(nil), portfolios.map(\.revision) == key.revisions.compactMap({ $0 }) {
            kept.keep(report, unread: unread, for: key)
        }
        return Made(
            user: user, plan: plan, report: report, unread: unread, cohort: cohort, tutorNames: tutorNames,
            participantNames: names)
    }

    func page(_ request: Request, context: WebContext) async throws -> Response {
        let made = try await made(context)
        let (user, plan, report) = (made.user, made.plan, made.report)
        func name(_ tutor: String) -> String { made.tutorNames[tutor] ?? tutor }
        func href(_ participant: String) -> String? {
            if user.role == .provider { return "/portfolios/\(participant)" }
            return Access.canModerate(user, participant: participant, plans: [plan])
                ? "/moderation/\(participant)/reconcile" : nil
        }
        let byTutor = report.tutors.filter { !$0.disagreements.isEmpty }.map { t in
            AgreementReportPage.TutorDisagreements(
                tutor: name(t.tutor), id: t.tutor, domID: "disagreements-\(t.tutor)",
                counts: "\(t.disagreements.count) disagreement\(t.disagreements.count == 1 ? "" : "s"), "
                    + "\(t.disagreements.filter { $0.agreed == nil }.count) not yet agreed",
                rows: t.disagreements.map { d in
                    AgreementReportPage.Disagreement(
                        participant: user.role == .provider
                            ? made.participantNames[d.participant].map { "\($0) (\(d.participant))" } ?? d.participant
                            : d.participant,
                        href: href(d.participant), statement: d.statement, first: d.first.label,
                        second: d.second.label, agreed: d.agreed?.label, note: d.note.flatMap { $0.isEmpty ? nil : $0 })
                })
        }
        let view = AgreementReportPage(
            plan: plan.id, cohort: plan.cohort, cohortTitle: made.cohort?.title ?? plan.cohort,
            cohortHref: user.role == .provider && made.cohort != nil ? "/provider/cohorts/\(plan.cohort)" : nil,
            rate: plan.rate, minimumPerTutor: plan.minimumPerTutor, seed: String(plan.seed),
            drawn: Present.dateTime(plan.created),
            drawnBy: plan.createdBy, entries: plan.entries.count,
            tutors: report.tutors.map { .init($0, name: name($0.tutor), id: $0.tutor) },
            overall: .init(report.overall, name: "All tutors", id: nil), hasDisagreements: !byTutor.isEmpty,
            nothingMarked: report.overall.statementsDoubleMarked == 0, byTutor: byTutor,
            downloads: [
                .init(href: "/moderation-reports/\(plan.id)/agreement.csv", label: "Agreement by tutor (CSV)"),
                .init(
                    href: "/moderation-reports/\(plan.id)/disagreements.csv",
                    label: "Every disagreement and its resolution (CSV)"),
            ],
            unread: made.unread, hasUnread: !made.unread.isEmpty)
        return services.views.page(view, title: "Agreement report: \(plan.id)", chrome: await services.chrome(context))
    }

    func agreementCSV(_ request: Request, context: WebContext) async throws -> Response {
        let made = try await made(context)
        return Self.csv(
            ModerationReportRenderer.agreementCSV(made.report, tutorNames: made.tutorNames),
            name: "agreement-\(made.plan.id).csv")
    }

    func disagreementsCSV(_ request: Request, context: WebContext) async throws -> Response {
        let made = try await made(context)
        return Self.csv(
            ModerationReportRenderer.disagreementsCSV(made.report, tutorNames: made.tutorNames),
            name: "disagreements-\(made.plan.id).csv")
    }

    private static func csv(_ text: String, name: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name)\"",
            ],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// Agreement reports already made, per plan, with the revisions of the sampled portfolios they
/// were made from: a report is read again only when the plan or one of those portfolios changed.
final class AgreementReports: @unchecked Sendable {
    struct Key: Hashable {
        var plan: ModerationPlan
        /// Each sampled participant's revision, in the plan's order (nil: not known).
        var revisions: [Int?]
    }

    private let lock = NSLock()
    private var reports: [String: (key: Key, report: ModerationReport, unread: [String])] = [:]

    func report(for key: Key) -> (report: ModerationReport, unread: [String])? {
        lock.withLock {
            guard let kept = reports[key.plan.id], kept.key == key else { return nil }
            return (kept.report, kept.unread)
        }
    }

    func keep(_ report: ModerationReport, unread: [String], for key: Key) {
        lock.withLock { reports[key.plan.id] = (key, report, unread) }
    }
}
