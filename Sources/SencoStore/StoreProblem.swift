import Foundation
import SencoCore

/// Something wrong with one entry of a store, found while reading a cohort or by `store check`.
/// A whole-cohort job reports each and carries on with the rest.
public struct StoreProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// A document that cannot be used as it is (unreadable, misfiled, duplicated, a link):
        /// a person must look; `store check --repair` never touches it.
        case damage
        /// Left behind by a writer that died or an older version (temporary files, lock files
        /// nobody holds, blobs no portfolio refers to): safe to remove.
        case debris
    }

    public var kind: Kind
    /// The entry's path inside the store, e.g. `cohorts/2026-autumn/portfolios/p-01.xml`.
    public var path: String
    public var message: String

    public init(_ kind: Kind, path: String, _ message: String) {
        self.kind = kind
        self.path = path
        // Errors from the reader already name the file; say it once, keeping line and column.
        var text = Substring(message)
        if text.hasPrefix(path) {
            text = text.dropFirst(path.count)
            let position = text.prefix { $0 == ":" || $0.isNumber }
            text = text.dropFirst(position.count).drop { $0 == " " }
            if text.hasPrefix("error: ") { text = text.dropFirst("error: ".count) }
            let numbers = position.split(separator: ":")
            if numbers.count == 2 { text = "line \(numbers[0]), column \(numbers[1]): " + text }
        }
        self.message = text.isEmpty ? message : String(text)
    }

    public var description: String { "\(path): \(message)" }
}

/// What reading a whole cohort gave: a value per readable portfolio, in participant order, and
/// a problem per entry that could not be used.
public struct CohortScan<Value: Sendable>: Sendable {
    public var values: [Value]
    public var problems: [StoreProblem]
    /// Set when the store keeps this scan and answers with it again while nothing it depends on
    /// changes (`CohortSnapshots`, `CohortGenerations`): the same token means the same scan, so
    /// what a page made from it can be kept as long. A new scan always has a new token, or none.
    public var token: UInt64?

    public init(values: [Value], problems: [StoreProblem]) {
        self.values = values
        self.problems = problems
    }

    /// From a result per entry, in entry order, and the problems found before reading.
    init(results: [Result<Value, StoreProblem>], entryProblems: [StoreProblem]) {
        var values: [Value] = []
        values.reserveCapacity(results.count)
        var problems = entryProblems
        for result in results {
            switch result {
            case .success(let value): values.append(value)
            case .failure(let problem): problems.append(problem)
            }
        }
        problems.sort { $0.path < $1.path }
        self.init(values: values, problems: problems)
    }

    /// The values, or the first problem as an error, for callers that need the whole cohort.
    public func requireComplete() throws(StoreError) -> [Value] {
        if let first = problems.first {
            throw StoreError(.invalidData, "\(first) (run senco store check)")
        }
        return values
    }
}

/// An attachment read and checked but not yet stored: its bytes reach the content store only
/// when the change that refers to them commits, so a refused change leaves no blob behind.
public struct StagedAttachment: Sendable {
    public let attachment: Attachment
    let data: Data

    init(attachment: Attachment, data: Data) {
        self.attachment = attachment
        self.data = data
    }
}

/// Tokens for kept scans: unique in this process.
public enum ScanTokens {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var last: UInt64 = 0

    public static func next() -> UInt64 {
        lock.withLock {
            last += 1
            return last
        }
    }
}
