import Foundation

/// The printed table, budget lines and scaling tables.
enum Report {
    static let descriptions: [String: String] = [
        "write.raw": "raw libxml2: xmlTextWriter into memory",
        "write.senco": "senco: XMLWriter via PortfolioCodec.encode",
        "write.foundation": "FoundationXML: XMLDocument.xmlData",
        "write.xmlcoder": "XMLCoder 0.18: XMLEncoder, Codable mirror",
        "read.raw": "raw libxml2: xmlReadMemory + walk to values",
        "read.senco": "senco: XMLReader + PortfolioCodec.decode",
        "read.senco+schema": "senco: readPortfolio (+ XSD check, as stored)",
        "validate.schema": "libxml2 XSD validation alone (parse+check)",
        "read.foundation": "FoundationXML: XMLDocument + walk to values",
        "read.xmlcoder": "XMLCoder 0.18: XMLDecoder, Codable mirror",
        "store.write": "store: create every portfolio (fsync, XSD)",
        "store.fsync": "  of which fsync (file + directory)",
        "store.read": "store: read every portfolio back",
        "coverage": "coverage, whole cohort (with crosswalk)",
        "completion": "completion report, all 5 formats",
        "load+completion": "cohort loaded + completion report",
        "packs": "moderation packs, 10% sample",
    ]

    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let count = text.count
        guard count < width else { return text }
        let padding = String(repeating: " ", count: width - count)
        return right ? padding + text : text + padding
    }

    static func table(_ rows: [Measurement], options: Options) {
        let byName = Dictionary(rows.map { ($0.operation, $0) }, uniquingKeysWith: { a, _ in a })
        func rate(_ name: String) -> Double? {
            guard let m = byName[name], m.median > 0 else { return nil }
            return Double(m.bytes) / m.median
        }
        let header =
            pad("operation", 18) + pad("what", 46) + pad("runs", 5, right: true) + pad("median s", 10, right: true)
            + pad("MB", 8, right: true) + pad("MB/s", 8, right: true) + pad("peak RSS MB", 13, right: true) + pad("+MB", 7, right: true)
            + pad("kept MB", 9, right: true) + pad("× raw", 8, right: true) + "  check"
        print(header)
        print(String(repeating: "-", count: header.count + 18))
        var section = ""
        for m in rows {
            let kind = m.operation.hasPrefix("store") || ["coverage", "completion", "load+completion", "packs"].contains(m.operation)
                ? "cohort" : "xml"
            if kind != section {
                if !section.isEmpty { print("") }
                print(
                    kind == "xml"
                        ? "XML layer: the same \(options.sample) portfolios (\(options.items) items each) through each peer"
                        : "Cohort jobs: \(options.participants) participants × \(options.items) items in a DirectoryStore")
                section = kind
            }
            let megabytes = Double(m.bytes) / 1_000_000
            let perSecond = m.median > 0 && m.bytes > 0 && m.operation != "store.fsync" ? String(format: "%.1f", megabytes / m.median) : ""
            var ratio = ""
            if m.operation.hasPrefix("write."), let raw = byName["write.raw"]?.median, raw > 0 {
                ratio = String(format: "%.2f", m.median / raw)
            } else if m.operation.hasPrefix("read.") || m.operation == "validate.schema", let raw = byName["read.raw"]?.median, raw > 0 {
                ratio = String(format: "%.2f", m.median / raw)
            } else if m.operation == "store.write", let raw = rate("write.raw") {
                ratio = String(format: "≈%.1f", m.median / (Double(m.bytes) / raw))
            } else if m.operation == "store.read", let raw = rate("read.raw") {
                ratio = String(format: "≈%.1f", m.median / (Double(m.bytes) / raw))
            }
            print(
                pad(m.operation, 18) + pad(descriptions[m.operation] ?? "", 46) + pad(String(m.samples.count), 5, right: true)
                    + pad(String(format: "%.3f", m.median), 10, right: true) + pad(m.bytes > 0 ? String(format: "%.1f", megabytes) : "", 8, right: true)
                    + pad(perSecond, 8, right: true) + pad(String(format: "%.0f", m.peakMB), 13, right: true)
                    + pad(String(format: "%.0f", max(0, m.addedMB)), 7, right: true)
                    + pad(String(format: "%.0f", max(0, m.keptMB)), 9, right: true) + pad(ratio, 8, right: true)
                    + "  " + m.check)
        }
        print("")
        print(
            "MB = 10^6 bytes of XML written or read per run (for reports and packs: bytes rendered). × raw = median / raw libxml2's median on the "
                + "same documents; ≈ for store rows: against raw libxml2's MB/s on the same bytes. Peak RSS: the process's high-water mark "
                + "during the operation's runs, reset before each run, so it includes the inputs held (the XML rows hold \(options.sample) "
                + "portfolios and their documents); +MB: how far it rose above where it stood when the run began; kept MB: how much of that was still resident after the run, "
                + "with freed heap given back (memory never released: FoundationXML keeps every document it builds or parses). The cohort jobs run "
                + "first, so their peaks are not raised by what the XML peers keep."
                + (Memory.resettable ? "" : " (This kernel refused to reset the high-water mark: peaks are the process's since it started.)"))
    }

    static func budget(_ rows: [String: Measurement], webBaseline: URL) {
        func median(_ name: String) -> Double { rows[name]?.median ?? .nan }
        func line(_ label: String, _ value: String, _ met: Bool) {
            print(pad("  " + label, 62) + pad(value, 12, right: true) + "  " + (met ? "met" : "NOT MET"))
        }
        print("Budget (issue 7)")
        let writer = median("write.senco") / median("write.raw")
        line("senco writer within 1.5× raw libxml2 (same documents)", String(format: "%.2f×", writer), writer <= 1.5)
        let reader = median("read.senco") / median("read.raw")
        line("senco reader within 2× raw parse + same Swift values", String(format: "%.2f×", reader), reader <= 2)
        let readerSchema = median("read.senco+schema") / median("read.raw")
        // Not a budget line: raw libxml2 validates nothing, the store's read checks the schema.
        print(pad("  (the store's read, with its XSD check: for information)", 62) + pad(String(format: "%.2f×", readerSchema), 12, right: true))
        let coderWrite = median("write.xmlcoder") / median("write.senco")
        line("≥5× faster than XMLCoder writing", String(format: "%.1f×", coderWrite), coderWrite >= 5)
        let coderRead = median("read.xmlcoder") / median("read.senco")
        line("≥5× faster than XMLCoder reading", String(format: "%.1f×", coderRead), coderRead >= 5)
        let load = median("load+completion")
        line("whole cohort loaded + completion report < 3 s", String(format: "%.2f s", load), load < 3)
        let peak = rows["load+completion"]?.peakMB ?? .nan
        line("  with peak memory < 1 GB", String(format: "%.0f MB", peak), peak < 1_000)
        // wrk needs the server running on its own: `make bench-web` measures it and checks it
        // against the recorded baseline; here the recorded figure is shown.
        let recorded = (try? String(contentsOf: webBaseline, encoding: .utf8))
            .map { text in
                Dictionary(
                    text.split(separator: "\n").compactMap { line -> (String, String)? in
                        let parts = line.split(separator: " ", maxSplits: 1)
                        return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
                    }, uniquingKeysWith: { a, _ in a })
            } ?? [:]
        if let rps = recorded["rps"], let p99 = recorded["p99ms"] {
            print(pad("  web coverage page (100 items) under wrk, recorded", 62) + pad("\(rps)/s", 12, right: true) + "  p99 \(p99) ms; make bench-web checks against it")
        } else {
            print(pad("  web coverage page (100 items) under wrk", 62) + pad("—", 12, right: true) + "  no baseline recorded; run make bench-web")
        }
    }

    /// Linear (or better) when the cost per unit never grows by more than a third from a smaller
    /// point to a larger one; a falling cost per unit is a fixed cost being spread, not a problem.
    /// The step from each point to the next is printed too, so a cost that rises and then levels
    /// off (a higher constant past some size) can be told from one that keeps growing.
    static func verdict(_ perUnit: [Double]) -> String {
        guard perUnit.count > 1, perUnit.allSatisfy({ $0 > 0 }) else { return "no data" }
        var growth = 0.0
        for i in perUnit.indices { for j in perUnit.indices where j > i { growth = max(growth, perUnit[j] / perUnit[i]) } }
        let first = perUnit[0]
        let last = perUnit[perUnit.count - 1]
        let steps = zip(perUnit, perUnit.dropFirst()).map { String(format: "%.2f×", $1 / $0) }.joined(separator: ", ")
        return growth <= 1.33
            ? String(format: "linear (cost per unit %.2f× from smallest to largest)", last / first)
            : String(format: "NOT linear (cost per unit grows up to %.2f×; point to point: %@)", growth, steps)
    }

    static func cohortScaling(_ points: [(Int, [Measurement])], items: Int) {
        print("Scaling with cohort size (\(items) items per portfolio)")
        print(
            pad("operation", 18) + pad("participants", 13, right: true) + pad("runs", 6, right: true) + pad("median s", 10, right: true)
                + pad("ms per participant", 20, right: true) + pad("CPU s", 9, right: true) + pad("CPU ms per participant", 24, right: true)
                + pad("+MB", 7, right: true) + pad("+MB per participant", 21, right: true))
        let operations = points.first?.1.map(\.operation) ?? []
        for (index, operation) in operations.enumerated() {
            var perUnit: [Double] = []
            var cpuPerUnit: [Double] = []
            var memoryPerUnit: [Double] = []
            for (size, measurements) in points where index < measurements.count {
                let m = measurements[index]
                perUnit.append(m.median / Double(size))
                cpuPerUnit.append(m.cpuMedian / Double(size))
                memoryPerUnit.append(max(m.addedMB, 0.001) / Double(size))
                print(
                    pad(operation, 18) + pad(String(size), 13, right: true) + pad(String(m.samples.count), 6, right: true)
                        + pad(String(format: "%.3f", m.median), 10, right: true)
                        + pad(String(format: "%.2f", 1_000 * m.median / Double(size)), 20, right: true)
                        + pad(String(format: "%.3f", m.cpuMedian), 9, right: true)
                        + pad(String(format: "%.2f", 1_000 * m.cpuMedian / Double(size)), 24, right: true)
                        + pad(String(format: "%.0f", max(0, m.addedMB)), 7, right: true)
                        + pad(String(format: "%.3f", max(0, m.addedMB) / Double(size)), 21, right: true))
            }
            print(
                "  \(operation): wall time " + verdict(perUnit) + "; CPU time " + verdict(cpuPerUnit) + "; memory added "
                    + verdict(memoryPerUnit))
        }
    }

    static func portfolioScaling(_ points: [(Int, [Measurement])], totalItems: Int) {
        print("Scaling with portfolio size: \(totalItems) evidence items in each point, as portfolios of N items")
        print(
            pad("items", 8, right: true) + pad("portfolios", 12, right: true) + pad("write µs/item", 16, right: true)
                + pad("read+XSD µs/item", 18, right: true) + pad("coverage µs/item", 18, right: true) + "   (medians of wall time)")
        var perUnit: [[Double]] = [[], [], []]
        for (items, ms) in points {
            let sample = max(1, totalItems / items)
            let costs = ms.map { 1e6 * $0.median / Double(sample * items) }
            for (i, c) in costs.enumerated() { perUnit[i].append(c) }
            print(
                pad(String(items), 8, right: true) + pad(String(sample), 12, right: true)
                    + costs.enumerated().map { pad(String(format: "%.2f", $1), $0 == 0 ? 16 : 18, right: true) }.joined())
        }
        print("Write: " + verdict(perUnit[0]) + "; read: " + verdict(perUnit[1]) + "; coverage: " + verdict(perUnit[2]))
    }
}
