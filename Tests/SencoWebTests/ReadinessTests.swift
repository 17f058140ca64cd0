import Foundation
import Hummingbird
import HummingbirdTesting
import SencoStore
import Testing

@testable import SencoWeb

/// What a load balancer polls: `/health` while the process answers, `/ready` only while the
/// store answers too. Neither needs a session.
struct ReadinessTests {
    @Test func healthAndReadinessAnswerWithoutSignIn() async throws {
        let fixture = try WebFixture()
        try await buildApplication(fixture.setup).test(.router) { client in
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .ok)
            let ready = try await client.execute(uri: "/ready", method: .get)
            #expect(ready.status == .ok)
            #expect(String(buffer: ready.body) == "ready")
            #expect(ready.headers[.cacheControl] == "no-store")
        }
    }

    @Test func aStoreThatDoesNotAnswerMakesTheServerUnready() async throws {
        let fixture = try WebFixture()
        var setup = fixture.setup
        let answering = Flag(true)
        setup.readiness = { answering.value }
        try await buildApplication(setup).test(.router) { client in
            #expect(try await client.execute(uri: "/ready", method: .get).status == .ok)
            answering.value = false
            let unready = try await client.execute(uri: "/ready", method: .get)
            #expect(unready.status == .serviceUnavailable)
            #expect(unready.headers[.retryAfter] == "5")
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok, "alive, though not ready")
        }
    }

    @Test func theDirectoryStoreIsReadyOnlyWhileItsFolderIsWritable() async throws {
        let fixture = try WebFixture()
        try await buildApplication(fixture.setup).test(.router) { client in
            #expect(try await client.execute(uri: "/ready", method: .get).status == .ok)
            try FileManager.default.removeItem(at: fixture.root)
            #expect(try await client.execute(uri: "/ready", method: .get).status == .serviceUnavailable)
        }
    }
}

private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Bool
    init(_ value: Bool) { stored = value }
    var value: Bool {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

/// A template that is shipped but not loaded at start-up would render as an empty page.
struct TemplateListTests {
    @Test func everyShippedTemplateIsLoadedAtStartUp() throws {
        let directory = templatesInSources()
        let shipped = Set(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".mustache") }.map { String($0.dropLast(9)) })
        #expect(shipped == Set(Views.pages))
    }

    func templatesInSources() -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/SencoWeb/Templates")
    }
}
