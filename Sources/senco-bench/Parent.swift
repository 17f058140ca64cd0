import Foundation

/// Runs every operation in a child process, then prints the table, the budget and the scaling.
struct Parent {
    let options: Options

    func run() throws {
        let started = Measure.now()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("senco-bench-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let store = scratch.appendingPathComponent("store").path

        print(Machine.summary())
        print(
            "Workload: \(options.participants) participants × \(options.items) evidence items (reflections of \(Workload.reflectionLength) characters, "
                + "3 mappings and 2 judgements per item, markup characters and non-ASCII in every text); "
                + "XML peers on the same \(options.sample) portfolios; median of \(options.runs) runs; each operation in its own process.")
        print("")

        // The XML layer, then the cohort jobs.
        var rows: [Measurement] = []
        for operation in ["write.raw", "write.senco", "write.foundation", "write.xmlcoder"] {
            rows.append(try child(operation))
        }
        for operation in ["read.raw", "read.senco", "read.senco+schema", "validate.schema", "read.foundation", "read.xmlcoder"] {
            rows.append(try child(operation))
        }
        for operation in ["store.write", "store.fsync", "store.read", "coverage", "completion", "load+completion", "packs"] {
            rows.append(try child(operation, store: store))
        }
        let byName = Dictionary(rows.map { ($0.operation, $0) }, uniquingKeysWith: { a, _ in a })
        Report.table(rows, options: options)
        print("")
        Report.budget(byName)

        guard options.scaling else { return }
        // Time against cohort size: the completion report (portfolios streamed), and the whole
        // cohort read and held in memory.
        var cohortPoints: [(Int, [Measurement])] = []
        for size in options.cohortSizes {
            if size == options.participants, let report = byName["load+completion"], let read = byName["store.read"] {
                cohortPoints.append((size, [report, read]))
                continue
            }
            let directory = scratch.appendingPathComponent("scale-\(size)").path
            _ = try child("seed", participants: size, runs: 1, store: directory)
            let runs = size > options.participants ? 1 : options.runs
            cohortPoints.append(
                (size, try ["load+completion", "store.read"].map { try child($0, participants: size, runs: runs, store: directory) }))
            try? FileManager.default.removeItem(atPath: directory)
        }
        // Time against portfolio size: the same number of evidence items in each point.
        var sizePoints: [(Int, [Measurement])] = []
        for items in options.portfolioSizes {
            let sample = max(1, options.scalingItems / items)
            sizePoints.append(
                (items, try ["write.senco", "read.senco+schema", "coverage.memory"].map { try child($0, items: items, sample: sample) }))
        }
        print("")
        Report.cohortScaling(cohortPoints, items: options.items)
        print("")
        Report.portfolioScaling(sizePoints, totalItems: options.scalingItems)
        print("")
        print(String(format: "senco-bench finished in %.0f s.", Measure.seconds(since: started)))
    }

    func child(_ operation: String, participants: Int? = nil, items: Int? = nil, sample: Int? = nil, runs: Int? = nil, store: String? = nil)
        throws -> Measurement
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = options.childArguments(
            operation, participants: participants, items: items, sample: sample, runs: runs, store: store)
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0,
            let line = text.split(separator: "\n").last(where: { $0.hasPrefix("MEASUREMENT ") })
        else {
            throw BenchError("operation \(operation) failed (exit status \(process.terminationStatus))")
        }
        return try JSONDecoder().decode(Measurement.self, from: Data(line.dropFirst("MEASUREMENT ".count).utf8))
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
