import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import SencoWeb

/// The statement picker's live count is the site's one script: a same-origin file, loaded only
/// by the evidence form, allowed by `script-src 'self'` and nothing inline.
@Suite struct StatementCountScriptTests {
    @Test func theEvidenceFormLoadsTheCountFromAFileAndNothingInline() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var participant = try await Browser.signIn(client, as: "participant")
            for path in ["/portfolios/p-demo-01/evidence/new", "/portfolios/p-demo-01/evidence/e1"] {
                let response = try await participant.get(client, path)
                let html = String(buffer: response.body)
                let scripts = html.components(separatedBy: "<script").dropFirst()
                #expect(scripts.count == 1, "\(path): one script")
                #expect(
                    scripts.first?.hasPrefix(" src=\"/static/statement-count.js\"></script>") == true,
                    "\(path): a file, empty tag")
                let csp = response.headers[.contentSecurityPolicy] ?? ""
                #expect(
                    csp.contains("script-src 'self'") && !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"))
            }
            // The form works without it: the checkboxes are plain inputs the server reads.
            let form = String(buffer: try await participant.get(client, "/portfolios/p-demo-01/evidence/new").body)
            #expect(form.contains("<input type=\"checkbox\" name=\"statement\" value=\"1.1\""))
        }
    }

    @Test func theScriptIsServedAsJavaScriptToAnyone() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            let response = try await client.execute(uri: "/static/statement-count.js", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(response.headers[.xContentTypeOptions] == "nosniff")
            let script = String(buffer: response.body)
            #expect(script.contains("aria-live") && script.contains("statements chosen"))
        }
    }
}
