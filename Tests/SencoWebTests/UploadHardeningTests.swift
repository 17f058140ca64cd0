import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SencoCore
import SencoStore
import SencoStore
import SencoTestSupport
import Testing

@testable import SencoWeb

/// An upload is checked in full before its bytes are stored, and the limit the page states is
/// the limit applied.
@Suite struct UploadHardeningTests {
    static let path = "/portfolios/p-demo-01/evidence/e1/attachments"
    static let limit = 64 * 1024

    struct Refusal: CustomStringConvertible, Sendable {
        var reason: String
        var name: String
        var bytes: [UInt8]
        var revision = "1"
        var csrf: String?
        var status: Int
        var description: String { reason }
    }

    static let refusals: [Refusal] = [
        Refusal(
            reason: "contents that do not match the type", name: "fake.pdf", bytes: Array("hello".utf8), status: 422),
        Refusal(reason: "a type that is not allowed", name: "run.exe", bytes: [0x4D, 0x5A, 0, 0], status: 422),
        Refusal(reason: "text that is not UTF-8", name: "notes.txt", bytes: [0xFF, 0xFE, 0x00], status: 422),
        Refusal(
            reason: "one byte over the limit", name: "big.txt", bytes: [UInt8](repeating: 65, count: limit + 1),
            status: 413),
        Refusal(
            reason: "a body over the upload cap", name: "huge.txt", bytes: [UInt8](repeating: 65, count: 2 * limit + 1),
            status: 413),
        Refusal(
            reason: "a stale revision", name: "notes.txt", bytes: Array("Meeting notes".utf8), revision: "0",
            status: 409),
        Refusal(
            reason: "a wrong CSRF token", name: "notes.txt", bytes: Array("Meeting notes".utf8), csrf: "forged",
            status: 403),
        Refusal(reason: "no CSRF token", name: "notes.txt", bytes: Array("Meeting notes".utf8), csrf: "", status: 403),
        Refusal(reason: "no file", name: "", bytes: [], status: 422),
    ]

    static func setup(_ fixture: WebFixture) -> WebSetup {
        var setup = fixture.setup
        setup.configuration.maxUploadBytes = limit
        return setup
    }

    @Test(arguments: refusals)
    func aRefusedUploadLeavesTheStoreByteForByteUnchanged(_ refusal: Refusal) async throws {
        let fixture = try WebFixture()
        let before = fixture.snapshot()
        try await buildApplication(Self.setup(fixture)).test(.router) { client in
            var browser = try await Browser.signIn(client, as: "participant")
            try await browser.get(client, "/portfolios/p-demo-01/evidence/e1")
            let response = try await browser.upload(
                client, Self.path, name: refusal.name, bytes: refusal.bytes, revision: refusal.revision,
                csrf: refusal.csrf)
            #expect(Int(response.status.code) == refusal.status, "\(refusal)")
        }
        #expect(
            fixture.snapshot() == before, "\(refusal): nothing stored, not even the attachment's bytes")
    }

    @Test func anUploadToASubmittedPortfolioStoresNothing() async throws {
        let fixture = try WebFixture()
        try await buildApplication(Self.setup(fixture)).test(.router) { client in
            var browser = try await Browser.signIn(client, as: "participant")
            try await browser.get(client, "/portfolios/p-demo-01/evidence/e1")
            let form = browser.csrf
            #expect(
                try await browser.post(client, "/portfolios/p-demo-01/submit", [("revision", "1")]).status == .seeOther)
            let before = fixture.snapshot()
            let response = try await browser.upload(
                client, Self.path, name: "notes.txt", bytes: Array("late".utf8), revision: "2", csrf: form)
            #expect(response.status == .unprocessableContent)
            #expect(String(buffer: response.body).contains("with your tutor"))
            #expect(fixture.snapshot() == before)
        }
    }

    @Test func theStatedLimitIsTheAcceptedLimit() async throws {
        let fixture = try WebFixture()
        try await buildApplication(Self.setup(fixture)).test(.router) { client in
            var browser = try await Browser.signIn(client, as: "participant")
            let page = try await browser.get(client, "/portfolios/p-demo-01/evidence/e1")
            #expect(String(buffer: page.body).contains("up to 64 KB."), "the page states the limit")
            let over = try await browser.upload(
                client, Self.path, name: "over.txt", bytes: [UInt8](repeating: 66, count: Self.limit + 1))
            #expect(over.status == .contentTooLarge)
            #expect(String(buffer: over.body).contains("at most 64 KB"))
            let exact = try await browser.upload(
                client, Self.path, name: "exact.txt", bytes: [UInt8](repeating: 65, count: Self.limit))
            #expect(exact.status == .seeOther, "exactly the stated limit is accepted")
        }
        let attachments = try fixture.store.portfolio("p-demo-01").evidenceItem(withID: "e1")?.attachments ?? []
        #expect(attachments.map(\.name) == ["exact.txt"])
        #expect(attachments.first?.size == Self.limit)
    }

    @Test func aStoreWithASmallerLimitLowersTheStatedAndAcceptedLimit() async throws {
        let fixture = try WebFixture()
        var setup = Self.setup(fixture)
        setup.store = OffloadedStore(DirectoryStore(root: fixture.root, schemas: try TestSupport.schemas(), attachmentLimit: 32 * 1024))
        try await buildApplication(setup).test(.router) { client in
            var browser = try await Browser.signIn(client, as: "participant")
            let page = try await browser.get(client, "/portfolios/p-demo-01/evidence/e1")
            #expect(String(buffer: page.body).contains("up to 32 KB."))
            let over = try await browser.upload(
                client, Self.path, name: "over.txt", bytes: [UInt8](repeating: 66, count: 32 * 1024 + 1))
            #expect(over.status == .contentTooLarge)
            let exact = try await browser.upload(
                client, Self.path, name: "exact.txt", bytes: [UInt8](repeating: 65, count: 32 * 1024))
            #expect(exact.status == .seeOther)
        }
    }
}
