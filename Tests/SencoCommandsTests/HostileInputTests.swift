import Foundation
import SencoTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Every class of bad input to the command line, one row each: a non-zero exit, one line on
/// standard error that names the field or file, no raw control character echoed, and the store
/// byte for byte as it was (every entry: lock files, temporary files, blobs and folders).
@Suite struct HostileInputTests {
    /// One bad input. `$SCRATCH` and `$STORE` in arguments become the case's folders.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let arguments: [String]
        let phrase: String
        var stdin: String? = nil
        /// Argument errors may add a second line pointing at --help.
        var lines: ClosedRange<Int> = 1...1
        var testDescription: String { name }
    }

    static let reflection = String(repeating: "I led a review of our SEN register with class teachers. ", count: 6)

    static let cases: [Case] = [
        // 1. Check, then write: refused after reading an attachment, nothing stored.
        Case(name: "attachment with an impossible date", arguments: ["evidence", "add", "-p", "p-01", "--title", "T", "--type", "observation", "--date", "2026-02-30", "--attach", "$SCRATCH/map.csv"], phrase: "--date \"2026-02-30\" is not a date"),
        Case(name: "attachment with an unknown type", arguments: ["evidence", "add", "-p", "p-01", "--title", "T", "--type", "selfie", "--date", "2026-10-12", "--attach", "$SCRATCH/map.csv"], phrase: "unknown evidence type \"selfie\""),
        Case(name: "attachment on a stale revision", arguments: ["evidence", "add", "-p", "p-01", "--title", "T", "--type", "observation", "--date", "2026-10-12", "--attach", "$SCRATCH/map.csv", "--revision", "1"], phrase: "has changed since you read it"),
        Case(name: "attachment on a signed-off portfolio", arguments: ["evidence", "add", "-p", "p-03", "--title", "T", "--type", "observation", "--date", "2026-10-12", "--attach", "$SCRATCH/map.csv"], phrase: "signed off and locked"),
        Case(name: "edit with a stale revision", arguments: ["evidence", "edit", "-p", "p-01", "e1", "--reflection", "changed", "--revision", "1"], phrase: "has changed since you read it"),
        Case(name: "edit to an empty title", arguments: ["evidence", "edit", "-p", "p-01", "e1", "--title", "  "], phrase: "needs a title"),
        Case(name: "a 30 MB title", arguments: ["evidence", "edit", "-p", "p-01", "e1", "--title", String(repeating: "x", count: 301)], phrase: "the limit is 300"),
        Case(name: "a claim over its limit", arguments: ["map", "-p", "p-01", "e1", "1.1", "--claim", String(repeating: "c", count: 2_001)], phrase: "--claim is 2001 characters"),
        Case(name: "unknown statement", arguments: ["map", "-p", "p-01", "e1", "1.99", "--claim", "c"], phrase: "unknown statement id \"1.99\"; did you mean"),
        // 4. People and dates.
        Case(name: "judged by another participant's tutor", arguments: ["judge", "p-01", "2.1", "--status", "not-met", "--feedback", "f", "--assessor", "t-two"], phrase: "--assessor t-two is not p-01's tutor"),
        Case(name: "judged by nobody known", arguments: ["judge", "p-01", "2.1", "--status", "not-met", "--feedback", "f", "--assessor", "t-one-typo"], phrase: "is not p-01's tutor"),
        Case(name: "returned by a tutor of another cohort", arguments: ["return", "p-01", "--feedback", "f", "--tutor", "t-other"], phrase: "--tutor t-other is not a tutor of cohort 2026-autumn"),
        Case(name: "signed off by an unknown tutor", arguments: ["signoff", "p-01", "--tutor", "t-onee", "--outcome", "failed", "--reason", "r"], phrase: "not a tutor of cohort 2026-autumn; did you mean t-one?"),
        Case(name: "failed without a reason", arguments: ["signoff", "p-02", "--tutor", "t-two", "--outcome", "failed", "--reason", "   "], phrase: "needs a reason"),
        Case(name: "withdrawn by an unknown person", arguments: ["withdraw", "p-01", "--reason", "Moved school", "--dfe-reason", "personal-reason-moving-school", "--as", "someone"], phrase: "--as someone is neither a tutor"),
        Case(name: "withdrawn without a reason", arguments: ["withdraw", "p-01", "--reason", " ", "--dfe-reason", "other", "--as", "t-one"], phrase: "needs a reason"),
        Case(name: "reopened by an unknown provider", arguments: ["reopen", "p-03", "--reason", "Query", "--as", "boss", "--role", "provider"], phrase: "--as boss is neither"),
        Case(name: "account for a tutor no cohort has", arguments: ["user", "add", "u-x", "--role", "tutor", "--tutor-id", "t-nobody"], phrase: "--tutor-id t-nobody is not a tutor of any cohort", stdin: "a long enough password 1\n"),
        Case(name: "account for a participant who does not exist", arguments: ["user", "add", "u-x", "--role", "participant", "--participant-id", "p-99"], phrase: "no participant \"p-99\"", stdin: "a long enough password 1\n"),
        Case(name: "a cohort starting in 9999", arguments: ["cohort", "create", "c-late", "--title", "T", "--provider", "P", "--start", "9999-01-01", "--tutor", "t-a=A"], phrase: "--start 9999-01-01 is outside the plausible range"),
        Case(name: "a participant started in 1900", arguments: ["participant", "add", "p-09", "--name", "N", "--school", "S", "--cohort", "2026-autumn", "--tutor", "t-one", "--started", "1900-01-01"], phrase: "--started 1900-01-01 is outside the plausible range"),
        Case(name: "evidence from 1999", arguments: ["evidence", "add", "-p", "p-01", "--title", "T", "--type", "observation", "--date", "1999-12-31"], phrase: "before 2000-01-01"),
        Case(name: "evidence in the future", arguments: ["evidence", "add", "-p", "p-01", "--title", "T", "--type", "observation", "--date", "2099-01-01"], phrase: "in the future"),
        Case(name: "a participant without a school", arguments: ["participant", "add", "p-09", "--name", "N", "--school", "", "--cohort", "2026-autumn", "--tutor", "t-one"], phrase: "--school is empty"),
        Case(name: "a participant in a cohort with no tutors", arguments: ["participant", "add", "p-09", "--name", "N", "--school", "S", "--cohort", "no-tutors", "--tutor", "t-one"], phrase: "cohort no-tutors has no tutors"),
        // 5. Import checks content, not only the schema.
        Case(name: "import: tutor not of the cohort", arguments: ["portfolio", "import", "$SCRATCH/tutor/p-09.xml"], phrase: "tutor \"t-zz\" is not a tutor of cohort 2026-autumn"),
        Case(name: "import: attachment the store does not hold", arguments: ["portfolio", "import", "$SCRATCH/attachment/p-09.xml"], phrase: "which the store does not hold"),
        Case(name: "import: log out of time order", arguments: ["portfolio", "import", "$SCRATCH/order/p-09.xml"], phrase: "in time order"),
        Case(name: "import: log in the future", arguments: ["portfolio", "import", "$SCRATCH/future/p-09.xml"], phrase: "in the future"),
        Case(name: "import: signed off without a sign-off", arguments: ["portfolio", "import", "$SCRATCH/state/p-09.xml"], phrase: "says it is signed off, but its log leads to draft"),
        Case(name: "import: file name and participant disagree", arguments: ["portfolio", "import", "$SCRATCH/name/p-10.xml"], phrase: "named p-10.xml but holds participant p-09"),
        Case(name: "import: unknown schemaVersion", arguments: ["portfolio", "import", "$SCRATCH/version/p-09.xml"], phrase: "schemaVersion 99 is not one"),
        Case(name: "import: an attachment name with a folder", arguments: ["portfolio", "import", "$SCRATCH/attachname/p-09.xml"], phrase: "is not a plain file name"),
        Case(name: "import: a title over the limit", arguments: ["portfolio", "import", "$SCRATCH/title/p-09.xml"], phrase: "the limit is 300"),
        Case(name: "import: a file over 32 MB", arguments: ["portfolio", "import", "$SCRATCH/huge.xml"], phrase: "the limit is 33554432 bytes"),
        // 8. Inputs and outputs.
        Case(name: "attach /dev/zero", arguments: ["evidence", "add", "-p", "p-01", "--title", "T", "--type", "observation", "--date", "2026-10-12", "--attach", "/dev/zero"], phrase: "attachment \"/dev/zero\" is not a regular file"),
        Case(name: "attach a FIFO", arguments: ["evidence", "add", "-p", "p-01", "--title", "T", "--type", "observation", "--date", "2026-10-12", "--attach", "$SCRATCH/fifo"], phrase: "is not a regular file"),
        Case(name: "reflection from /dev/zero", arguments: ["evidence", "add", "-p", "p-01", "--title", "T", "--type", "observation", "--date", "2026-10-12", "--reflection-file", "/dev/zero"], phrase: "--reflection-file \"/dev/zero\" is not a regular file"),
        Case(name: "reflection from a folder", arguments: ["evidence", "add", "-p", "p-01", "--title", "T", "--type", "observation", "--date", "2026-10-12", "--reflection-file", "$SCRATCH"], phrase: "is a directory"),
        Case(name: "reflection that is not UTF-8", arguments: ["evidence", "add", "-p", "p-01", "--title", "T", "--type", "observation", "--date", "2026-10-12", "--reflection-file", "$SCRATCH/latin1.txt"], phrase: "is not UTF-8 text"),
        Case(name: "output to a folder", arguments: ["coverage", "p-01", "-o", "$SCRATCH"], phrase: "is a directory; name a file"),
        Case(name: "output into a missing folder", arguments: ["report", "completion", "--cohort", "2026-autumn", "-o", "$SCRATCH/no/such/report.csv"], phrase: "does not exist"),
        Case(name: "output inside the store", arguments: ["portfolio", "export", "p-01", "-o", "$STORE/cohorts/2026-autumn/portfolios/p-77.xml"], phrase: "is inside the store"),
        Case(name: "pack inside the store", arguments: ["export", "pack", "p-01", "--out", "$STORE/pack"], phrase: "is inside the store"),
        Case(name: "a store that does not exist", arguments: ["participant", "list", "--store", "$SCRATCH/no-such-store"], phrase: "does not exist"),
        Case(name: "serve on port 0", arguments: ["serve", "--port", "0"], phrase: "--port 0 is outside 1–65535", lines: 1...2),
        Case(name: "serve on port 70000", arguments: ["serve", "--port", "70000"], phrase: "--port 70000 is outside 1–65535", lines: 1...2),
        Case(name: "an id with a newline", arguments: ["participant", "show", "p-0\n1"], phrase: "participant id \"p-0\\n1\" may only contain"),
        Case(name: "an id with terminal escapes", arguments: ["participant", "show", "\u{1B}[2J\u{7}"], phrase: "\\u{1B}[2J\\u{7}"),
        Case(name: "an id that escapes the store", arguments: ["evidence", "list", "-p", "../../etc"], phrase: "may only contain lowercase letters"),
        // 11. Pasted text: control characters refused naming the field.
        Case(name: "a bell in a title", arguments: ["evidence", "add", "-p", "p-01", "--title", "Bell\u{7}", "--type", "observation", "--date", "2026-10-12"], phrase: "--title contains a control character (U+0007)"),
        Case(name: "a NUL in a piped reflection", arguments: ["evidence", "add", "-p", "p-01", "--title", "T", "--type", "observation", "--date", "2026-10-12", "--reflection-file", "-"], phrase: "--reflection-file contains a control character (U+0000)", stdin: "I met the family\u{0}."),
        Case(name: "an escape in feedback", arguments: ["return", "p-02", "--feedback", "See \u{1B}[31m", "--tutor", "t-two"], phrase: "--feedback contains a control character (U+001B)"),
        // 9. Messages: did you mean, one wording, argument errors short.
        Case(name: "unknown participant", arguments: ["coverage", "p-0l"], phrase: "no participant \"p-0l\" in the store"),
        Case(name: "unknown participant suggests", arguments: ["participant", "show", "p-011"], phrase: "did you mean p-01"),
        Case(name: "unknown cohort suggests", arguments: ["report", "completion", "--cohort", "2026-autum"], phrase: "did you mean 2026-autumn?"),
        Case(name: "unknown evidence suggests", arguments: ["map", "-p", "p-01", "e11", "1.1", "--claim", "c"], phrase: "no evidence \"e11\" in portfolio p-01; did you mean e1"),
        Case(name: "unknown plan suggests", arguments: ["export", "pack", "--sample", "plan-2", "--out", "$SCRATCH/pack"], phrase: "did you mean plan-1?"),
        Case(name: "a missing option", arguments: ["evidence", "add", "-p", "p-01", "--title", "T", "--date", "2026-10-12"], phrase: "Missing expected argument '--type", lines: 1...2),
        Case(name: "an unknown option", arguments: ["participant", "list", "--colour"], phrase: "Unknown option '--colour'", lines: 1...2),
        Case(name: "a bad status", arguments: ["judge", "p-01", "2.1", "--status", "great", "--assessor", "t-one"], phrase: "great", lines: 1...2),
        Case(name: "a stale revision by its one wording", arguments: ["submit", "p-01", "--revision", "1"], phrase: "has changed since you read it (you read revision 1; it is now at 2)"),
    ]

    /// A store with two cohorts, three participants (one signed off) and a plan; built once, copied per case.
    static let base: URL = {
        let root = try! TestSupport.temporaryDirectory("hostile-base")
        let store = root.appendingPathComponent("store")
        let env = ["SENCO_STORE": store.path]
        let setup: [[String]] = [
            ["cohort", "create", "2026-autumn", "--title", "Autumn 2026", "--provider", "Example Hub", "--start", "2026-10-05", "--tutor", "t-one=Tutor One", "--tutor", "t-two=Tutor Two"],
            ["cohort", "create", "2026-spring", "--title", "Spring", "--provider", "Example Hub", "--start", "2026-03-02", "--tutor", "t-other=Other Tutor"],
            ["cohort", "create", "no-tutors", "--title", "Empty", "--provider", "Example Hub", "--start", "2026-03-02"],
            ["participant", "add", "p-01", "--name", "Sam Example", "--school", "Hillside", "--cohort", "2026-autumn", "--tutor", "t-one"],
            ["participant", "add", "p-02", "--name", "Jo Example", "--school", "Hillside", "--cohort", "2026-autumn", "--tutor", "t-two"],
            ["participant", "add", "p-03", "--name", "Al Example", "--school", "Hillside", "--cohort", "2026-autumn", "--tutor", "t-one"],
            ["evidence", "add", "-p", "p-01", "--id", "e1", "--title", "Register review", "--type", "observation", "--date", "2026-10-12", "--reflection", reflection],
            ["evidence", "add", "-p", "p-02", "--title", "Register review", "--type", "observation", "--date", "2026-10-12", "--reflection", reflection],
            ["submit", "p-02"],
            ["evidence", "add", "-p", "p-03", "--title", "Register review", "--type", "observation", "--date", "2026-10-12", "--reflection", reflection],
            ["map", "-p", "p-03", "e1", "2.1", "--claim", "c"],
            ["submit", "p-03"],
            ["judge", "p-03", "2.1", "--status", "not-met", "--feedback", "More", "--assessor", "t-one"],
            ["signoff", "p-03", "--tutor", "t-one", "--outcome", "failed", "--reason", "Did not finish"],
            ["moderation", "plan", "--cohort", "2026-autumn", "--rate", "100", "--seed", "1", "--id", "plan-1"],
        ]
        for arguments in setup {
            let result = try! SencoBinary.run(arguments, environment: env)
            precondition(result.status == 0, "setup \(arguments): \(result.stderr)")
        }
        return store
    }()

    /// Portfolio documents to import, each with one thing wrong, made from a real export.
    static func writeImports(into scratch: URL, store: URL) throws {
        let export = try SencoBinary.run(["portfolio", "export", "p-01"], environment: ["SENCO_STORE": store.path])
        let good = export.stdout.replacingOccurrences(of: "id=\"p-01\"", with: "id=\"p-09\"")
        precondition(good.contains("id=\"p-09\""))
        func write(_ folder: String, _ text: String, name: String = "p-09.xml") throws {
            let directory = scratch.appendingPathComponent(folder)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: directory.appendingPathComponent(name))
        }
        try write("tutor", good.replacingOccurrences(of: "tutor=\"t-one\"", with: "tutor=\"t-zz\""))
        let hash = String(repeating: "ab", count: 32)
        try write(
            "attachment",
            good.replacingOccurrences(
                of: "</reflection>", with: "</reflection><attachment name=\"notes.txt\" size=\"3\" sha256=\"\(hash)\"/>"))
        try write(
            "attachname",
            good.replacingOccurrences(
                of: "</reflection>", with: "</reflection><attachment name=\"../notes.txt\" size=\"3\" sha256=\"\(hash)\"/>"))
        // The evidence entry dated before the entry above it; then the first entry dated in 2099.
        guard let last = good.range(of: "<entry at=\"", options: .backwards) else { throw CocoaError(.fileReadCorruptFile) }
        let lastTime = last.upperBound..<good.index(last.upperBound, offsetBy: 20)
        try write("order", good.replacingCharacters(in: lastTime, with: "2026-10-01T00:00:00Z"))
        guard let first = good.range(of: "<entry at=\"") else { throw CocoaError(.fileReadCorruptFile) }
        let firstTime = first.upperBound..<good.index(first.upperBound, offsetBy: 20)
        try write("future", good.replacingCharacters(in: firstTime, with: "2099-01-01T00:00:00Z"))
        try write("state", good.replacingOccurrences(of: "<state value=\"draft\"", with: "<state value=\"signed-off\""))
        try write("name", good, name: "p-10.xml")
        try write("version", good.replacingOccurrences(of: "schemaVersion=\"2\"", with: "schemaVersion=\"99\""))
        try write("title", good.replacingOccurrences(of: "<title>Register review</title>", with: "<title>\(String(repeating: "T", count: 301))</title>"))
        let huge = scratch.appendingPathComponent("huge.xml")
        _ = FileManager.default.createFile(atPath: huge.path, contents: nil)
        let handle = try FileHandle(forWritingTo: huge)
        try handle.truncate(atOffset: 33 * 1024 * 1024)
        try handle.close()
    }

    @Test(arguments: cases)
    func refusedWithOneLineAndNothingChanges(_ badInput: Case) throws {
        let scratch = try TestSupport.temporaryDirectory("hostile")
        let store = scratch.appendingPathComponent("store")
        try FileManager.default.copyItem(at: Self.base, to: store)
        try Data("pupil,provision\nA,phonics\n".utf8).write(to: scratch.appendingPathComponent("map.csv"))
        try Data([0x63, 0x61, 0x66, 0xE9]).write(to: scratch.appendingPathComponent("latin1.txt"))
        #expect(mkfifo(scratch.appendingPathComponent("fifo").path, 0o644) == 0)
        try Self.writeImports(into: scratch, store: store)

        let arguments = badInput.arguments.map {
            $0.replacingOccurrences(of: "$SCRATCH", with: scratch.path).replacingOccurrences(of: "$STORE", with: store.path)
        }
        let before = TestSupport.snapshot(store)
        let result = try SencoBinary.run(arguments, stdin: badInput.stdin, environment: ["SENCO_STORE": store.path])
        #expect(result.status != 0, "refused")
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(badInput.lines.contains(lines.count), "one line on standard error, got: \(result.stderr)")
        #expect(result.stderr.contains(badInput.phrase), "names what is wrong: \(result.stderr)")
        #expect(!result.stderr.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "no raw control characters: \(result.stderr.debugDescription)")
        #expect(!result.stderr.contains("NSCocoaErrorDomain") && !result.stderr.contains("Fatal error"), "no error dump")
        #expect(TestSupport.snapshot(store) == before, "every stored byte as it was")
    }
}

/// Help is text on standard output and a zero exit, for the root and for any subcommand.
struct HelpTests {
    @Test(arguments: [
        (["--help"], "USAGE: senco <subcommand>"), (["-h"], "USAGE: senco <subcommand>"),
        (["store", "copy", "--help"], "USAGE: senco store copy <from> <to>"), (["help", "store"], "USAGE: senco store <subcommand>"),
        (["participant", "add", "-h"], "USAGE: senco participant add"),
    ])
    func helpIsPrintedNotAnError(arguments: [String], usage: String) throws {
        let result = try SencoBinary.run(arguments)
        #expect(result.status == 0)
        #expect(result.stdout.contains(usage), "\(result.stdout.prefix(300))")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
    }
}
