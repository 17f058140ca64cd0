import Foundation
import SencoTestSupport
import Testing

/// The CLI as a user meets it: a participant from nothing to a coverage report, then every kind
/// of bad input, each refused with one line, a non-zero exit and no stored byte changed.
@Suite(.serialized)
struct CommandLineJourneyTests {
    let store: URL
    let scratch: URL

    init() throws {
        scratch = try TestSupport.temporaryDirectory("cli")
        store = scratch.appendingPathComponent("store")
    }

    @discardableResult
    func senco(_ arguments: [String], stdin: String? = nil) throws -> SencoBinary.Result {
        try SencoBinary.run(arguments, stdin: stdin, environment: ["SENCO_STORE": store.path])
    }

    /// Runs a command that must fail: checks the exit, the single error line and that the store is untouched.
    func refuses(_ arguments: [String], mentioning phrase: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = TestSupport.snapshot(store)
        let result = try senco(arguments)
        #expect(result.status != 0, "\(arguments) should fail", sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n").filter { !$0.isEmpty }
        #expect(lines.count == 1, "one line of error, got: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(phrase), "error names the problem: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(TestSupport.snapshot(store) == before, "nothing stored changed", sourceLocation: sourceLocation)
    }

    func setUp() throws {
        #expect(try senco(["cohort", "create", "2026-autumn", "--title", "Autumn 2026", "--provider", "Example Hub", "--start", "2026-10-05", "--tutor", "t-one=Tutor One", "--tutor", "t-two=Tutor Two"]).status == 0)
        #expect(try senco(["participant", "add", "p-01", "--name", "Sam Example", "--school", "Hillside Primary", "--cohort", "2026-autumn", "--tutor", "t-one"]).status == 0)
    }

    @Test func aNewUserLogsMapsAndReadsTheirGaps() throws {
        try setUp()
        let reflection = String(repeating: "I read chapter 6 of the SEND Code of Practice & related it to our register. ", count: 5)
        #expect(try senco(["evidence", "add", "-p", "p-01", "--title", "Reading log: Code of Practice", "--type", "reading-log", "--date", "2026-10-12", "--reflection", reflection]).status == 0)
        let notes = scratch.appendingPathComponent("map.csv")
        try Data("pupil,provision\nA,phonics\n".utf8).write(to: notes)
        let added = try senco(["evidence", "add", "-p", "p-01", "--title", "Provision map Y4", "--type", "provision-map", "--date", "2026-10-19", "--reflection-file", "-", "--attach", notes.path, "--sensitive"], stdin: "I built the map with the Year 4 team and used it to ask which interventions work.")
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.contains("Added evidence e2"))
        #expect(try senco(["evidence", "add", "-p", "p-01", "--title", "Family meeting", "--type", "meeting-record", "--date", "2026-10-21", "--reflection", "We used person-centred planning; the family’s views changed the plan."]).status == 0)
        #expect(try senco(["map", "-p", "p-01", "e1", "2.1", "2.6", "--claim", "Summarises the legal basis"]).status == 0)
        #expect(try senco(["map", "-p", "p-01", "e2", "6.l", "--claim", "The map and how I use it"]).status == 0)
        #expect(try senco(["map", "-p", "p-01", "e3", "2.g", "6.m", "--claim", "The family shaped the plan"]).status == 0)

        let coverage = try senco(["coverage", "p-01"])
        #expect(coverage.status == 0)
        #expect(coverage.stdout.contains("Gaps (219 statements with no evidence)"))
        #expect(coverage.stdout.contains("1.1   The SEND Code of Practice (2015) is underpinned by the social model of disability"))
        let json = try senco(["coverage", "p-01", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["participant"] as? String == "p-01")
        #expect(object["framework"] as? String == "npq-senco-2023")
        let sections = try #require(object["sections"] as? [[String: Any]])
        let two = try #require(sections.first { $0["number"] as? Int == 2 })
        #expect((two["learnThat"] as? [String: Any])?["evidenced"] as? Int == 2)
        #expect((two["learnHowTo"] as? [String: Any])?["evidenced"] as? Int == 1)
        let statements = try #require(object["statements"] as? [[String: Any]])
        #expect(statements.first { $0["id"] as? String == "6.l" }?["evidence"] as? [String] == ["e2"])

        // Text pasted from a word processor: page and column breaks become line breaks.
        let pastedText = try senco(["evidence", "add", "-p", "p-01", "--title", "Pasted", "--type", "reading-log", "--date", "2026-10-20", "--reflection-file", "-"], stdin: "Page one\u{0C}Page two\u{0B}column\r\nend")
        #expect(pastedText.status == 0, "\(pastedText.stderr)")
        #expect(try senco(["portfolio", "export", "p-01"]).stdout.contains("Page one\nPage two\ncolumn\nend"))

        let removed = try senco(["evidence", "remove", "-p", "p-01", "e3"])
        #expect(removed.stdout.contains("its mappings to 2.g, 6.m went with it"))
        let history = try senco(["portfolio", "export", "p-01"])
        #expect(history.stdout.contains("Removed evidence e3 and its mappings to 2.g, 6.m"), "the log keeps a record")
    }

    @Test func badInputIsRefusedWithOneLineAndNothingChanges() throws {
        try setUp()
        #expect(try senco(["evidence", "add", "-p", "p-01", "--id", "e1", "--title", "T", "--type", "observation", "--date", "2026-10-12", "--reflection", "r"]).status == 0)
        try refuses(["participant", "show", "p-99"], mentioning: "no participant \"p-99\"")
        try refuses(["participant", "show", "../../etc"], mentioning: "may only contain lowercase letters")
        try refuses(["map", "-p", "p-01", "e1", "1.99", "--claim", "c"], mentioning: "unknown statement id \"1.99\"; did you mean")
        try refuses(["evidence", "add", "-p", "p-01", "--title", "T", "--type", "observation", "--date", "2026-02-30", "--reflection", "r"], mentioning: "is not a date")
        try refuses(["evidence", "add", "-p", "p-01", "--title", "T", "--type", "observation", "--date", "2099-01-01", "--reflection", "r"], mentioning: "in the future")
        try refuses(["evidence", "add", "-p", "p-01", "--id", "e1", "--title", "T", "--type", "observation", "--date", "2026-10-12", "--reflection", "r"], mentioning: "evidence id e1 is already used")
        try refuses(["evidence", "add", "-p", "p-01", "--title", "T", "--type", "observation", "--date", "2026-10-12", "--attach", "/no/such/file.pdf"], mentioning: "does not exist")
        try refuses(["evidence", "add", "-p", "p-01", "--title", "T", "--type", "observation", "--date", "2026-10-12", "--attach", scratch.path], mentioning: "is a directory")
        try refuses(["evidence", "add", "-p", "p-01", "--title", "T", "--type", "selfie", "--date", "2026-10-12"], mentioning: "unknown evidence type")
        try refuses(["map", "-p", "p-01", "e1", "1.1", "--claim", "c", "--revision", "1"], mentioning: "has changed since you read it")
        try refuses(["participant", "add", "p-01", "--name", "N", "--school", "S", "--cohort", "2026-autumn", "--tutor", "t-one"], mentioning: "already exists")
        try refuses(["participant", "add", "p-02", "--name", "N", "--school", "S", "--cohort", "2026-autumn", "--tutor", "t-nine"], mentioning: "does not teach cohort")
        try refuses(["judge", "p-01", "9.9", "--status", "met", "--assessor", "t-one"], mentioning: "unknown statement id")
        try refuses(["judge", "p-01", "1.1", "--status", "met", "--assessor", "t-one"], mentioning: "no evidence is mapped")
        try refuses(["moderation", "plan", "--cohort", "2026-autumn", "--rate", "0"], mentioning: "outside 1–100")
        try refuses(["moderation", "plan", "--cohort", "2026-autumn", "--rate", "101"], mentioning: "outside 1–100")

        let big = scratch.appendingPathComponent("huge.bin")
        #expect(FileManager.default.createFile(atPath: big.path, contents: nil))
        let handle = try FileHandle(forWritingTo: big)
        try handle.truncate(atOffset: 21 * 1024 * 1024)
        try handle.close()
        try refuses(["evidence", "add", "-p", "p-01", "--title", "T", "--type", "observation", "--date", "2026-10-12", "--attach", big.path], mentioning: "the limit is")

        for (name, content) in [
            ("not-xml.xml", "this is not XML"),
            ("hostile.xml", "<!DOCTYPE p [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><portfolio>&x;</portfolio>"),
            ("schema.xml", "<portfolio revision=\"1\" schemaVersion=\"1\"><participant/></portfolio>"),
        ] {
            let file = scratch.appendingPathComponent(name)
            try Data(content.utf8).write(to: file)
            let before = TestSupport.snapshot(store)
            let result = try senco(["portfolio", "import", file.path])
            #expect(result.status != 0, "\(name) is refused")
            #expect(result.stderr.contains(file.path) && result.stdout.isEmpty, "the finding names the file, on standard error: \(result.stderr)")
            #expect(TestSupport.snapshot(store) == before)
        }
    }

    @Test func assessmentModerationAndExportsEndToEnd() throws {
        try setUp()
        #expect(try senco(["evidence", "add", "-p", "p-01", "--title", "T", "--type", "observation", "--date", "2026-10-12", "--reflection", "An observation of adaptive teaching in Year 5, with feedback to the teacher."]).status == 0)
        #expect(try senco(["map", "-p", "p-01", "e1", "4.a", "4.b", "--claim", "c"]).status == 0)
        #expect(try senco(["submit", "p-01"]).status == 0)
        #expect(try senco(["judge", "p-01", "4.a", "--status", "met", "--feedback", "Good", "--assessor", "t-one"]).status == 0)
        #expect(try senco(["judge", "p-01", "4.b", "--status", "partially-met", "--feedback", "Say what changed", "--assessor", "t-one"]).status == 0)
        try refuses(["signoff", "p-01", "--tutor", "t-one"], mentioning: "statements are not judged met")
        #expect(try senco(["signoff", "p-01", "--tutor", "t-one", "--outcome", "failed", "--reason", "Withdrew from assessment"]).status == 0)
        try refuses(["judge", "p-01", "4.b", "--status", "met", "--assessor", "t-one"], mentioning: "signed off and locked")
        try refuses(["evidence", "add", "-p", "p-01", "--title", "T", "--type", "observation", "--date", "2026-10-12"], mentioning: "signed off and locked")
        #expect(try senco(["reopen", "p-01", "--reason", "Moderation query", "--as", "t-one"]).status == 0)

        let plan = try senco(["moderation", "plan", "--cohort", "2026-autumn", "--rate", "100", "--seed", "7", "--id", "plan-1"])
        #expect(plan.status == 0, "\(plan.stderr)")
        try refuses(["moderation", "mark", "--plan", "plan-1", "p-01", "4.a", "--status", "met", "--moderator", "t-one"], mentioning: "must be someone else")
        let mark = try senco(["moderation", "mark", "--plan", "plan-1", "p-01", "4.b", "--status", "met", "--moderator", "m-one"])
        #expect(mark.status == 0)
        #expect(!mark.stdout.contains("partially"), "second marking is blind: the first mark is not shown")
        #expect(try senco(["moderation", "reconcile", "p-01", "4.b", "--status", "partially-met", "--note", "Agreed after discussion", "--as", "m-one"]).status == 0)
        let report = try senco(["moderation", "report", "--plan", "plan-1"])
        #expect(report.stdout.contains("p-01 4.b: first partially met, second met; agreed partially met: Agreed after discussion"))

        let pack = scratch.appendingPathComponent("pack")
        #expect(try senco(["export", "pack", "--sample", "plan-1", "--out", pack.path]).status == 0)
        #expect(try senco(["verify", pack.path]).status == 0)
        let html = pack.appendingPathComponent("p-01/portfolio.html")
        var bytes = try Data(contentsOf: html)
        bytes[100] ^= 0x20
        try bytes.write(to: html)
        let verify = try senco(["verify", pack.path])
        #expect(verify.status != 0)
        #expect(verify.stdout.contains("changed: p-01/portfolio.html"))

        for format in ["xml", "html", "csv", "json", "dfe-json", "text"] {
            let result = try senco(["report", "completion", "--cohort", "2026-autumn", "--format", format])
            // dfe-json sends nothing for a participant with no DfE participant id, and says so.
            let shown = format == "dfe-json" ? result.stderr : result.stdout
            #expect(result.status == 0 && shown.contains("p-01"), "\(format): \(result.stderr)")
        }
        #expect(try senco(["cohort", "create", "empty", "--title", "Empty", "--provider", "P", "--start", "2026-01-05"]).status == 0)
        let empty = try senco(["report", "completion", "--cohort", "empty"])
        #expect(empty.status == 0 && empty.stdout.contains("This cohort has no participants."))
    }
}
