import ArgumentParser
import Foundation
import SencoStore

/// Damaged entries met by a whole-cohort command: each is named on standard error as it is met,
/// the command carries on with the rest, and exits non-zero at the end so none goes unnoticed.
struct StoreProblemReport {
    private(set) var problems: [StoreProblem] = []

    /// The scan's values; its problems are printed and remembered.
    mutating func values<Value>(_ scan: CohortScan<Value>) -> [Value] {
        for problem in scan.problems {
            FileHandle.standardError.write(Data("Error: \(SencoCommand.oneLine(problem.description))\n".utf8))
        }
        problems += scan.problems
        return scan.values
    }

    /// After the command's output: a non-zero exit if anything was skipped.
    func finish() throws {
        guard !problems.isEmpty else { return }
        let count = problems.count
        FileHandle.standardError.write(
            Data("\(count) stor\(count == 1 ? "e entry was" : "e entries were") skipped (named above); run senco store check\n".utf8))
        throw ExitCode.failure
    }
}
