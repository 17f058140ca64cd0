import Foundation
import SencoCore
import SencoData
import SencoTestSupport
import Testing

@testable import SencoStore

/// `users.xml` and `links.xml` in a store directory: files written before accounts could wait
/// for a password still read; links outlive the process that made them; a damaged links file is
/// reported by `store check`.
struct AccountFilesTests {
    let root: URL
    let store: DirectoryStore

    init() throws {
        root = try TestSupport.temporaryDirectory("accounts")
        store = DirectoryStore(root: root, schemas: try TestSupport.schemas())
        try store.createCohort(TestSupport.cohort())
    }

    static let hash = "$2b$12$" + String(repeating: "a", count: 53)

    @Test func aUsersFileWrittenBeforeDisabledAndLastSignInExistedStillReads() throws {
        let old = """
            <?xml version="1.0" encoding="UTF-8"?>
            <users schemaVersion="1">
              <user id="lead" role="provider" created="2026-01-01T09:00:00Z">
                <name>Programme lead</name>
                <password-hash>\(Self.hash)</password-hash>
              </user>
            </users>
            """
        try Data(old.utf8).write(to: root.appendingPathComponent("users.xml"))
        let users = try UserDirectory(root: root, schemaDirectory: TestSupport.portfoliosDirectory)
        let lead = try #require(try users.user("lead"))
        #expect(lead.passwordHash == Self.hash)
        #expect(!lead.disabled)
        #expect(lead.lastSignIn == nil)
        #expect(lead.canSignIn)
    }

    @Test func anAccountWithoutAPasswordDisabledAndSignedInRoundTrips() throws {
        let users = try UserDirectory(root: root, schemaDirectory: TestSupport.portfoliosDirectory)
        let created = Date(timeIntervalSince1970: 1_790_000_000)
        try users.add(
            UserAccount(id: "new", role: .moderator, name: "New & <odd> “name”", passwordHash: nil, created: created))
        try users.update("new") {
            $0.disabled = true
            $0.lastSignIn = created.addingTimeInterval(60)
        }
        let text = String(decoding: try Data(contentsOf: root.appendingPathComponent("users.xml")), as: UTF8.self)
        #expect(!text.contains("password-hash"), "no placeholder is stored for a password not yet set")
        let read = try #require(
            try UserDirectory(root: root, schemaDirectory: TestSupport.portfoliosDirectory).user("new"))
        #expect(read.passwordHash == nil && read.disabled && read.lastSignIn == created.addingTimeInterval(60))
        #expect(read.name == "New & <odd> “name”")
        #expect(!read.canSignIn)
        #expect(
            !FileManager.default.fileExists(atPath: root.appendingPathComponent("users.lock").path), "the lock is gone")
    }

    @Test func linksOutliveTheirProcessAndAreUsedOnce() async throws {
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        let (token, link) = OneTimeLink.make(for: "new", purpose: .setPassword, now: now)
        try await OneTimeLinkDirectory(root: root, schemaDirectory: TestSupport.portfoliosDirectory).issue(link)
        let text = String(decoding: try Data(contentsOf: root.appendingPathComponent("links.xml")), as: UTF8.self)
        #expect(!text.contains(token), "only the hash is kept")
        let later = try OneTimeLinkDirectory(root: root, schemaDirectory: TestSupport.portfoliosDirectory)
        #expect(
            try await later.redeem(token: token, purpose: .setPassword, now: now.addingTimeInterval(6 * 24 * 3600))
                == link)
        #expect(
            try await later.redeem(token: token, purpose: .setPassword, now: now.addingTimeInterval(6 * 24 * 3600))
                == nil)
        #expect(try later.links().isEmpty, "a used link is removed")
        #expect(try store.check().isEmpty)
    }

    @Test func aDamagedLinksFileIsReportedByStoreCheck() throws {
        try Data("<links schemaVersion=\"1\"><link token-hash=\"x\"/></links>".utf8).write(
            to: root.appendingPathComponent("links.xml"))
        let problems = try store.check()
        #expect(problems.contains { $0.path == "links.xml" && $0.kind == .damage })
    }
}
