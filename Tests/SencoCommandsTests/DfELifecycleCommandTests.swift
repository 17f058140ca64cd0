import Foundation
import SencoDfEFake
import SencoTestSupport
import Testing

/// `senco withdraw --dfe-reason` (sent at once, or kept to send), `dfe submit` sending what was
/// kept, `dfe withdraw` without a reason, and `dfe sync` keeping its marker, on a copy of the
/// sample store against the loopback fake.
@Suite(.serialized)
struct DfELifecycleCommandTests {
    let scratch: URL
    let store: URL
    /// No API unless a test gives one: the environment the tests run in must not supply it.
    static let noAPI = ["SENCO_DFE_BASE_URL": "", "SENCO_DFE_TOKEN": ""]

    init() throws {
        scratch = try TestSupport.temporaryDirectory("cli-dfe-life")
        store = scratch.appendingPathComponent("store")
        try FileManager.default.copyItem(at: TestSupport.sampleStore, to: store)
    }

    @discardableResult
    func senco(_ arguments: [String], environment: [String: String] = [:]) async throws -> SencoBinary.Result {
        try await SencoBinary.runDetached(
            arguments, environment: ["SENCO_STORE": store.path].merging(Self.noAPI) { $1 }.merging(environment) { $1 })
    }

    /// A fake with every sample participant enrolled, and the environment that points at it.
    func withFake(_ body: (FakeLeadProviderAPI, [String: String]) async throws -> Void) async throws {
        let fake = try await FakeLeadProviderAPI.start()
        for n in 1...12 { await fake.enrol(String(format: "5e4c%04x-0d0e-4f00-8a00-%012x", n, n)) }
        do {
            try await body(fake, ["SENCO_DFE_BASE_URL": fake.baseURL, "SENCO_DFE_TOKEN": fake.token])
        } catch {
            await fake.stop()
            throw error
        }
        let violations = await fake.violations
        #expect(violations.isEmpty, "\(violations)")
        await fake.stop()
    }

    @Test func withdrawNeedsTheDfEsOwnReasonAndIsRefusedWithoutOneStoringNothing() async throws {
        let before = TestSupport.snapshot(store)
        let missing = try await senco(["withdraw", "p-25a-04", "--reason", "Left the school", "--as", "t-okafor"])
        #expect(missing.status != 0 && missing.stderr.contains("--dfe-reason"), "\(missing.stderr)")
        let wrong = try await senco([
            "withdraw", "p-25a-04", "--reason", "Left the school", "--dfe-reason", "moving-house", "--as", "t-okafor",
        ])
        #expect(wrong.status != 0)
        let lines = wrong.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(wrong.stderr)")
        #expect(
            wrong.stderr.contains("--dfe-reason \"moving-house\" is not one of the DfE's withdrawal reasons"),
            "\(wrong.stderr)")
        #expect(TestSupport.snapshot(store) == before, "nothing stored")
    }

    @Test func withoutAnAPITheWithdrawalIsKeptToSendAndSubmitSendsItAfterTheDeclarations() async throws {
        let kept = try await senco([
            "withdraw", "p-25a-04", "--reason", "Left the school", "--dfe-reason", "change-in-school-circumstances",
            "--as", "t-okafor",
        ])
        #expect(kept.status == 0, "\(kept.stderr)")
        #expect(kept.stdout.contains("is kept to send: senco dfe submit --cohort 2025-autumn"), "\(kept.stdout)")
        #expect(
            try await senco(["participant", "show", "p-25a-04"]).stdout.contains(
                "withdrawal to send (change-in-school-circumstances)"))
        let dry = try await senco(["dfe", "submit", "--cohort", "2025-autumn", "--dry-run"])
        #expect(
            dry.stdout.contains(
                "PUT /api/v3/participants/npq/5e4c0004-0d0e-4f00-8a00-000000000004/withdraw (p-25a-04 withdrawal)"),
            "\(dry.stdout)")
        #expect(
            dry.stdout.contains(
                #"{"data":{"attributes":{"course_identifier":"npq-senco","reason":"change-in-school-circumstances"},"type":"participant-withdraw"}}"#
            ))
        try await withFake { fake, api in
            let sent = try await senco(["dfe", "submit", "--cohort", "2025-autumn"], environment: api)
            #expect(sent.status == 0, "\(sent.stdout) \(sent.stderr)")
            #expect(sent.stdout.contains("Sent p-25a-04 withdrawal: withdrawn since"), "\(sent.stdout)")
            #expect(await fake.state.trainingStatus("5e4c0004-0d0e-4f00-8a00-000000000004") == "withdrawn")
            let show = try await senco(["participant", "show", "p-25a-04"]).stdout
            #expect(show.contains("withdrawn since") && !show.contains("withdrawal to send"), "\(show)")
            let again = try await senco(["dfe", "submit", "--cohort", "2025-autumn"], environment: api)
            #expect(
                again.stdout.contains("0 declared") && again.stdout.contains("0 withdrawals recorded"),
                "\(again.stdout)")
            #expect(await fake.requests.filter { $0.hasPrefix("PUT") }.count == 1, "sent once")
        }
    }

    @Test func withAnAPITheWithdrawalIsSentAtOnce() async throws {
        try await withFake { fake, api in
            // The API withdraws only a participant with a started declaration.
            #expect(try await senco(["dfe", "submit", "--cohort", "2025-autumn"], environment: api).status == 0)
            let sent = try await senco(
                [
                    "withdraw", "p-25a-06", "--reason", "Moved away", "--dfe-reason", "personal-reason-moving-school",
                    "--as", "t-okafor",
                ], environment: api)
            #expect(sent.status == 0, "\(sent.stderr)")
            #expect(sent.stdout.contains("The DfE has the withdrawal: withdrawn since"), "\(sent.stdout)")
            #expect(!sent.stdout.contains(fake.token) && !sent.stderr.contains(fake.token), "never the token")
            #expect(await fake.state.trainingStatus("5e4c0006-0d0e-4f00-8a00-000000000006") == "withdrawn")
            // With no DfE id it cannot be sent: kept, and said so.
            let noID = try await senco(
                ["withdraw", "p-25a-08", "--reason", "Left", "--dfe-reason", "other", "--as", "t-okafor"],
                environment: api)
            #expect(noID.status == 0 && noID.stdout.contains("has no DfE participant id"), "\(noID.stdout)")
            // dfe withdraw without --reason has nothing waiting for p-25a-05.
            let nothing = try await senco(["dfe", "withdraw", "p-25a-05"], environment: api)
            #expect(nothing.status != 0 && nothing.stderr.contains("has no withdrawal waiting to be sent"))
        }
    }

    @Test func dfeWithdrawWithoutAReasonSendsTheOneKept() async throws {
        try await withFake { fake, api in
            #expect(try await senco(["dfe", "submit", "--cohort", "2025-autumn"], environment: api).status == 0)
            #expect(
                try await senco([
                    "withdraw", "p-25a-05", "--reason", "Left", "--dfe-reason", "started-in-error", "--as", "t-okafor",
                ]).status == 0)
            let sent = try await senco(["dfe", "withdraw", "p-25a-05"], environment: api)
            #expect(
                sent.status == 0 && sent.stdout.contains("p-25a-05: withdrawn in the DfE's records"), "\(sent.stderr)")
            #expect(await fake.state.trainingStatus("5e4c0005-0d0e-4f00-8a00-000000000005") == "withdrawn")
            #expect(!(try await senco(["participant", "show", "p-25a-05"]).stdout.contains("withdrawal to send")))
        }
    }

    @Test func syncKeepsItsMarkerAndFullIgnoresIt() async throws {
        try await withFake { fake, api in
            #expect(try await senco(["dfe", "submit", "--cohort", "2025-autumn"], environment: api).status == 0)
            let first = try await senco(["dfe", "sync", "--cohort", "2025-autumn"], environment: api)
            #expect(first.status == 0 && first.stdout.contains("Synced 2025-autumn (everything)"), "\(first.stdout)")
            let cohortFile = store.appendingPathComponent("cohorts/2025-autumn/cohort.xml")
            #expect(try String(contentsOf: cohortFile, encoding: .utf8).contains("<dfeSync updatedSince="))
            let second = try await senco(["dfe", "sync", "--cohort", "2025-autumn"], environment: api)
            #expect(second.stdout.contains("Synced 2025-autumn (changes since 20"), "\(second.stdout)")
            let asked = await fake.requests.filter { $0.hasPrefix("GET /api/v3/participant-declarations") }.last ?? ""
            #expect(asked.contains("filter[updated_since]="), "\(asked)")
            let full = try await senco(["dfe", "sync", "--cohort", "2025-autumn", "--full"], environment: api)
            #expect(full.stdout.contains("(everything)"), "\(full.stdout)")
            let both = try await senco(
                ["dfe", "sync", "--cohort", "2025-autumn", "--full", "--since", "2026-01-01T00:00:00Z"],
                environment: api)
            #expect(both.status != 0 && both.stderr.contains("give --full or --since, not both"))
        }
    }
}
