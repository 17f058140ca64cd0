import Foundation
import SencoDfEFake
import SencoTestSupport
import Testing

/// `senco participant dfe`, `senco cohort dfe`, `senco dfe import` and `senco dfe submit
/// --dry-run` on a copy of the sample store: what is printed, what is refused (one line, nothing
/// stored), and that no name or token is ever shown.
@Suite(.serialized)
struct DfECommandTests {
    let scratch: URL
    let store: URL

    init() throws {
        scratch = try TestSupport.temporaryDirectory("cli-dfe")
        store = scratch.appendingPathComponent("store")
        try FileManager.default.copyItem(at: TestSupport.sampleStore, to: store)
    }

    @discardableResult
    func senco(_ arguments: [String], environment: [String: String] = [:]) async throws -> SencoBinary.Result {
        try await SencoBinary.runDetached(
            arguments, environment: ["SENCO_STORE": store.path].merging(environment) { $1 })
    }

    func refuses(
        _ arguments: [String], mentioning phrase: String, environment: [String: String] = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let before = TestSupport.snapshot(store)
        let result = try await senco(arguments, environment: environment)
        #expect(result.status != 0, "\(arguments) should fail", sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n").filter { !$0.isEmpty }
        #expect(lines.count == 1, "one line of error, got: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(
            result.stderr.contains(phrase), "error names the problem: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(TestSupport.snapshot(store) == before, "nothing stored changed", sourceLocation: sourceLocation)
    }

    @Test func theDryRunPrintsExactlyTheBodiesAndTheDfEJSONIsTheSame() async throws {
        let dry = try await senco(["dfe", "submit", "--cohort", "2025-autumn", "--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        let bodies = dry.stdout.split(separator: "\n").filter { $0.hasPrefix("{") }.map(String.init)
        #expect(!bodies.isEmpty)
        #expect(dry.stdout.contains("nothing was sent"))
        for body in bodies {
            #expect(
                body.hasPrefix(#"{"data":{"attributes":{"course_identifier":"npq-senco","declaration_date":""#),
                "\(body)")
            #expect(
                body.contains(#""participant_id":"5e4c"#) && !body.contains("p-25a"),
                "the DfE's id, never senco's: \(body)")
        }
        #expect(dry.stderr.contains("p-25a-08: no DfE participant id"), "\(dry.stderr)")
        #expect(!dry.stdout.contains("Amira") && !dry.stderr.contains("Amira"), "never a name")
        let report = try await senco(["report", "completion", "--cohort", "2025-autumn", "--format", "dfe-json"])
        #expect(report.status == 0)
        let list = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [[String: Any]])
        #expect(list.count == bodies.count)
    }

    @Test func aParticipantsDfEIdentityIsSetAndShown() async throws {
        let uuid = "0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b"
        let set = try await senco([
            "participant", "dfe", "p-25a-08", "--dfe-id", uuid.uppercased(), "--funded-place", "true", "--as",
            "t-okafor",
        ])
        #expect(set.status == 0, "\(set.stderr)")
        let show = try await senco(["participant", "show", "p-25a-08"])
        #expect(
            show.stdout.contains("DfE:        \(uuid), npq-senco, npq-leadership-autumn, cohort 2025, active"),
            "\(show.stdout)")
        let dry = try await senco(["dfe", "submit", "--cohort", "2025-autumn", "--dry-run"])
        #expect(!dry.stderr.contains("p-25a-08"), "now it has an id: \(dry.stderr)")
        try await refuses(
            ["participant", "dfe", "p-25a-07", "--dfe-id", uuid, "--as", "t-okafor"],
            mentioning: "is already p-25a-08's")
    }

    @Test func badDfEValuesAreRefusedWithOneLineAndNothingStored() async throws {
        try await refuses(
            ["participant", "dfe", "p-25a-08", "--dfe-id", "p-25a-08", "--as", "t-okafor"],
            mentioning: "--dfe-id \"p-25a-08\" is not a UUID")
        try await refuses(
            ["participant", "dfe", "p-25a-01", "--schedule", "npq-specialist-autumn", "--as", "t-okafor"],
            mentioning: "--schedule \"npq-specialist-autumn\" is not an NPQ for SENCOs schedule")
        try await refuses(
            ["participant", "dfe", "p-25a-08", "--schedule", "npq-leadership-spring", "--as", "t-okafor"],
            mentioning: "no DfE participant id yet")
        try await refuses(
            ["cohort", "dfe", "2025-autumn", "--dfe-cohort", "1999"],
            mentioning: "--dfe-cohort 1999 is not a DfE cohort")
        try await refuses(
            ["cohort", "dfe", "2025-autumn", "--delivery-partner", "x"],
            mentioning: "--delivery-partner \"x\" is not a UUID")
        try await refuses(["cohort", "dfe", "2025-autumn"], mentioning: "nothing to set")
    }

    @Test func submittingNeedsATokenFromAFileOrTheEnvironmentAndHTTPS() async throws {
        try await refuses(
            ["dfe", "submit", "--cohort", "2025-autumn", "--base-url", "https://api.example.org"],
            mentioning: "no API token")
        let secret = "s3cret-\(UUID().uuidString)"
        let before = TestSupport.snapshot(store)
        let clear = try await senco(
            ["dfe", "submit", "--cohort", "2025-autumn", "--base-url", "http://api.example.org"],
            environment: ["SENCO_DFE_TOKEN": secret])
        #expect(clear.status != 0 && clear.stderr.contains("must be https"))
        #expect(!clear.stderr.contains(secret) && !clear.stdout.contains(secret))
        #expect(TestSupport.snapshot(store) == before)
    }

    @Test func submitDeclaresEachReadyMilestoneOnceAgainstTheFakeAndRecordsIt() async throws {
        let fake = try await FakeLeadProviderAPI.start()
        defer { Task { await fake.stop() } }
        for n in 1...7 { await fake.enrol(String(format: "5e4c%04x-0d0e-4f00-8a00-%012x", n, n)) }
        let tokenFile = scratch.appendingPathComponent("token")
        try Data((fake.token + "\n").utf8).write(to: tokenFile)
        let dry = try await senco(["dfe", "submit", "--cohort", "2025-autumn", "--dry-run"])
        let planned = dry.stdout.split(separator: "\n").filter { $0.hasPrefix("{") }.count
        let arguments = [
            "dfe", "submit", "--cohort", "2025-autumn", "--base-url", fake.baseURL, "--token-file", tokenFile.path,
        ]
        let first = try await senco(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(
            first.stdout.contains("Submitted for 2025-autumn: \(planned) declared, 0 already held"), "\(first.stdout)")
        #expect(!first.stdout.contains(fake.token) && !first.stderr.contains(fake.token), "never the token")
        let held = await fake.declarations
        #expect(held.count == planned)
        let violations = await fake.violations
        #expect(violations.isEmpty, "\(violations)")
        // The records are in the logs, so a second run has nothing to send.
        let second = try await senco(arguments)
        #expect(
            second.status == 0 && second.stdout.contains("Submitted for 2025-autumn: 0 declared"), "\(second.stdout)")
        #expect(await fake.declarations.count == planned)
        let show = try await senco(["participant", "show", "p-25a-01"])
        #expect(
            show.stdout.contains(
                "declared: completed submitted, retained-1 submitted, retained-2 submitted, started submitted"),
            "\(show.stdout)")
        // The DfE moves one on; sync records it. Void records the voided state.
        let started = try #require(
            held.first { $0.participant == "5e4c0001-0d0e-4f00-8a00-000000000001" && $0.type == "started" })
        await fake.state.setState(started.id, to: "paid")
        let api = ["--base-url", fake.baseURL, "--token-file", tokenFile.path]
        let sync = try await senco(["dfe", "sync", "--cohort", "2025-autumn"] + api)
        #expect(
            sync.status == 0 && sync.stdout.contains("p-25a-01 started: submitted → paid"),
            "\(sync.stdout) \(sync.stderr)")
        #expect(sync.stdout.contains("1 change recorded"))
        let report = try await senco(["report", "completion", "--cohort", "2025-autumn"])
        #expect(report.stdout.contains("DfE paid") && report.stdout.contains("DfE submitted"), "\(report.stdout)")
        let void = try await senco(["dfe", "void", "p-25a-02", "--type", "retained-1"] + api)
        #expect(void.status == 0 && void.stdout.contains(": voided"), "\(void.stdout) \(void.stderr)")
        try await refuses(
            ["dfe", "void", "p-25a-02", "--type", "retained-1"] + api,
            mentioning: "has no retained-1 declaration to void")
        try await refuses(
            ["dfe", "void", "p-25a-02", "--type", "retained"] + api, mentioning: "--type \"retained\" is not started")
        // Reopening a signed-off portfolio whose completion was declared offers the void.
        let reopened = try await senco(["reopen", "p-25a-01", "--reason", "Sign-off in error", "--as", "t-okafor"])
        #expect(reopened.stdout.contains("senco dfe void p-25a-01 --type completed"), "\(reopened.stdout) \(reopened.stderr)")
        // Deferral with the DfE's reason, then resumption; a made-up reason is refused unsent.
        let deferred = try await senco(["dfe", "defer", "p-25a-03", "--reason", "career-break"] + api)
        #expect(
            deferred.status == 0 && deferred.stdout.contains("p-25a-03: deferred in the DfE's records"),
            "\(deferred.stderr)")
        try await refuses(
            ["dfe", "withdraw", "p-25a-03", "--reason", "moving house"] + api,
            mentioning: "is not one of the DfE's withdrawal reasons")
        #expect(try await senco(["dfe", "resume", "p-25a-03"] + api).stdout.contains("p-25a-03: active"))
        // A wrong token is refused by the API: one summary, nothing recorded, the token not shown.
        try Data("wrong-token".utf8).write(to: tokenFile)
        let refused = try await senco([
            "dfe", "submit", "--cohort", "2026-spring", "--base-url", fake.baseURL, "--token-file", tokenFile.path,
        ])
        #expect(
            refused.status != 0 && refused.stderr.contains("401") && !refused.stderr.contains("wrong-token"),
            "\(refused.stderr)")
    }

    @Test func pullReadsEveryPageFromTheAPI() async throws {
        let fake = try await FakeLeadProviderAPI.start()
        defer { Task { await fake.stop() } }
        // 150 participants: two pages of the API's 100.
        await fake.state.setParticipants(
            (1...150).map { n in
                let id = String(format: "%08x-1111-4111-8111-111111111111", 0xc000_0000 + n)
                return """
                    {"id":"\(id)","type":"npq-participant","attributes":{"full_name":"Person \(n)","teacher_reference_number":null,
                    "npq_enrolments":[{"course_identifier":"npq-senco","schedule_identifier":"npq-leadership-autumn","cohort":"2025",
                    "npq_application_id":"\(id)","eligible_for_funding":true,"training_status":"active",
                    "targeted_delivery_funding_eligibility":false,"email":null}]}}
                    """
            })
        let arguments = ["dfe", "pull", "--cohort", "2025-autumn", "--tutor", "t-okafor", "--base-url", fake.baseURL]
        let first = try await senco(arguments, environment: ["SENCO_DFE_TOKEN": fake.token])
        #expect(first.status == 0 && first.stdout.contains("150 new"), "\(first.stdout) \(first.stderr)")
        let second = try await senco(arguments, environment: ["SENCO_DFE_TOKEN": fake.token])
        #expect(second.stdout.contains("0 new, 0 updated, 150 unchanged"), "\(second.stdout)")
        #expect(await fake.requests.count == 4, "two pages each time")
    }

    @Test func aVersionOnePortfolioIsUpgradedOnImportAndOneClaimingVersionTwosPartsIsRefused() async throws {
        let exported = try await senco(["portfolio", "export", "p-25a-08", "--format", "xml"])
        #expect(exported.status == 0, "\(exported.stderr)")
        let old = exported.stdout.replacingOccurrences(of: "schemaVersion=\"2\"", with: "schemaVersion=\"1\"")
            .replacingOccurrences(of: "p-25a-08", with: "p-25a-09")
        let file = scratch.appendingPathComponent("p-25a-09.xml")
        try Data(old.utf8).write(to: file)
        let imported = try await senco(["portfolio", "import", file.path])
        #expect(imported.status == 0 && imported.stdout.contains("(schemaVersion 2)"), "\(imported.stdout) \(imported.stderr)")
        let stored = try String(
            contentsOf: store.appendingPathComponent("cohorts/2025-autumn/portfolios/p-25a-09.xml"), encoding: .utf8)
        #expect(stored.contains("schemaVersion=\"2\""))
        let withDfE = try await senco(["portfolio", "export", "p-25a-01", "--format", "xml"]).stdout
            .replacingOccurrences(of: "schemaVersion=\"2\"", with: "schemaVersion=\"1\"")
            .replacingOccurrences(of: "p-25a-01", with: "p-25a-10")
        let claiming = scratch.appendingPathComponent("p-25a-10.xml")
        try Data(withDfE.utf8).write(to: claiming)
        try await refuses(["portfolio", "import", claiming.path], mentioning: "<dfe> needs schemaVersion 2")
    }

    @Test func importingTwiceUpdatesAndNeverDuplicates() async throws {
        let page = """
            {"data":[{"id":"abcdef01-2345-4678-9abc-def012345678","type":"npq-participant","attributes":{"full_name":"New Person",
            "teacher_reference_number":"7777777","updated_at":"2025-09-01T10:00:00.000Z","npq_enrolments":[{"course_identifier":"npq-senco",
            "schedule_identifier":"npq-leadership-autumn","cohort":"2025","npq_application_id":"db3a7848-7308-4879-942a-c4a70ced400a",
            "eligible_for_funding":true,"training_status":"active","targeted_delivery_funding_eligibility":false,"email":null}]}},
            {"id":"abcdef02-2345-4678-9abc-def012345678","type":"npq-participant","attributes":{"full_name":"Other Course",
            "teacher_reference_number":null,"npq_enrolments":[{"course_identifier":"npq-headship","cohort":"2025",
            "npq_application_id":"db3a7848-7308-4879-942a-c4a70ced400a","eligible_for_funding":true,"training_status":"active",
            "targeted_delivery_funding_eligibility":false,"email":null}]}}]}
            """
        let file = scratch.appendingPathComponent("participants.json")
        try Data(page.utf8).write(to: file)
        let first = try await senco(["dfe", "import", file.path, "--cohort", "2025-autumn", "--tutor", "t-okafor"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("1 new, 0 updated, 0 unchanged, 0 conflicts, 1 skipped"), "\(first.stdout)")
        #expect(first.stdout.contains("new dfe-abcdef01"))
        #expect(!first.stdout.contains("New Person") && !first.stderr.contains("Other Course"), "never a name")
        let second = try await senco(["dfe", "import", file.path, "--cohort", "2025-autumn", "--tutor", "t-okafor"])
        #expect(second.stdout.contains("0 new, 0 updated, 1 unchanged"), "\(second.stdout)")
        try Data("{\"data\":[{\"id\":\"nope\"}]}".utf8).write(to: file)
        try await refuses(
            ["dfe", "import", file.path, "--cohort", "2025-autumn", "--tutor", "t-okafor"],
            mentioning: "data[0]: type is not npq-participant")
    }
}
