import Foundation

/// Runs every operation in this process, then prints the table, the budget and the scaling.
struct Bench {
    let options: Options
    let context: BenchContext
    let root: URL

    func operations(participants: Int? = nil, items: Int? = nil, sample: Int? = nil, runs: Int? = nil) -> Operations {
        Operations(
            context: context, participants: participants ?? options.participants, items: items ?? options.items,
            sample: sample ?? options.sample, runs: runs ?? options.runs)
    }

    func run() throws {
        let started = Measure.now()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("senco-bench-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let store = scratch.appendingPathComponent("store")
        let ops = operations()
        let runs = options.runs

        print(Machine.summary())
        print(
            "Workload: \(options.participants) participants × \(options.items) evidence items (reflections of \(Workload.reflectionLength) characters, "
                + "3 mappings and 2 judgements per item, markup characters and non-ASCII in every text); "
                + "XML peers on the same \(options.sample) portfolios, one warm-up round then \(runs) timed rounds taking turns; "
                + "median of \(runs) runs; everything in this one process.")
        print("")

        // The cohort jobs first, each on its own (they are steps of one workflow, not peers), so
        // their memory is measured before FoundationXML has kept what it keeps.
        var cohortRows: [Measurement] = []
        if options.includes("store.write") {
            cohortRows.append(try Runner.measure(ops.storeWrite(into: store), runs: runs))
        } else if ["store.read", "coverage", "completion", "load+completion", "packs"].contains(where: options.includes) {
            try ops.seed(store, participants: options.participants)  // the store the other jobs read
        }
        if options.includes("store.fsync") { cohortRows.append(try Runner.measure(try ops.storeFsync(in: scratch), runs: runs)) }
        for operation in ["store.read", "coverage", "completion", "load+completion", "packs"] where options.includes(operation) {
            cohortRows.append(try Runner.measure(try ops.cohortJob(operation, store: store), runs: runs))
        }
        // The XML layer: the peers on the same documents, taking turns.
        let portfolios = context.portfolios(options.sample, items: options.items)
        let writers = Operations.writers.filter(options.includes)
        let readers = Operations.readers.filter(options.includes)
        let xmlRows = try (writers.isEmpty ? [] : Runner.measure(try ops.writers(portfolios, names: writers), runs: runs, warmUp: true))
            + (readers.isEmpty ? [] : Runner.measure(try ops.readers(portfolios, names: readers), runs: runs, warmUp: true))
        let rows = xmlRows + cohortRows
        let byName = Dictionary(rows.map { ($0.operation, $0) }, uniquingKeysWith: { a, _ in a })
        Report.table(rows, options: options)
        print("")
        guard options.only.isEmpty else { return }  // a partial run cannot judge the budget
        Report.budget(byName, webBaseline: root.appendingPathComponent("scripts/bench-web.baseline"))

        guard options.scaling else { return }
        // Time against cohort size: the completion report (portfolios streamed), and the whole
        // cohort read and held in memory.
        var cohortPoints: [(Int, [Measurement])] = []
        for size in options.cohortSizes {
            if size == options.participants, let report = byName["load+completion"], let read = byName["store.read"] {
                cohortPoints.append((size, [report, read]))
                continue
            }
            let directory = scratch.appendingPathComponent("scale-\(size)")
            let sized = operations(participants: size)
            try sized.seed(directory, participants: size)
            let pointRuns = size > options.participants ? 1 : runs
            cohortPoints.append(
                (size, try ["load+completion", "store.read"].map { try Runner.measure(try sized.cohortJob($0, store: directory), runs: pointRuns) }))
            try? FileManager.default.removeItem(at: directory)
        }
        // Time against portfolio size: the same number of evidence items in each point.
        var sizePoints: [(Int, [Measurement])] = []
        for items in options.portfolioSizes {
            let sample = max(1, options.scalingItems / items)
            let sized = operations(items: items, sample: sample)
            let portfolios = context.portfolios(sample, items: items)
            let measured = try Runner.measure(
                try sized.writers(portfolios, names: ["write.senco"]) + sized.readers(portfolios, names: ["read.senco+schema"])
                    + [sized.coverage(portfolios)], runs: runs, warmUp: true)
            sizePoints.append((items, measured))
        }
        print("")
        Report.cohortScaling(cohortPoints, items: options.items)
        print("")
        Report.portfolioScaling(sizePoints, totalItems: options.scalingItems)
        print("")
        print(String(format: "senco-bench finished in %.0f s.", Measure.seconds(since: started)))
    }
}

enum Machine {
    static func summary() -> String {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" } ?? "unknown CPU"
        let meminfo = (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) ?? ""
        let kib = meminfo.split(separator: "\n").first { $0.hasPrefix("MemTotal:") }
            .flatMap { $0.split(separator: " ").dropFirst().first.flatMap { Int($0) } } ?? 0
        let date = ISO8601DateFormatter().string(from: Date())
        return String(
            format: "senco-bench on %d cores (%@), %.1f GiB memory, %@", ProcessInfo.processInfo.activeProcessorCount, model,
            Double(kib) / 1_048_576, date)
    }
}
