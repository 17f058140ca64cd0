import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What one child process reports about the one operation it ran.
struct Measurement: Codable {
    var operation: String
    /// Seconds of each run.
    var samples: [Double]
    /// Bytes produced or consumed by one run (documents, files or reports).
    var bytes: Int
    /// Peak resident set of the child when it finished (ru_maxrss).
    var peakMB: Double
    /// Peak resident set after the inputs were prepared, before the first timed run.
    var setupMB: Double
    /// Whether what the operation produced was checked and found right, and how.
    var check: String = ""
    /// Named extra figures (seconds), such as time spent in fsync.
    var extra: [String: Double] = [:]

    var median: Double {
        let sorted = samples.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}

enum Measure {
    /// Peak resident memory of this process so far, in MiB (Linux reports ru_maxrss in KiB).
    static func peakRSSMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    static func seconds(since start: UInt64) -> Double { Double(now() - start) / 1e9 }

    /// Runs `body` `runs` times; the seconds of each run.
    static func time(_ runs: Int, _ body: () throws -> Void) rethrows -> [Double] {
        var samples: [Double] = []
        for _ in 0..<max(1, runs) {
            let start = now()
            try body()
            samples.append(seconds(since: start))
        }
        return samples
    }
}
