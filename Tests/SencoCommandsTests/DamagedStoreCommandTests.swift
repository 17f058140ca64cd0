import Foundation
import SencoTestSupport
import Testing

/// The whole-cohort commands on a damaged copy of the sample cohort: each names every bad entry
/// on standard error, prints everything else, and exits non-zero so the damage is not missed;
/// `store check` lists it all and `--repair` removes only debris.
@Suite struct DamagedStoreCommandTests {
    let store: URL
    let folder: URL

    init() throws {
        let scratch = try TestSupport.temporaryDirectory("damaged-cli")
        store = scratch.appendingPathComponent("store")
        try FileManager.default.copyItem(at: TestSupport.root.appendingPathComponent("Portfolios/sample"), to: store)
        folder = store.appendingPathComponent("cohorts/2025-autumn/portfolios")
        // Truncated, misfiled (another participant's document under this name), a link, and a
        // participant stored in both cohorts.
        let good = try Data(contentsOf: folder.appendingPathComponent("p-25a-02.xml"))
        try good.prefix(400).write(to: folder.appendingPathComponent("p-25a-02.xml"))
        try Data(contentsOf: folder.appendingPathComponent("p-25a-01.xml")).write(to: folder.appendingPathComponent("p-25a-09.xml"))
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("p-25a-10.xml").path, withDestinationPath: "/etc/hostname")
        try FileManager.default.copyItem(
            at: folder.appendingPathComponent("p-25a-04.xml"), to: store.appendingPathComponent("cohorts/2026-spring/portfolios/p-25a-04.xml"))
    }

    func senco(_ arguments: [String]) throws -> SencoBinary.Result {
        try SencoBinary.run(arguments, environment: ["SENCO_STORE": store.path])
    }

    static let bad = ["p-25a-02.xml", "p-25a-04.xml", "p-25a-09.xml", "p-25a-10.xml"]

    @Test(arguments: [
        ["participant", "list", "--cohort", "2025-autumn"],
        ["report", "completion", "--cohort", "2025-autumn", "--format", "csv"],
        ["moderation", "plan", "--cohort", "2025-autumn", "--rate", "50", "--seed", "3", "--id", "plan-damaged"],
    ])
    func carriesOnNamesEachBadEntryAndExitsNonZero(_ arguments: [String]) throws {
        let result = try senco(arguments)
        #expect(result.status != 0, "the damage is not missed")
        for name in Self.bad {
            #expect(result.stderr.contains("cohorts/2025-autumn/portfolios/\(name)"), "\(name) named: \(result.stderr)")
        }
        for good in ["p-25a-01", "p-25a-03", "p-25a-05", "p-25a-06", "p-25a-07", "p-25a-08"] where arguments[0] != "moderation" {
            #expect(result.stdout.contains(good), "\(good) still reported")
        }
        #expect(!result.stdout.contains("p-25a-09"), "a misfiled copy is not reported as a participant")
        #expect(result.stderr.contains("4 store entries were skipped"))
    }

    @Test func aPackOfNamedParticipantsLeavesOutTheDamagedOneAndSaysSo() throws {
        let out = store.deletingLastPathComponent().appendingPathComponent("pack")
        let result = try senco(["export", "pack", "p-25a-01", "p-25a-02", "--out", out.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("p-25a-02"))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("p-25a-01/portfolio.html").path))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("p-25a-02").path))
        #expect(try senco(["verify", out.path]).status == 0, "the pack that was written is whole")
    }

    @Test func storeCheckListsEveryProblemAndRepairRemovesOnlyDebris() throws {
        let temporary = folder.appendingPathComponent(".p-25a-05.xml.4242.1.tmp")
        let lock = folder.appendingPathComponent("p-25a-05.lock")
        for file in [temporary, lock] {
            try Data("debris".utf8).write(to: file)
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-7200)], ofItemAtPath: file.path)
        }
        let check = try senco(["store", "check"])
        #expect(check.status != 0)
        for name in Self.bad { #expect(check.stdout.contains("damage\tcohorts/2025-autumn/portfolios/\(name)")) }
        #expect(check.stdout.contains("debris\tcohorts/2025-autumn/portfolios/.p-25a-05.xml.4242.1.tmp"))
        #expect(check.stdout.contains("debris\tcohorts/2025-autumn/portfolios/p-25a-05.lock"))
        #expect(check.stdout.contains("5 damaged entries, 2 pieces of debris"), "\(check.stdout)")

        let portfolios = TestSupport.snapshot(store).filter { $0.key.hasSuffix(".xml") }
        let repair = try senco(["store", "check", "--repair"])
        #expect(repair.status != 0, "damage remains")
        #expect(repair.stdout.contains("removed 2"))
        #expect(!FileManager.default.fileExists(atPath: temporary.path) && !FileManager.default.fileExists(atPath: lock.path))
        #expect(TestSupport.snapshot(store).filter { $0.key.hasSuffix(".xml") } == portfolios, "no document touched")

        let json = try senco(["store", "check", "--format", "json"])
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(entries.count == 5 && entries.allSatisfy { $0["kind"] as? String == "damage" })
    }

    @Test func theSampleStoreChecksClean() throws {
        let clean = try TestSupport.temporaryDirectory("clean").appendingPathComponent("store")
        try FileManager.default.copyItem(at: TestSupport.root.appendingPathComponent("Portfolios/sample"), to: clean)
        let result = try SencoBinary.run(["store", "check"], environment: ["SENCO_STORE": clean.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("no problems found"))
    }
}
