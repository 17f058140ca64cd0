import Foundation
import SencoCore
import SencoData
import SencoStore
import SencoTestSupport
import Testing

@testable import SencoCommands

/// Kills a writing process with SIGKILL at random moments, at least 200 times, and checks that
/// the portfolio on disk always parses, validates and is exactly one whole revision: the state
/// before the interrupted write or the state after it.
@Suite(.serialized)
struct CrashSafetyTests {
    @Test func killedWritersNeverLeaveAPartialPortfolio() throws {
        let root = try TestSupport.temporaryDirectory("kill")
        let schemas = try TestSupport.schemas()
        let store = DirectoryStore(root: root, schemas: schemas)
        try store.createCohort(TestSupport.cohort())
        let base = try store.create(
            Portfolio(participant: TestSupport.participant("p-kill"), frameworks: ["npq-senco-2023"], stateSince: Date(timeIntervalSince1970: 1_760_000_000)))
        let file = root.appendingPathComponent("cohorts/test-cohort/portfolios/p-kill.xml")
        #expect(FileManager.default.isExecutableFile(atPath: SencoBinary.url.path), "build the senco executable first (make test does)")

        var generator = TestSupport.SeededGenerator(seed: 2026)
        var kills = 0
        var lastRevision = base.revision
        var revisionsSeen: Set<Int> = []
        for _ in 0..<220 {
            let process = Process()
            process.executableURL = SencoBinary.url
            process.arguments = ["stress-write", "--store", root.path, "-p", "p-kill", "--count", "100000"]
            var env = ProcessInfo.processInfo.environment
            env["SENCO_FRAMEWORKS"] = TestSupport.frameworksDirectory.path
            process.environment = env
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Start-up takes tens of milliseconds; kill somewhere across start-up and writing.
            usleep(useconds_t(UInt64.random(in: 20_000...120_000, using: &generator)))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if process.terminationReason == .uncaughtSignal { kills += 1 }

            let data = try Data(contentsOf: file)
            #expect(try schemas.portfolio.validate(data, source: file.path).isEmpty, "the file is always schema-valid")
            let portfolio = try schemas.readPortfolio(data, source: file.path)
            #expect(portfolio.revision >= lastRevision, "revisions never go backwards")
            // Exactly the state after `revision - 1` stress writes, item for item.
            var expected = base
            expected.revision = portfolio.revision
            expected.evidence = (base.revision + 1...max(base.revision + 1, portfolio.revision)).prefix(portfolio.revision - base.revision)
                .map(StressWrite.item(forRevision:))
            #expect(portfolio == expected, "the file is one whole revision (\(portfolio.revision))")
            lastRevision = portfolio.revision
            revisionsSeen.insert(portfolio.revision)
            if portfolio != expected { break }
        }
        #expect(kills >= 200, "at least 200 writers were killed (\(kills))")
        #expect(lastRevision > base.revision + 20, "the writers made progress between kills (\(lastRevision))")
        print("crash test: \(kills) SIGKILLs, final revision \(lastRevision), \(revisionsSeen.count) distinct revisions observed")
    }
}
