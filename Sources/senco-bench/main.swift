// senco-bench (make bench): times senco's XML layer and its cohort jobs against the alternatives a
// Swift developer would reach for (raw libxml2, FoundationXML's XMLDocument, XMLCoder), in one
// run, and prints one table. Every operation runs in a child process (this executable again, with
// the hidden flag --child) so each peak resident memory figure is that operation's own.
// BENCHMARKS.md records the figures, the budget of issue 7 and the scaling verdicts.
import Foundation

let options = Options(CommandLine.arguments)
let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
guard FileManager.default.fileExists(atPath: root.appendingPathComponent("Frameworks/framework.xsd").path) else {
    FileHandle.standardError.write(Data("senco-bench: run from the senco checkout (it reads Frameworks/ and Portfolios/)\n".utf8))
    exit(2)
}

if let operation = options.child {
    do {
        let context = try BenchContext(root: root)
        let measurement = try Child(options: options, context: context).run(operation)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print("MEASUREMENT " + String(decoding: try encoder.encode(measurement), as: UTF8.self))
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("senco-bench --child \(operation): \(error)\n".utf8))
        exit(1)
    }
}

do {
    try Parent(options: options).run()
} catch {
    FileHandle.standardError.write(Data("senco-bench: \(error)\n".utf8))
    exit(1)
}
