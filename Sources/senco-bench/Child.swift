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

/// One operation, run inside its own process so that its peak resident memory is its own.
struct Child {
    let options: Options
    let context: BenchContext

    func run(_ operation: String) throws -> Measurement {
        let runs = options.runs
        var m = Measurement(operation: operation, samples: [], bytes: 0, peakMB: 0, setupMB: 0)
        var cpu: [Double] = []
        switch operation {
        // MARK: The XML layer: the same portfolios through each peer
        case "write.raw", "write.senco", "write.foundation", "write.xmlcoder":
            let portfolios = context.portfolios(options.sample, items: options.items)
            let encode: (Portfolio) throws -> Data =
                switch operation {
                case "write.raw": RawLibXML2.encode
                case "write.senco": PortfolioCodec.encode
                case "write.foundation": FoundationXMLPeer.encode
                default: XMLCoderPeer.encode
                }
            // The check: every peer's first document reads back, through the project's reader, as the
            // portfolio it was written from (XMLCoder's through its own decoder).
            let first = try encode(portfolios[0])
            if let path = ProcessInfo.processInfo.environment["SENCO_BENCH_DUMP"] { try first.write(to: URL(fileURLWithPath: path)) }
            let back = try operation == "write.xmlcoder" ? XMLCoderPeer.decode(first) : context.schemas.readPortfolio(first, source: "check")
            m.check = Self.check(back, portfolios[0], equal: "round trip equal")
            if back != portfolios[0], ProcessInfo.processInfo.environment["SENCO_BENCH_DEBUG"] != nil {
                Self.explainDifference(back, portfolios[0])
            }
            m.setupMB = Measure.peakRSSMegabytes()
            m.samples = try Measure.time(runs, cpu: &cpu) {
                var bytes = 0
                for p in portfolios { bytes += try encode(p).count }
                m.bytes = bytes
            }
        case "read.raw", "read.senco", "read.senco+schema", "read.foundation", "read.xmlcoder", "validate.schema":
            let portfolios = context.portfolios(options.sample, items: options.items)
            // Every peer reads the same bytes: the documents the project writes.
            let documents = try portfolios.map(PortfolioCodec.encode)
            m.bytes = documents.reduce(0) { $0 + $1.count }
            let schemas = context.schemas
            let decode: (Data) throws -> Portfolio? =
                switch operation {
                case "read.raw": RawLibXML2.decode
                case "read.senco": { try PortfolioCodec.decodePortfolio(try XMLReader().read($0)) }
                case "read.senco+schema": { try schemas.readPortfolio($0, source: "bench") }
                case "read.foundation": FoundationXMLPeer.decode
                case "read.xmlcoder": XMLCoderPeer.decode
                default: { data in
                    if let first = try schemas.portfolio.validate(data).first { throw first }
                    return nil
                }
                }
            if operation != "validate.schema" {
                let back = try decode(documents[0])
                m.check = Self.check(back, portfolios[0], equal: "values equal")
                if let back, back != portfolios[0], ProcessInfo.processInfo.environment["SENCO_BENCH_DEBUG"] != nil {
                    Self.explainDifference(back, portfolios[0])
                }
            }
            m.setupMB = Measure.peakRSSMegabytes()
            m.samples = try Measure.time(runs, cpu: &cpu) {
                for data in documents { _ = try decode(data) }
            }

        // MARK: Cohort jobs on a directory store
        case "store.write":
            // A fresh store per run; the last one is kept for the jobs that read it.
            let target = URL(fileURLWithPath: options.store!)
            m.setupMB = Measure.peakRSSMegabytes()
            for run in 0..<max(1, runs) {
                let root = run == runs - 1 ? target : target.appendingPathExtension("run\(run)")
                try? FileManager.default.removeItem(at: root)
                let store = DirectoryStore(root: root, schemas: context.schemas)
                var elapsed = 0.0
                var elapsedCPU = 0.0
                let start = Measure.now()
                try store.createCohort(Workload.cohort)
                elapsed += Measure.seconds(since: start)
                for index in 0..<options.participants {
                    let portfolio = context.portfolio(index, items: options.items)  // not timed
                    let startCPU = Measure.cpuSeconds()
                    let start = Measure.now()
                    try store.create(portfolio)
                    elapsed += Measure.seconds(since: start)
                    elapsedCPU += Measure.cpuSeconds() - startCPU
                }
                m.samples.append(elapsed)
                cpu.append(elapsedCPU)
                m.bytes = Self.portfolioBytes(root)
                if root != target { try? FileManager.default.removeItem(at: root) }
            }
            let back = try DirectoryStore(root: target, schemas: context.schemas).portfolio(Workload.participantID(0))
            m.check = back == context.portfolio(0, items: options.items) ? "stored = generated" : "STORED DIFFERS"
        case "store.fsync":
            // The durability cost alone: the same number of files of the same sizes, written the way
            // AtomicFile does (temporary file, fsync, rename, fsync the directory); only the two
            // fsync calls are timed.
            let directory = URL(fileURLWithPath: options.store!).appendingPathComponent("fsync-probe")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let document = try PortfolioCodec.encode(context.portfolio(0, items: options.items))
            m.setupMB = Measure.peakRSSMegabytes()
            for _ in 0..<max(1, runs) {
                var inFsync = 0.0
                for index in 0..<options.participants {
                    inFsync += Self.atomicWrite(document, to: directory.appendingPathComponent("p-\(index).xml"), directory: directory)
                }
                m.samples.append(inFsync)
            }
            m.bytes = document.count * options.participants
        case "store.read", "coverage", "completion", "load+completion", "packs":
            let store = DirectoryStore(root: URL(fileURLWithPath: options.store!), schemas: context.schemas)
            let cohort = try store.cohort(Workload.cohortID)
            var loaded: [Portfolio] = []
            if operation == "coverage" || operation == "completion" {
                loaded = try store.portfolios(inCohort: cohort.id)
            }
            if operation == "packs" {
                let ids = try store.participantIDs(inCohort: cohort.id)
                loaded = try stride(from: 0, to: ids.count, by: 10).map { try store.portfolio(ids[$0]) }
            }
            let templates = try TemplateLibrary()
            m.setupMB = Measure.peakRSSMegabytes()
            m.samples = try Measure.time(runs, cpu: &cpu) {
                switch operation {
                case "store.read":
                    loaded = []
                    loaded = try store.portfolios(inCohort: cohort.id)
                    m.bytes = Self.portfolioBytes(store.root)
                case "coverage":
                    var evidenced = 0
                    for p in loaded {
                        let c = Coverage(
                            portfolio: p, framework: context.npq, rules: context.schemas.rules, crosswalk: context.crosswalk,
                            award: context.award)
                        evidenced += c.total.evidenced
                    }
                    m.check = "\(evidenced) statements evidenced"
                case "completion":
                    m.bytes = try context.completionReport(cohort: cohort, portfolios: loaded, templates: templates)
                case "load+completion":
                    // What `senco report completion` does: every portfolio read (parse, XSD check,
                    // decode) on all cores, one row kept per participant, then every format.
                    let npq = context.npq
                    let rules = context.schemas.rules
                    let today = Day("2026-11-20")!
                    let rows = try store.mapPortfolios(inCohort: cohort.id) {
                        CompletionReport.row(for: $0, framework: npq, rules: rules, today: today)
                    }
                    let report = CompletionReport(cohort: cohort, framework: npq, rows: rows, today: today)
                    m.bytes = try context.render(report, templates: templates)
                    m.check = "\(rows.count) rows"
                default:
                    let out = FileManager.default.temporaryDirectory.appendingPathComponent("senco-bench-pack-\(UUID().uuidString)")
                    defer { try? FileManager.default.removeItem(at: out) }
                    let pack = ModerationPack(
                        framework: context.npq, rules: context.schemas.rules, templates: templates,
                        portfolioSchema: context.schemas.portfolio)
                    m.bytes = try pack.write(loaded, to: out, includeSensitive: false, now: Date(timeIntervalSince1970: 1_780_000_000)).bytes
                    m.check = "\(loaded.count) portfolios"
                }
            }
            if operation == "store.read" { m.check = "\(loaded.count) portfolios" }
        case "store.read.discard":
            // Diagnostic: every portfolio read one at a time and dropped at once.
            let store = DirectoryStore(root: URL(fileURLWithPath: options.store!), schemas: context.schemas)
            let ids = try store.participantIDs(inCohort: Workload.cohortID)
            m.samples = try Measure.time(runs, cpu: &cpu) {
                var count = 0
                for id in ids { count += try store.portfolio(id).evidence.count }
                m.check = "\(count) items"
            }
        case "store.read.sequential":
            // Diagnostic: every portfolio read one at a time on one thread, all kept.
            let store = DirectoryStore(root: URL(fileURLWithPath: options.store!), schemas: context.schemas)
            let ids = try store.participantIDs(inCohort: Workload.cohortID)
            var kept: [Portfolio] = []
            m.samples = try Measure.time(runs, cpu: &cpu) {
                kept = []
                for id in ids { kept.append(try store.portfolio(id)) }
                m.check = "\(kept.count) portfolios"
            }
        case "coverage.memory":
            let portfolios = context.portfolios(options.sample, items: options.items)
            m.setupMB = Measure.peakRSSMegabytes()
            m.samples = Measure.time(runs, cpu: &cpu) {
                for p in portfolios {
                    _ = Coverage(
                        portfolio: p, framework: context.npq, rules: context.schemas.rules, crosswalk: context.crosswalk,
                        award: context.award)
                }
            }

        // MARK: Setup for the scaling points (not measured)
        case "seed":
            // A store of the given size, written quickly: the project's encoder, no fsync.
            let root = URL(fileURLWithPath: options.store!)
            let store = DirectoryStore(root: root, schemas: context.schemas)
            try store.createCohort(Workload.cohort)
            let directory = root.appendingPathComponent("cohorts/\(Workload.cohortID)/portfolios")
            let start = Measure.now()
            for index in 0..<options.participants {
                let data = try PortfolioCodec.encode(context.portfolio(index, items: options.items))
                try data.write(to: directory.appendingPathComponent("\(Workload.participantID(index)).xml"))
                m.bytes += data.count
            }
            m.samples = [Measure.seconds(since: start)]
        default:
            throw BenchError("unknown operation \(operation)")
        }
        m.peakMB = Measure.peakRSSMegabytes()
        m.cpuSamples = cpu
        return m
    }

    static func check(_ back: Portfolio?, _ original: Portfolio, equal: String) -> String {
        if back == original { return equal }
        if let back, withoutSpaces(back) == withoutSpaces(original) { return "TEXT DIFFERS: spaces lost (see BENCHMARKS.md)" }
        return "VALUES DIFFER"
    }

    /// The portfolio with every space removed from its free text.
    static func withoutSpaces(_ p: Portfolio) -> Portfolio {
        func strip(_ s: String) -> String { s.replacingOccurrences(of: " ", with: "") }
        var p = p
        p.participant.name = strip(p.participant.name)
        p.participant.school = strip(p.participant.school)
        p.stateNote = strip(p.stateNote)
        for i in p.evidence.indices {
            p.evidence[i].title = strip(p.evidence[i].title)
            p.evidence[i].reflection = strip(p.evidence[i].reflection)
            for j in p.evidence[i].attachments.indices { p.evidence[i].attachments[j].name = strip(p.evidence[i].attachments[j].name) }
        }
        for i in p.mappings.indices { p.mappings[i].claim = strip(p.mappings[i].claim) }
        p.log = p.log.map {
            switch $0 {
            case .activity(var a): a.note = strip(a.note); return .activity(a)
            case .judgement(var j): j.feedback = strip(j.feedback); return .judgement(j)
            }
        }
        return p
    }

    /// For --child runs with SENCO_BENCH_DEBUG set: where a peer's values differ from the original.
    static func explainDifference(_ a: Portfolio, _ b: Portfolio) {
        var lines: [String] = []
        if a.participant != b.participant { lines.append("participant: \(a.participant) vs \(b.participant)") }
        if a.state != b.state || a.stateSince != b.stateSince || a.stateNote != b.stateNote {
            lines.append("state: \(a.state) \(a.stateSince) \(a.stateNote.debugDescription) vs \(b.state) \(b.stateSince) \(b.stateNote.debugDescription)")
        }
        if a.frameworks != b.frameworks || a.revision != b.revision { lines.append("frameworks/revision") }
        for (x, y) in zip(a.evidence, b.evidence) where x != y { lines.append("evidence: \(x) vs \(y)"); break }
        for (x, y) in zip(a.mappings, b.mappings) where x != y { lines.append("mapping: \(x) vs \(y)"); break }
        for (x, y) in zip(a.log, b.log) where x != y { lines.append("log: \(x) vs \(y)"); break }
        lines.append("counts: \(a.evidence.count)/\(b.evidence.count) \(a.mappings.count)/\(b.mappings.count) \(a.log.count)/\(b.log.count)")
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }

    /// Writes like `AtomicFile.write` and returns the seconds spent in its two fsync calls.
    static func atomicWrite(_ data: Data, to url: URL, directory: URL) -> Double {
        let temporary = url.path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return 0 }
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 { break }
                offset += written
            }
        }
        var start = Measure.now()
        fsync(fd)
        var spent = Measure.seconds(since: start)
        close(fd)
        rename(temporary, url.path)
        let directoryFD = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        start = Measure.now()
        fsync(directoryFD)
        spent += Measure.seconds(since: start)
        close(directoryFD)
        return spent
    }

    static func portfolioBytes(_ root: URL) -> Int {
        let directory = root.appendingPathComponent("cohorts/\(Workload.cohortID)/portfolios")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".xml") }.reduce(0) { sum, name in
            var info = stat()
            return sum + (stat(directory.appendingPathComponent(name).path, &info) == 0 ? Int(info.st_size) : 0)
        }
    }
}

/// The frameworks, schemas and workload every operation shares.
struct BenchContext {
    let schemas: PortfolioSchemas
    let npq: Framework
    let crosswalk: Crosswalk?
    let award: Framework?
    let statementIDs: [String]

    init(root: URL) throws {
        let library = try FrameworkLibrary(directory: root.appendingPathComponent("Frameworks"))
        schemas = try PortfolioSchemas(directory: root.appendingPathComponent("Portfolios"))
        guard let npq = library.framework(withID: "npq-senco-2023") else { throw BenchError("no npq-senco-2023 framework") }
        self.npq = npq
        crosswalk = library.crosswalks.first { $0.from == npq.id }
        award = crosswalk.flatMap { library.framework(withID: $0.to) }
        statementIDs = npq.statements.map(\.id)
    }

    func portfolio(_ index: Int, items: Int) -> Portfolio {
        Workload.portfolio(index: index, items: items, statements: statementIDs)
    }

    func portfolios(_ count: Int, items: Int) -> [Portfolio] {
        (0..<count).map { portfolio($0, items: items) }
    }

    /// The completion report in every format the CLI offers; the total bytes rendered.
    func completionReport(cohort: Cohort, portfolios: [Portfolio], templates: TemplateLibrary) throws -> Int {
        try render(
            CompletionReport(cohort: cohort, portfolios: portfolios, framework: npq, rules: schemas.rules, today: Day("2026-11-20")!),
            templates: templates)
    }

    func render(_ report: CompletionReport, templates: TemplateLibrary) throws -> Int {
        try CompletionRenderer.xml(report).count + CompletionRenderer.csv(report).utf8.count
            + CompletionRenderer.json(report).count + CompletionRenderer.declarationBodies(report).count
            + CompletionRenderer.html(report, templates: templates, attribution: npq.source.attribution).utf8.count
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
