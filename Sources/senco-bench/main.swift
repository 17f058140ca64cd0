// senco-bench (make bench): times senco's XML layer and its cohort jobs against the alternatives a
// Swift developer would reach for (raw libxml2, FoundationXML's XMLDocument, XMLCoder), all in
// this one process and in one run, and prints one table with each peer's ratio to raw libxml2.
// Peers take turns run by run; each run's peak memory is measured from a fresh high-water mark.
// BENCHMARKS.md records the figures, the budget of issue 7 and the scaling verdicts.
import Foundation

let options = Options(CommandLine.arguments)
let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
guard FileManager.default.fileExists(atPath: root.appendingPathComponent("Frameworks/framework.xsd").path) else {
    FileHandle.standardError.write(Data("senco-bench: run from the senco checkout (it reads Frameworks/ and Portfolios/)\n".utf8))
    exit(2)
}

if let path = options.largeZip {
    do {
        try LargeZip.write(to: path)
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("senco-bench --large-zip: \(error)\n".utf8))
        exit(1)
    }
}

if let directory = options.seedStore {
    do {
        let context = try BenchContext(root: root)
        try Operations(context: context, participants: options.participants, items: options.items, sample: 1, runs: 1)
            .seed(URL(fileURLWithPath: directory), participants: options.participants)
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("senco-bench --seed-store: \(error)\n".utf8))
        exit(1)
    }
}

do {
    try Bench(options: options, context: try BenchContext(root: root), root: root).run()
} catch {
    FileHandle.standardError.write(Data("senco-bench: \(error)\n".utf8))
    exit(1)
}
