/// Command-line options. `make bench` uses the defaults, which are issue 7's workload.
struct Options {
    /// Participants in the cohort jobs.
    var participants = 1_000
    /// Evidence items per portfolio.
    var items = 100
    /// Portfolios every XML peer writes and reads (the same documents for each peer).
    var sample = 100
    /// Timed runs of each operation; the table shows the median.
    var runs = 3
    /// Cohort sizes and portfolio sizes for the scaling tables.
    var cohortSizes = [100, 1_000, 2_500, 5_000]
    var portfolioSizes = [10, 100, 1_000]
    /// Evidence items in each portfolio-size point, spread over as many portfolios as that takes.
    var scalingItems = 20_000
    var scaling = true
    /// Writes a store of the workload here (`--participants` portfolios) and exits: the web
    /// benchmark serves one of them.
    var seedStore: String?
    /// Writes an archive over 4 GiB here and exits (a hand check of ZIP64; see LargeZip).
    var largeZip: String?
    /// Only these operations (for profiling one under callgrind); no scaling tables.
    var only: Set<String> = []

    func includes(_ operation: String) -> Bool { only.isEmpty || only.contains(operation) }

    init(_ arguments: [String]) {
        var i = 1
        func int(_ text: String, _ fallback: Int) -> Int { Int(text) ?? fallback }
        while i < arguments.count {
            let value = i + 1 < arguments.count ? arguments[i + 1] : ""
            switch arguments[i] {
            case "--participants": participants = int(value, participants); i += 1
            case "--items": items = int(value, items); i += 1
            case "--sample": sample = int(value, sample); i += 1
            case "--runs": runs = int(value, runs); i += 1
            case "--cohort-sizes": cohortSizes = value.split(separator: ",").compactMap { Int($0) }; i += 1
            case "--portfolio-sizes": portfolioSizes = value.split(separator: ",").compactMap { Int($0) }; i += 1
            case "--scaling-items": scalingItems = int(value, scalingItems); i += 1
            case "--no-scaling": scaling = false
            case "--seed-store": seedStore = value; i += 1
            case "--large-zip": largeZip = value; i += 1
            case "--only":
                only = Set(value.split(separator: ",").map(String.init))
                scaling = false
                i += 1
            case "--quick":
                // A smoke run for development: small and fast, not for the record.
                participants = 100
                sample = 10
                runs = 1
                cohortSizes = [50, 100, 200]
                portfolioSizes = [10, 100]
                scalingItems = 1_000
            default: break
            }
            i += 1
        }
    }
}
