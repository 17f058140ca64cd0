import Foundation
import SencoTestSupport
import Testing

/// `senco user link`, `user disable` and `user enable` on a store directory.
@Suite(.serialized)
struct UserAccessCommandTests {
    let store: URL

    init() throws {
        store = try TestSupport.temporaryDirectory("cli-users").appendingPathComponent("store")
    }

    @discardableResult
    func senco(_ arguments: [String], stdin: String? = nil) throws -> SencoBinary.Result {
        try SencoBinary.run(arguments, stdin: stdin, environment: ["SENCO_STORE": store.path])
    }

    func setUp() throws {
        #expect(
            try senco([
                "cohort", "create", "c-1", "--title", "Autumn", "--provider", "Hub", "--start", "2026-10-05", "--tutor",
                "t-one=Tutor One",
            ]).status == 0)
        #expect(
            try senco(
                ["user", "add", "lead", "--role", "provider", "--name", "Lead"], stdin: "a long enough password\n"
            ).status == 0)
    }

    @Test func aLinkIsPrintedOnceAndOnlyItsHashIsStored() throws {
        try setUp()
        let first = try senco(["user", "link", "lead", "--base-url", "https://senco.example.org/"])
        #expect(first.status == 0, "\(first.stderr)")
        let url = first.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(url.hasPrefix("https://senco.example.org/set-password/"))
        let token = String(url.dropFirst("https://senco.example.org/set-password/".count))
        #expect(token.count >= 40)
        let links = String(decoding: try Data(contentsOf: store.appendingPathComponent("links.xml")), as: UTF8.self)
        #expect(!links.contains(token))
        let second = try senco(["user", "link", "lead", "--base-url", "https://senco.example.org"])
        #expect(second.stdout != first.stdout, "a new token each time")

        let unknown = try senco(["user", "link", "nobody", "--base-url", "https://senco.example.org"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no user"))
        for bad in ["senco.example.org", "ftp://x.org", "https://x.org/?a=1"] {
            let refused = try senco(["user", "link", "lead", "--base-url", bad])
            #expect(refused.status != 0, "\(bad)")
            #expect(refused.stderr.contains("--base-url"))
        }
    }

    @Test func anAccountIsDisabledAndEnabledAndTheListSaysSo() throws {
        try setUp()
        #expect(try senco(["user", "disable", "lead"]).stdout == "Disabled lead\n")
        #expect(try senco(["user", "list"]).stdout.contains("(disabled)"))
        #expect(try senco(["user", "enable", "lead"]).stdout == "Enabled lead\n")
        #expect(!(try senco(["user", "list"]).stdout.contains("disabled")))
        let unknown = try senco(["user", "disable", "nobody"])
        #expect(unknown.status != 0)
    }
}
