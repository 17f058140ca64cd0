import Crypto
import Foundation
import SencoBenchRaw
import SencoCore
import SencoData
import SencoDfE
import SencoExport
import SencoStore
import SencoXML

#if canImport(Glibc)
    import Glibc
#endif

/// One operation with its inputs built; `run` is one timed run. A class so that a run can record
/// what it produced (`bytes`, `check`) and so that dropping it frees the inputs it holds.
final class Prepared {
    let operation: String
    var bytes = 0
    var check = ""
    /// One run. Returns its own wall and CPU seconds when only part of the run is the operation
    /// (store.write times the store's calls, not the generating of portfolios), nil to time it all.
    var run: (Prepared) throws -> (wall: Double, cpu: Double)? = { _ in nil }

    init(_ operation: String) { self.operation = operation }
}

/// Builds each operation's inputs and its run. Everything happens in this one process: the
/// runner interleaves peers and measures each one's peak memory by resetting the kernel's
/// high-water mark before it (see `Memory`).
struct Operations {
    let context: BenchContext
    let participants: Int
    let items: Int
    let sample: Int
    let runs: Int

    // MARK: The XML layer: the same portfolios through each peer

    static let writers = ["write.raw", "write.senco", "write.foundation", "write.xmlcoder"]
    static let readers = ["read.raw", "read.senco", "read.senco+schema", "validate.schema", "read.foundation", "read.xmlcoder"]

    /// The writers, each over the same portfolios.
    func writers(_ portfolios: [Portfolio], names: [String] = Operations.writers) throws -> [Prepared] {
        try names.map { operation in
            let encode: (Portfolio) throws -> Data =
                switch operation {
                case "write.raw": RawLibXML2.encode
                case "write.senco": PortfolioCodec.encode
                case "write.foundation": FoundationXMLPeer.encode
                default: XMLCoderPeer.encode
                }
            let prepared = Prepared(operation)
            // The check: every peer's first document reads back, through the project's reader, as
            // the portfolio it was written from (XMLCoder's through its own decoder).
            let first = try encode(portfolios[0])
            let back = try operation == "write.xmlcoder" ? XMLCoderPeer.decode(first) : context.schemas.readPortfolio(first, source: "check")
            prepared.check = Self.check(back, portfolios[0], equal: "round trip equal")
            if back != portfolios[0], ProcessInfo.processInfo.environment["SENCO_BENCH_DEBUG"] != nil {
                Self.explainDifference(back, portfolios[0])
            }
            prepared.run = { me in
                var bytes = 0
                for p in portfolios { bytes += try encode(p).count }
                me.bytes = bytes
                return nil
            }
            return prepared
        }
    }

    /// The readers, each over the same bytes: the documents the project writes.
    func readers(_ portfolios: [Portfolio], names: [String] = Operations.readers) throws -> [Prepared] {
        let documents = try portfolios.map(PortfolioCodec.encode)
        let total = documents.reduce(0) { $0 + $1.count }
        let schemas = context.schemas
        return try names.map { operation in
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
            let prepared = Prepared(operation)
            prepared.bytes = total
            if operation != "validate.schema" {
                let back = try decode(documents[0])
                prepared.check = Self.check(back, portfolios[0], equal: "values equal")
                if let back, back != portfolios[0], ProcessInfo.processInfo.environment["SENCO_BENCH_DEBUG"] != nil {
                    Self.explainDifference(back, portfolios[0])
                }
            }
            prepared.run = { _ in
                for data in documents { _ = try decode(data) }
                return nil
            }
            return prepared
        }
    }

    // MARK: Cohort jobs on a directory store

    /// Creates every portfolio into a fresh store per run; the last run's store is kept at
    /// `target` for the jobs that read it.
    func storeWrite(into target: URL) -> Prepared {
        let prepared = Prepared("store.write")
        var run = 0
        let runs = self.runs
        prepared.run = { me in
            defer { run += 1 }
            let root = run == runs - 1 ? target : target.appendingPathExtension("run\(run)")
            try? FileManager.default.removeItem(at: root)
            let store = DirectoryStore(root: root, schemas: context.schemas)
            var elapsed = 0.0
            var elapsedCPU = 0.0
            let start = Measure.now()
            try store.createCohort(Workload.cohort)
            elapsed += Measure.seconds(since: start)
            for index in 0..<participants {
                let portfolio = context.portfolio(index, items: items)  // not timed
                let startCPU = Measure.cpuSeconds()
                let start = Measure.now()
                try store.create(portfolio)
                elapsed += Measure.seconds(since: start)
                elapsedCPU += Measure.cpuSeconds() - startCPU
            }
            me.bytes = Self.portfolioBytes(root)
            if root != target {
                try? FileManager.default.removeItem(at: root)
            } else {
                let back = try DirectoryStore(root: target, schemas: context.schemas).portfolio(Workload.participantID(0))
                me.check = back == context.portfolio(0, items: items) ? "stored = generated" : "STORED DIFFERS"
            }
            return (elapsed, elapsedCPU)
        }
        return prepared
    }

    /// The durability cost alone: the same number of files of the same size, written the way
    /// AtomicFile does (temporary file, fsync, rename, fsync the directory); only the two fsync
    /// calls are timed.
    func storeFsync(in scratch: URL) throws -> Prepared {
        let directory = scratch.appendingPathComponent("fsync-probe")
        let document = try PortfolioCodec.encode(context.portfolio(0, items: items))
        let prepared = Prepared("store.fsync")
        prepared.bytes = document.count * participants
        prepared.run = { _ in
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            var inFsync = 0.0
            for index in 0..<participants {
                inFsync += Self.atomicWrite(document, to: directory.appendingPathComponent("p-\(index).xml"), directory: directory)
            }
            return (inFsync, 0)
        }
        return prepared
    }

    /// `store.read`, `coverage`, `completion`, `load+completion` or `packs` on the store at `root`.
    func cohortJob(_ operation: String, store root: URL) throws -> Prepared {
        let store = DirectoryStore(root: root, schemas: context.schemas)
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
        let context = self.context
        let prepared = Prepared(operation)
        prepared.run = { me in
            switch operation {
            case "store.read":
                let all = try store.portfolios(inCohort: cohort.id)
                me.bytes = Self.portfolioBytes(store.root)
                me.check = "\(all.count) portfolios"
            case "coverage":
                var evidenced = 0
                for p in loaded {
                    let c = Coverage(
                        portfolio: p, framework: context.npq, rules: context.schemas.rules, crosswalk: context.crosswalk,
                        award: context.award)
                    evidenced += c.total.evidenced
                }
                me.check = "\(evidenced) statements evidenced"
            case "completion":
                me.bytes = try context.completionReport(cohort: cohort, portfolios: loaded, templates: templates)
            case "load+completion":
                // What `senco report completion` does: every portfolio read (parse, XSD check,
                // decode) on all cores, one row kept per participant, then every format.
                let npq = context.npq
                let rules = context.schemas.rules
                let today = Day("2026-11-20")!
                let rows = try store.mapPortfolios(inCohort: cohort.id) {
                    CompletionReport.row(for: $0, framework: npq, rules: rules, today: today)
                }.requireComplete()
                let report = CompletionReport(cohort: cohort, framework: npq, rows: rows, today: today)
                me.bytes = try context.render(report, templates: templates)
                me.check = "\(rows.count) rows"
            case "packs":
                let out = FileManager.default.temporaryDirectory.appendingPathComponent("senco-bench-pack-\(UUID().uuidString)")
                defer { try? FileManager.default.removeItem(at: out) }
                let pack = ModerationPack(
                    framework: context.npq, rules: context.schemas.rules, templates: templates,
                    portfolioSchema: context.schemas.portfolio)
                me.bytes = try pack.write(loaded, to: out, includeSensitive: false, now: Date(timeIntervalSince1970: 1_780_000_000)).bytes
                me.check = "\(loaded.count) portfolios"
            default:
                throw BenchError("unknown operation \(operation)")
            }
            return nil
        }
        return prepared
    }

    /// Coverage of portfolios held in memory (the portfolio-size scaling points).
    func coverage(_ portfolios: [Portfolio]) -> Prepared {
        let prepared = Prepared("coverage.memory")
        let context = self.context
        prepared.run = { _ in
            for p in portfolios {
                _ = Coverage(
                    portfolio: p, framework: context.npq, rules: context.schemas.rules, crosswalk: context.crosswalk,
                    award: context.award)
            }
            return nil
        }
        return prepared
    }

    /// A store of `participants` portfolios for a scaling point, written quickly (the project's
    /// encoder, no fsync); not measured.
    func seed(_ root: URL, participants: Int) throws {
        let store = DirectoryStore(root: root, schemas: context.schemas)
        try store.createCohort(Workload.cohort)
        let directory = root.appendingPathComponent("cohorts/\(Workload.cohortID)/portfolios")
        var blobs: Set<String> = []
        for index in 0..<participants {
            var portfolio = context.portfolio(index, items: items)
            // The workload's attachments name a made-up hash; a store others read (senco serve,
            // senco store copy) holds the bytes of each, as a real one does.
            for i in portfolio.evidence.indices {
                for j in portfolio.evidence[i].attachments.indices {
                    let attachment = portfolio.evidence[i].attachments[j]
                    let bytes = Data(String(repeating: "Notes for the plan. ", count: attachment.size / 20 + 1).utf8.prefix(attachment.size))
                    let hash = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
                    portfolio.evidence[i].attachments[j].sha256 = hash
                    if blobs.insert(hash).inserted {
                        let folder = root.appendingPathComponent("attachments/sha256/\(hash.prefix(2))")
                        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                        try bytes.write(to: folder.appendingPathComponent(hash))
                    }
                }
            }
            let data = try PortfolioCodec.encode(portfolio)
            try data.write(to: directory.appendingPathComponent("\(Workload.participantID(index)).xml"))
        }
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

    /// With SENCO_BENCH_DEBUG set: where a peer's values differ from the original.
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
            + CompletionRenderer.json(report).count
            + report.rows.reduce(0) { sum, row in
                sum + DeclarationPlanner.plan(row: row, cohort: report.cohort, policy: DeclarationPolicy(), now: Date()).requests
                    .reduce(0) { $0 + $1.body.count }
            }
            + CompletionRenderer.html(report, templates: templates, attribution: npq.source.attribution).utf8.count
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
