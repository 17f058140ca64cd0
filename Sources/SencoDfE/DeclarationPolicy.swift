import Foundation
import SencoCore

/// When senco treats a milestone as earned (the provider's policy, which the provider may change)
/// and from when the DfE accepts declarations for a schedule (the DfE's rule, which senco enforces).
///
/// The thresholds are the provider's: the DfE pays on declarations but leaves what "retained"
/// means to the provider's contract. The schedule starts are the DfE's, from "Schedules and
/// milestone dates" ("When the API will accept NPQ declarations") in the lead-provider guidance:
/// "the API will accept any type of declaration … on or after the schedule start date".
public struct DeclarationPolicy: Sendable, Hashable {
    public struct ScheduleStart: Sendable, Hashable {
        public var schedule: String
        public var cohort: Int
        public var from: Day

        public init(schedule: String, cohort: Int, from: Day) {
            self.schedule = schedule
            self.cohort = cohort
            self.from = from
        }
    }

    public var rules: DeclarationRules
    public var scheduleStarts: [ScheduleStart]

    public init(rules: DeclarationRules = DeclarationRules(), scheduleStarts: [ScheduleStart] = Self.publishedStarts) {
        self.rules = rules
        self.scheduleStarts = scheduleStarts
    }

    /// The first day the DfE accepts declarations on `schedule` in `cohort`, if the policy knows it.
    public func declarationsFrom(schedule: String, cohort: Int) -> Day? {
        scheduleStarts.first { $0.schedule == schedule && $0.cohort == cohort }?.from
    }

    /// The leadership schedules' "submit declarations from" dates as the guidance's tables give
    /// them (autumn: training starting before 31 December; spring: from 1 January, or from
    /// 1 February in 2025). A year the tables do not cover is added in the policy file.
    public static let publishedStarts: [ScheduleStart] = [
        ("npq-leadership-autumn", 2022, "2022-10-01"), ("npq-leadership-spring", 2022, "2023-01-01"),
        ("npq-leadership-autumn", 2023, "2023-10-01"), ("npq-leadership-spring", 2023, "2024-01-01"),
        ("npq-leadership-autumn", 2024, "2024-10-01"),
        ("npq-leadership-spring", 2025, "2025-02-01"), ("npq-leadership-autumn", 2025, "2025-08-01"),
    ].map { ScheduleStart(schedule: $0.0, cohort: $0.1, from: Day($0.2)!) }

    // MARK: The policy file

    /// Reads a policy file: a JSON object whose keys all are optional and override the defaults:
    ///
    ///     {"retained1Share": 0.25, "retained2Share": 0.5, "retained1Months": 6,
    ///      "retained2Months": 12, "completedMonths": 18,
    ///      "scheduleStarts": [{"schedule": "npq-leadership-autumn", "cohort": 2026, "from": "2026-08-01"}]}
    ///
    /// `scheduleStarts` given here are added to the published ones and replace any for the same
    /// schedule and cohort. An unknown key or a value out of range is refused, naming it.
    public static func read(_ data: Data, file: String) throws(DfEError) -> DeclarationPolicy {
        func fail(_ message: String) -> DfEError { DfEError(.policy, "\(file): \(message)") }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw fail("the policy is not a JSON object")
        }
        let known: Set = [
            "retained1Share", "retained2Share", "retained1Months", "retained2Months", "completedMonths",
            "scheduleStarts",
        ]
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw fail("unknown key \(unknown.quotedForMessage()); known: \(known.sorted().joined(separator: ", "))")
        }
        // JSONDecoder is strict about types (true is not a number, 6.5 is not a whole number),
        // which JSONSerialization's NSNumbers are not.
        struct File: Decodable {
            struct Start: Decodable {
                let schedule: String
                let cohort: Int
                let from: String
            }
            let retained1Share, retained2Share: Double?
            let retained1Months, retained2Months, completedMonths: Int?
            let scheduleStarts: [Start]?
        }
        func decode(_ data: Data) -> File? { try? JSONDecoder().decode(File.self, from: data) }
        guard let parsed = decode(data) else {
            // Name the key: decode each on its own, since a decoding error's path is not always
            // filled in (a number that is not whole, on Linux).
            for key in object.keys.sorted() {
                let alone = try? JSONSerialization.data(withJSONObject: [key: object[key]!])
                if alone.flatMap(decode) == nil {
                    throw fail("\(key) has the wrong type (see the README's policy keys)")
                }
            }
            throw fail("not a policy")
        }
        var policy = DeclarationPolicy()
        for (key, value) in [("retained1Share", parsed.retained1Share), ("retained2Share", parsed.retained2Share)] {
            if let value, !(value > 0 && value <= 1) { throw fail("\(key) must be a number above 0 and at most 1") }
        }
        for (key, value) in [
            ("retained1Months", parsed.retained1Months), ("retained2Months", parsed.retained2Months),
            ("completedMonths", parsed.completedMonths),
        ] {
            if let value, !(0...48).contains(value) {
                throw fail("\(key) must be a whole number of months from 0 to 48")
            }
        }
        if let value = parsed.retained1Share { policy.rules.retained1Share = value }
        if let value = parsed.retained2Share { policy.rules.retained2Share = value }
        if let value = parsed.retained1Months { policy.rules.retained1Months = value }
        if let value = parsed.retained2Months { policy.rules.retained2Months = value }
        if let value = parsed.completedMonths { policy.rules.completedMonths = value }
        if policy.rules.retained1Share > policy.rules.retained2Share {
            throw fail("retained1Share is above retained2Share; retained-2 cannot come before retained-1")
        }
        for (index, start) in (parsed.scheduleStarts ?? []).enumerated() {
            let place = "scheduleStarts[\(index)]"
            if let problem = DfEIdentity.scheduleProblem(start.schedule, field: "\(place).schedule") {
                throw fail(problem)
            }
            if let problem = DfEIdentity.cohortProblem(start.cohort, field: "\(place).cohort") { throw fail(problem) }
            guard let from = Day(start.from) else {
                throw fail("\(place).from \(start.from.quotedForMessage()) is not a date (YYYY-MM-DD)")
            }
            policy.scheduleStarts.removeAll { $0.schedule == start.schedule && $0.cohort == start.cohort }
            policy.scheduleStarts.append(ScheduleStart(schedule: start.schedule, cohort: start.cohort, from: from))
        }
        return policy
    }

    /// Whether summaries (whose retained dates were worked out with the default shares) can
    /// stand for portfolios under this policy.
    public var summariesApply: Bool {
        rules.retained1Share == DeclarationRules().retained1Share
            && rules.retained2Share == DeclarationRules().retained2Share
    }
}
