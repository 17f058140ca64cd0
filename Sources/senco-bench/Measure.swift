import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What was measured of one operation.
struct Measurement {
    var operation: String
    /// Seconds of each run.
    var samples: [Double]
    /// Bytes produced or consumed by one run (documents, files or reports).
    var bytes: Int = 0
    /// Highest resident set of the process during any run of this operation (the kernel's
    /// high-water mark, reset before each run): it includes the inputs the process holds.
    var peakMB: Double = 0
    /// The most that resident memory rose above where it stood when a run began: the
    /// operation's own working memory.
    var addedMB: Double = 0
    /// The most that resident memory stayed above where it stood when a run began, after the run
    /// and after freed heap was given back: memory the operation kept (a leak, or a cache).
    var keptMB: Double = 0
    /// Whether what the operation produced was checked and found right, and how.
    var check: String = ""
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

/// Resident memory as the kernel counts it. The high-water mark (VmHWM) can be reset for this
/// process by writing 5 to /proc/self/clear_refs, so every operation in one process gets its own
/// peak; where that is refused the peak is the process's since it started, and the table says so.
enum Memory {
    nonisolated(unsafe) static var resettable = true

    /// glibc's malloc_trim, which the Glibc module does not export.
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = dlsym(nil, "malloc_trim").map {
        unsafeBitCast($0, to: (@convention(c) (Int) -> Int32).self)
    }

    /// Gives freed heap back to the system, then starts a new high-water mark.
    static func resetPeak() {
        _ = mallocTrim?(0)
        guard resettable else { return }
        let fd = open("/proc/self/clear_refs", O_WRONLY)
        if fd < 0 || write(fd, "5", 1) != 1 { resettable = false }
        if fd >= 0 { close(fd) }
    }

    /// Resident memory now (VmRSS), in MiB.
    static func residentMB() -> Double { status("VmRSS:") }

    /// Highest resident memory since the last `resetPeak` (VmHWM), in MiB.
    static func peakMB() -> Double { status("VmHWM:") }

    private static func status(_ field: String) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix(field) }),
            let kib = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
        else { return Measure.peakRSSMegabytes() }
        return kib / 1024
    }
}

/// Times prepared operations in this process.
enum Runner {
    /// Runs `group` in rounds: one untimed warm-up round when `warmUp`, then `runs` timed rounds,
    /// each starting with a different member, so that load from elsewhere on the machine and the
    /// order of running fall on every peer alike. Each run starts from a fresh memory high-water
    /// mark, so each peer's peak is its own.
    static func measure(_ group: [Prepared], runs: Int, warmUp: Bool = false) throws -> [Measurement] {
        var results = group.map { Measurement(operation: $0.operation, samples: []) }
        if warmUp {
            for prepared in group {
                _ = try prepared.run(prepared)
                if ProcessInfo.processInfo.environment["SENCO_BENCH_DEBUG"] != nil {
                    Memory.resetPeak()
                    FileHandle.standardError.write(Data(String(format: "%@ warm-up: after %.0f MB\n", prepared.operation, Memory.residentMB()).utf8))
                }
            }
        }
        for round in 0..<max(1, runs) {
            for offset in group.indices {
                let index = (offset + round) % group.count
                let prepared = group[index]
                Memory.resetPeak()
                let before = Memory.residentMB()
                let startCPU = Measure.cpuSeconds()
                let start = Measure.now()
                let own = try prepared.run(prepared)
                let wall = Measure.seconds(since: start)
                let cpu = Measure.cpuSeconds() - startCPU
                let peak = Memory.peakMB()
                results[index].samples.append(own?.wall ?? wall)
                results[index].cpuSamples.append(own?.cpu ?? cpu)
                results[index].peakMB = max(results[index].peakMB, peak)
                results[index].addedMB = max(results[index].addedMB, peak - before)
                Memory.resetPeak()
                let after = Memory.residentMB()
                results[index].keptMB = max(results[index].keptMB, after - before)
                if ProcessInfo.processInfo.environment["SENCO_BENCH_DEBUG"] != nil {
                    FileHandle.standardError.write(
                        Data(String(format: "%@ round %d: before %.0f MB, peak %.0f MB, after %.0f MB\n", prepared.operation, round, before, peak, after).utf8))
                }
            }
        }
        for (index, prepared) in group.enumerated() {
            results[index].bytes = prepared.bytes
            results[index].check = prepared.check
        }
        return results
    }

    static func measure(_ prepared: Prepared, runs: Int) throws -> Measurement {
        try measure([prepared], runs: runs)[0]
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
