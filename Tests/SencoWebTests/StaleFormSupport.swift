import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SencoCore
import SencoStore
import SencoTestSupport
import Testing

@testable import SencoWeb

/// What the stale-form tests share: a change made "in another window" (straight to the store, as
/// the CLI or another browser would), and the hidden fields a page's form would send back.
enum StaleForm {
    static let elsewhereTime = Date(timeIntervalSince1970: 1_790_000_100)

    /// Changes a portfolio behind the browser's back.
    static func elsewhere(_ fixture: WebFixture, _ id: String, _ change: (inout Portfolio) throws -> Void) throws {
        let current = try fixture.store.portfolio(id)
        try fixture.store.update(id, expectedRevision: current.revision) { (p: inout Portfolio) throws(StoreError) in
            do { try change(&p) } catch { throw StoreError(.invalidInput, "\(error)") }
        }
    }

    /// The participant edits evidence e1's title (and only that) in another window.
    static func retitle(_ fixture: WebFixture, _ id: String = "p-demo-01", to title: String) throws {
        let rules = fixture.setup.schemas.rules
        try elsewhere(fixture, id) { p in
            var item = try #require(p.evidenceItem(withID: "e1"))
            item.title = title
            try p.replaceEvidence(
                item, by: id, role: .participant, rules: rules, at: elsewhereTime, today: Day(elsewhereTime))
        }
    }

    /// A tutor's judgement made in another window.
    static func judge(
        _ fixture: WebFixture, _ id: String, _ statement: String, _ status: JudgementStatus, feedback: String,
        tutor: String = "t-okafor"
    ) throws {
        let frameworks = try TestSupport.library().frameworks
        try elsewhere(fixture, id) { p in
            try p.judge(
                statement: statement, status: status, feedback: feedback, assessor: tutor, role: .tutor,
                frameworks: frameworks, at: elsewhereTime)
        }
    }

    /// The hidden fields (but the CSRF token, which the test browser adds) of the page's form
    /// that posts to `action`, unescaped as a browser would send them.
    static func hidden(_ page: String, action: String) throws -> [(String, String)] {
        let start = try #require(page.range(of: "action=\"\(action)\""), "a form posting to \(action)")
        let end = try #require(page.range(of: "</form>", range: start.upperBound..<page.endIndex))
        let form = page[start.upperBound..<end.lowerBound]
        let input = /<input type="hidden" name="([^"]*)" value="([^"]*)">/
        return form.matches(of: input).map { (unescape(String($0.1)), unescape(String($0.2))) }.filter {
            $0.0 != "csrf"
        }
    }

    static func value(_ name: String, in fields: [(String, String)]) -> String? {
        fields.first { $0.0 == name }?.1
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The fields of the participant's evidence form, typed as a person would.
    static func evidence(title: String, reflection: String) -> [(String, String)] {
        [
            ("title", title), ("type", "reading-log"), ("date", "2026-05-05"), ("reflection", reflection),
            ("statement", "1.1"), ("claim", "How it shows 1.1"),
        ]
    }
}

extension Browser {
    /// Posts a multipart form with fields and one file, as the evidence page's upload form does.
    mutating func upload(
        _ client: some TestClientProtocol, _ uri: String, fields: [(String, String)], name: String, bytes: [UInt8]
    ) async throws -> TestResponse {
        let boundary = "XyZboundary9"
        var body = ByteBuffer()
        for (field, value) in [("csrf", csrf ?? "")] + fields {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"\r\n\r\n\(value)\r\n")
        }
        body.writeString(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: text/plain\r\n\r\n"
        )
        body.writeBytes(bytes)
        body.writeString("\r\n--\(boundary)--\r\n")
        var h = headers
        h[.contentType] = "multipart/form-data; boundary=\(boundary)"
        let response = try await client.execute(uri: uri, method: .post, headers: h, body: body)
        remember(response)
        return response
    }
}
