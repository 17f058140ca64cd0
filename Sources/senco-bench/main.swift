// senco-bench: times the project's XML layer and its cohort-scale jobs against the alternatives a
// Swift developer would reach for, in one run, and prints one table. Each operation runs in its own
// child process so its peak resident memory is its own. See BENCHMARKS.md.
import Foundation
import SencoBenchRaw
import SencoCore
import SencoData
import SencoExport
import SencoStore
import SencoXML

#if canImport(Glibc)
    import Glibc
#endif

struct Options {
    var participants = 1000
    var items = 100
    var peerSample = 100
    var runs = 3
    var child: String?
    var store: String?
    var scaling = true

    init(_ arguments: [String]) {
        var i = 1
        while i < arguments.count {
            let value = i + 1 < arguments.count ? arguments[i + 1] : ""
            switch arguments[i] {
            case "--participants": participants = Int(value) ?? participants; i += 1
            case "--items": items = Int(value) ?? items; i += 1
            case "--peer-sample": peerSample = Int(value) ?? peerSample; i += 1
            case "--runs": runs = Int(value) ?? runs; i += 1
            case "--child": child = value; i += 1
            case "--store": store = value; i += 1
            case "--no-scaling": scaling = false
            default: break
            }
            i += 1
        }
    }
}

func peakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

/// Runs `body` `runs` times and returns the median seconds.
func time(_ runs: Int, _ body: () throws -> Void) rethrows -> Double {
    var samples: [Double] = []
    for _ in 0..<max(1, runs) {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return median(samples)
}

let options = Options(CommandLine.arguments)
let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
let library = try FrameworkLibrary(directory: root.appendingPathComponent("Frameworks"))
let schemas = try PortfolioSchemas(directory: root.appendingPathComponent("Portfolios"))
let npq = library.framework(withID: "npq-senco-2023")!
let statementIDs = npq.statements.map(\.id)

func cohort(_ n: Int, items: Int) -> [Portfolio] {
    (0..<n).map { Workload.portfolio(index: $0, items: items, cohort: "bench", statements: statementIDs) }
}

// MARK: Child: run one operation, print "seconds bytes peakMB"

if let op = options.child {
    var seconds = 0.0
    var bytes = 0
    let runs = options.runs
    switch op {
    case "write-senco", "write-raw", "write-foundation", "write-xmlcoder":
        let portfolios = cohort(options.peerSample, items: options.items)
        seconds = try time(runs) {
            bytes = 0
            for p in portfolios {
                let data: Data
                switch op {
                case "write-senco": data = try PortfolioCodec.encode(p)
                case "write-raw": data = RawLibXML2.encode(p)
                case "write-foundation": data = FoundationXMLPeer.encode(p)
                default: data = try XMLCoderPeer.encode(p)
                }
                bytes += data.count
            }
        }
    case "read-senco", "read-senco-schema", "read-raw", "read-foundation", "read-xmlcoder":
        let portfolios = cohort(options.peerSample, items: options.items)
        let documents: [Data] = try portfolios.map { p in
            switch op {
            case "read-foundation": return FoundationXMLPeer.encode(p)
            case "read-xmlcoder": return try XMLCoderPeer.encode(p)
            default: return try PortfolioCodec.encode(p)
            }
        }
        bytes = documents.reduce(0) { $0 + $1.count }
        seconds = try time(runs) {
            for data in documents {
                switch op {
                case "read-senco": _ = try PortfolioCodec.decodePortfolio(try XMLReader().read(data))
                case "read-senco-schema": _ = try schemas.readPortfolio(data, source: "bench")
                case "read-raw": _ = try RawLibXML2.decode(data)
                case "read-foundation": _ = try FoundationXMLPeer.decode(data)
                default: _ = try XMLCoderPeer.decode(data)
                }
            }
        }
    case "store-write":
        let portfolios = cohort(options.participants, items: options.items)
        let directory = URL(fileURLWithPath: options.store!)
        let start = DispatchTime.now().uptimeNanoseconds
        let store = DirectoryStore(root: directory, schemas: schemas)
        try store.createCohort(Cohort(id: "bench", title: "Bench", provider: "Bench", start: Day("2025-10-06")!))
        for p in portfolios { try store.create(p) }
        seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        bytes = FileManager.default.enumerator(atPath: directory.path)?.allObjects.compactMap {
            (try? FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent($0 as! String).path)[.size] as? Int) ?? 0
        }.reduce(0, +) ?? 0
    case "store-read", "coverage", "completion", "load-and-completion", "packs":
        let store = DirectoryStore(root: URL(fileURLWithPath: options.store!), schemas: schemas)
        let cohortValue = try store.cohort("bench")
        var loaded: [Portfolio] = []
        if op != "store-read" && op != "load-and-completion" { loaded = try store.portfolios(inCohort: "bench") }
        let templates = try TemplateLibrary()
        seconds = try time(op == "packs" || op == "store-read" || op == "load-and-completion" ? 1 : runs) {
            switch op {
            case "store-read":
                loaded = try store.portfolios(inCohort: "bench")
            case "coverage":
                let crosswalk = library.crosswalks.first
                let award = library.framework(withID: "national-award-2009")
                for p in loaded { _ = Coverage(portfolio: p, framework: npq, rules: schemas.rules, crosswalk: crosswalk, award: award) }
            case "completion", "load-and-completion":
                if op == "load-and-completion" { loaded = try store.portfolios(inCohort: "bench") }
                let report = CompletionReport(cohort: cohortValue, portfolios: loaded, framework: npq, rules: schemas.rules)
                bytes = try CompletionRenderer.xml(report).count + CompletionRenderer.csv(report).utf8.count
                    + CompletionRenderer.json(report).count + CompletionRenderer.declarationBodies(report).count
                    + CompletionRenderer.html(report, templates: templates, attribution: "a").utf8.count
            default:
                let sample = Array(loaded.prefix(max(1, loaded.count / 10)))
                let out = FileManager.default.temporaryDirectory.appendingPathComponent("bench-pack-\(UUID())")
                defer { try? FileManager.default.removeItem(at: out) }
                let pack = ModerationPack(framework: npq, rules: schemas.rules, templates: templates, portfolioSchema: schemas.portfolio)
                bytes = try pack.write(sample, to: out, includeSensitive: false).bytes
            }
        }
        if op == "store-read" {
            bytes = try FileManager.default.contentsOfDirectory(atPath: options.store! + "/cohorts/bench/portfolios")
                .filter { $0.hasSuffix(".xml") }
                .reduce(0) { $0 + ((try FileManager.default.attributesOfItem(atPath: options.store! + "/cohorts/bench/portfolios/" + $1)[.size] as? Int) ?? 0) }
        }
    default:
        FileHandle.standardError.write(Data("unknown operation \(op)\n".utf8))
        exit(2)
    }
    print(String(format: "%.6f %d %.1f", seconds, bytes, peakRSSMegabytes()))
    exit(0)
}

// MARK: Parent: run every operation in a child and print the table

struct Row {
    var name: String
    var seconds: Double
    var bytes: Int
    var peakMB: Double
}

func runChild(_ op: String, participants: Int? = nil, items: Int? = nil, store: String? = nil, runs: Int? = nil) throws -> Row {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var args = [
        "--child", op, "--participants", String(participants ?? options.participants), "--items",
        String(items ?? options.items), "--peer-sample", String(options.peerSample), "--runs", String(runs ?? options.runs),
    ]
    if let store { args += ["--store", store] }
    process.arguments = args
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let parts = output.split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
    guard process.terminationStatus == 0, parts.count == 3 else {
        throw DataError("operation \(op) failed (status \(process.terminationStatus)): \(output)")
    }
    return Row(name: op, seconds: Double(parts[0]) ?? 0, bytes: Int(parts[1]) ?? 0, peakMB: Double(parts[2]) ?? 0)
}

func pad(_ s: String, _ n: Int, right: Bool = false) -> String {
    s.count >= n ? s : (right ? String(repeating: " ", count: n - s.count) + s : s + String(repeating: " ", count: n - s.count))
}

func printTable(_ title: String, _ rows: [Row], baseline: [String: Double] = [:]) {
    print("\n\(title)")
    print(pad("operation", 24) + pad("median s", 11, right: true) + pad("MB", 9, right: true) + pad("MB/s", 9, right: true) + pad("peak RSS MB", 13, right: true) + pad("× raw libxml2", 15, right: true))
    for row in rows {
        let mb = Double(row.bytes) / 1_048_576
        let ratio = baseline[String(row.name.split(separator: "-").first ?? "")].map { String(format: "%.2f", row.seconds / $0) } ?? ""
        print(
            pad(row.name, 24) + pad(String(format: "%.3f", row.seconds), 11, right: true) + pad(String(format: "%.1f", mb), 9, right: true)
                + pad(row.seconds > 0 && mb > 0 ? String(format: "%.1f", mb / row.seconds) : "", 9, right: true)
                + pad(String(format: "%.0f", row.peakMB), 13, right: true) + pad(ratio, 15, right: true))
    }
}

print("senco-bench: \(options.participants) participants × \(options.items) items; XML peers on \(options.peerSample) portfolios; median of \(options.runs) runs")
let writes = try ["write-raw", "write-senco", "write-foundation", "write-xmlcoder"].map { try runChild($0) }
let reads = try ["read-raw", "read-senco", "read-senco-schema", "read-foundation", "read-xmlcoder"].map { try runChild($0) }
let baseline = ["write": writes[0].seconds, "read": reads[0].seconds]
printTable("XML layer: the same \(options.peerSample) portfolios written and read by each peer", writes + reads, baseline: baseline)

let storeDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("senco-bench-\(UUID())").path
defer { try? FileManager.default.removeItem(atPath: storeDirectory) }
var cohortRows = [try runChild("store-write", store: storeDirectory)]
for op in ["store-read", "coverage", "completion", "load-and-completion", "packs"] {
    cohortRows.append(try runChild(op, store: storeDirectory))
}
printTable("Cohort jobs: \(options.participants) participants × \(options.items) items (store writes fsync each file and check its schema)", cohortRows)

func ratio(_ a: Row, _ b: Row) -> Double { a.seconds / b.seconds }
let load = cohortRows.first { $0.name == "load-and-completion" }!
print("\nBudget")
print(String(format: "  writer within 1.5× raw libxml2:            %.2f×  %@", ratio(writes[1], writes[0]), ratio(writes[1], writes[0]) <= 1.5 ? "met" : "NOT met"))
print(String(format: "  reader within 2× raw parse + values:       %.2f×  %@", ratio(reads[1], reads[0]), ratio(reads[1], reads[0]) <= 2 ? "met" : "NOT met"))
print(String(format: "  ≥5× faster than XMLCoder writing:          %.1f×  %@", ratio(writes[3], writes[1]), ratio(writes[3], writes[1]) >= 5 ? "met" : "NOT met"))
print(String(format: "  ≥5× faster than XMLCoder reading:          %.1f×  %@", ratio(reads[4], reads[1]), ratio(reads[4], reads[1]) >= 5 ? "met" : "NOT met"))
print(String(format: "  cohort loaded + completion report < 3 s:   %.2f s  %@", load.seconds, load.seconds < 3 ? "met" : "NOT met"))
print(String(format: "  ... with peak memory < 1 GB:               %.0f MB  %@", load.peakMB, load.peakMB < 1024 ? "met" : "NOT met"))

if options.scaling {
    print("\nScaling: load + completion report against cohort size (\(options.items) items each)")
    for n in [100, 1000, 5000] where n <= options.participants * 5 {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("senco-bench-scale-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let itemsHere = n == 5000 ? 20 : options.items
        _ = try runChild("store-write", participants: n, items: itemsHere, store: directory)
        let row = try runChild("load-and-completion", participants: n, items: itemsHere, store: directory)
        print(String(format: "  %5d participants × %3d items: %.3f s  (%.2f ms per participant, %.0f MB peak)", n, itemsHere, row.seconds, 1000 * row.seconds / Double(n), row.peakMB))
    }
    print("Scaling: read one portfolio against its size")
    for items in [10, 100, 1000] {
        let row = try runChild("read-senco", participants: 1, items: items, runs: 5)
        let perItem = 1e6 * row.seconds / Double(options.peerSample * items)
        print(String(format: "  %4d items: %.4f s for %d portfolios  (%.1f µs per item)", items, row.seconds, options.peerSample, perItem))
    }
}
