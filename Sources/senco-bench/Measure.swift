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
    /// CPU seconds (user + system, every thread) of each run: steadier than wall time on a shared
    /// machine, and more than it when work is spread over both cores.
    var cpuSamples: [Double] = []

    var cpuMedian: Double {
        let sorted = cpuSamples.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[sorted.count / 2]
    }

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

    /// User plus system CPU seconds this process has used so far.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// Runs `body` `runs` times; the wall-clock seconds of each run, and the CPU seconds in `cpu`.
    static func time(_ runs: Int, cpu: inout [Double], _ body: () throws -> Void) rethrows -> [Double] {
        var samples: [Double] = []
        for _ in 0..<max(1, runs) {
            let startCPU = cpuSeconds()
            let start = now()
            try body()
            samples.append(seconds(since: start))
            cpu.append(cpuSeconds() - startCPU)
        }
        return samples
    }
}
