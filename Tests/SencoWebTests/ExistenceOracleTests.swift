import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SencoTestSupport
import Testing

@testable import SencoWeb

/// An id that does not exist and one the user may not see get the same answer, status and page,
/// so nobody learns which ids exist; a role that never uses a page is refused before anything
/// is read.
@Suite struct ExistenceOracleTests {
    struct Pair: CustomStringConvertible, Sendable {
        var user: String
        var unknown: String
        var others: String
        var status: Int
        var description: String { "\(user): \(unknown) and \(others)" }
    }

    static let pairs: [Pair] = [
        Pair(user: "participant", unknown: "/portfolios/p-unknown", others: "/portfolios/p-demo-02", status: 404),
        Pair(
            user: "participant", unknown: "/portfolios/p-unknown/evidence/new",
            others: "/portfolios/p-demo-02/evidence/new", status: 404),
        Pair(
            user: "participant", unknown: "/portfolios/p-unknown/evidence/e1",
            others: "/portfolios/p-demo-02/evidence/e1", status: 404),
        Pair(
            user: "participant", unknown: "/portfolios/p-unknown/attachments/\(String(repeating: "a", count: 64))",
            others: "/portfolios/p-demo-02/attachments/\(String(repeating: "a", count: 64))", status: 404),
        Pair(user: "tutor", unknown: "/portfolios/p-unknown", others: "/portfolios/p-demo-03", status: 404),
        Pair(
            user: "tutor", unknown: "/portfolios/p-unknown/review", others: "/portfolios/p-demo-03/review", status: 404),
        Pair(
            user: "tutor", unknown: "/portfolios/p-unknown/review/1.1", others: "/portfolios/p-demo-03/review/1.1",
            status: 404),
        Pair(user: "moderator", unknown: "/moderation/p-unknown", others: "/moderation/p-demo-01", status: 404),
        Pair(
            user: "moderator-2", unknown: "/moderation/p-unknown/reconcile", others: "/moderation/p-demo-02/reconcile",
            status: 404),
        Pair(
            user: "moderator-2", unknown: "/moderation-reports/plan-unknown", others: "/moderation-reports/plan-1",
            status: 404),
        // Roles that never use these pages: refused before the store is asked.
        Pair(user: "moderator", unknown: "/portfolios/p-unknown", others: "/portfolios/p-demo-01", status: 403),
        Pair(user: "participant", unknown: "/moderation/p-unknown", others: "/moderation/p-demo-02", status: 403),
        Pair(
            user: "tutor", unknown: "/provider/cohorts/no-cohort", others: "/provider/cohorts/demo-cohort", status: 403),
    ]

    @Test(arguments: pairs)
    func unknownAndOthersIdsGetTheSameAnswer(_ pair: Pair) async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var browser = try await Browser.signIn(client, as: pair.user)
            try await browser.get(client, "/")
            let unknown = try await browser.get(client, pair.unknown)
            let others = try await browser.get(client, pair.others)
            #expect(Int(unknown.status.code) == pair.status, "\(pair.user) GET \(pair.unknown)")
            #expect(others.status == unknown.status, "\(pair)")
            #expect(String(buffer: others.body) == String(buffer: unknown.body), "\(pair): the same page")
        }
    }

    @Test func aPostToSomeoneElsesPortfolioIsAnsweredLikeOneToNoPortfolio() async throws {
        let fixture = try WebFixture()
        let before = fixture.snapshot()
        try await fixture.app().test(.router) { client in
            var browser = try await Browser.signIn(client, as: "tutor-2")
            try await browser.get(client, "/tutor")
            let others = try await browser.post(
                client, "/portfolios/p-demo-02/return", [("revision", "1"), ("feedback", "x")])
            let unknown = try await browser.post(
                client, "/portfolios/p-unknown/return", [("revision", "1"), ("feedback", "x")])
            #expect(others.status == .notFound)
            #expect(String(buffer: others.body) == String(buffer: unknown.body))
        }
        #expect(fixture.snapshot() == before)
    }
}
