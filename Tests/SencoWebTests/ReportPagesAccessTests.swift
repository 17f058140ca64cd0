import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SencoCore
import SencoTestSupport
import Testing

@testable import SencoWeb

/// The report pages × every role × own and someone else's data: 403 for a role that never uses
/// the page (before anything is read), and the 404 an unknown id gets for someone else's. In the
/// fixture: participant owns p-demo-01; tutor (t-okafor) tutors p-demo-01 and p-demo-02; tutor-2
/// tutors p-demo-03; plan-1 samples p-demo-02 and p-demo-03 for "moderator", none for "moderator-2".
@Suite struct ReportPagesAccessTests {
    static let cases: [AccessMatrixTests.Case] = [
        .init(path: "/provider/cohorts/demo-cohort/completion", expected: [403, 403, 403, 200]),
        .init(
            path: "/provider/cohorts/demo-cohort/completion?state=submitted&tutor=t-bell&q=x&page=2",
            expected: [403, 403, 403, 200]),
        .init(path: "/provider/cohorts/no-cohort/completion", expected: [403, 403, 403, 404]),
        .init(path: "/provider/cohorts/demo-cohort/moderation", expected: [403, 403, 403, 200]),
        .init(path: "/provider/cohorts/no-cohort/moderation", expected: [403, 403, 403, 404]),
        .init(path: "/provider/cohorts/demo-cohort/national-award", expected: [403, 403, 403, 200]),
        .init(path: "/provider/cohorts/no-cohort/national-award", expected: [403, 403, 403, 404]),
        .init(path: "/portfolios/p-demo-01/national-award", expected: [200, 200, 403, 200]),
        .init(path: "/portfolios/p-demo-02/national-award", expected: [404, 200, 403, 200]),
        .init(path: "/portfolios/p-demo-03/national-award", expected: [404, 404, 403, 200]),
        .init(path: "/portfolios/p-nobody/national-award", expected: [404, 404, 403, 404]),
        .init(path: "/moderation-reports/plan-1", expected: [403, 403, 200, 200]),
        .init(path: "/moderation-reports/plan-1/agreement.csv", expected: [403, 403, 200, 200]),
        .init(path: "/moderation-reports/plan-1/disagreements.csv", expected: [403, 403, 200, 200]),
        .init(path: "/moderation-reports/no-plan", expected: [403, 403, 404, 404]),
        .init(path: "/moderation-reports/no-plan/agreement.csv", expected: [403, 403, 404, 404]),
        .init(path: "/moderation-reports/..%2Fusers", expected: [403, 403, 404, 404]),
    ]

    @Test(arguments: cases)
    func everyRoleGetsTheExpectedStatus(_ route: AccessMatrixTests.Case) async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            for (index, role) in AccessMatrixTests.roles.enumerated() {
                var browser = try await Browser.signIn(client, as: role)
                let response = try await browser.get(client, route.path)
                #expect(Int(response.status.code) == route.expected[index], "\(role) GET \(route.path)")
            }
            let anonymous = try await client.execute(uri: route.path, method: .get)
            #expect(anonymous.status == .seeOther, "anonymous GET \(route.path)")
            #expect(anonymous.headers[.location] == "/login")
        }
    }

    /// A moderator with no part in a plan gets what an unknown plan gets, for the page and both files.
    @Test(arguments: [
        "/moderation-reports/plan-1", "/moderation-reports/plan-1/agreement.csv",
        "/moderation-reports/plan-1/disagreements.csv",
    ])
    func aModeratorOutsideThePlanGetsNotFound(_ path: String) async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var other = try await Browser.signIn(client, as: "moderator-2")
            let response = try await other.get(client, path)
            #expect(response.status == .notFound)
            #expect(!String(buffer: response.body).contains("p-demo-02"))
        }
    }

    /// Another participant's National Award page answers exactly as one that does not exist.
    @Test func anotherParticipantsPageIsIndistinguishableFromNone() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var participant = try await Browser.signIn(client, as: "participant")
            let other = try await participant.get(client, "/portfolios/p-demo-02/national-award")
            let none = try await participant.get(client, "/portfolios/p-nobody/national-award")
            #expect(other.status == none.status)
            #expect(
                String(buffer: other.body).replacingOccurrences(
                    of: Browser.csrfToken(in: String(buffer: other.body)) ?? "", with: "")
                    == String(buffer: none.body).replacingOccurrences(
                        of: Browser.csrfToken(in: String(buffer: none.body)) ?? "", with: ""))
        }
    }
}
