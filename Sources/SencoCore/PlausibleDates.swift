/// The dates senco accepts, so a slip of the keyboard (9999, 1900, a swapped century) is caught
/// when it is typed rather than in a DfE declaration a year later. Documented in the README.
public enum PlausibleDates {
    /// The earliest a cohort may start: the National Award for SEN Coordination began in 2009,
    /// and nothing senco tracks is older.
    public static let earliestCohortStart = Day(year: 2009, month: 1, day: 1)
    /// How far ahead a cohort may be planned.
    public static let yearsAhead = 2
    /// Evidence may record prior learning, but nothing before this.
    public static let earliestEvidence = Day(year: 2000, month: 1, day: 1)

    public static func latestStart(today: Day) -> Day {
        Day(year: today.year + yearsAhead, month: today.month, day: today.day)
    }

    /// Why `day` cannot be a cohort's start, or nil.
    public static func cohortStartProblem(_ day: Day, field: String = "--start", today: Day = .today) -> String? {
        let latest = latestStart(today: today)
        if day < earliestCohortStart || day > latest {
            return "\(field) \(day) is outside the plausible range for a cohort start (\(earliestCohortStart) to \(latest))"
        }
        return nil
    }

    /// Why `day` cannot be when a participant started in `cohort`, or nil: not more than a year
    /// before the cohort starts, and not more than two years ahead of today.
    public static func participantStartProblem(_ day: Day, cohortStart: Day, field: String = "--started", today: Day = .today) -> String? {
        let earliest = Day(year: cohortStart.year - 1, month: cohortStart.month, day: cohortStart.day)
        let latest = latestStart(today: today)
        if day < earliest || day > latest {
            return "\(field) \(day) is outside the plausible range for this cohort (\(earliest) to \(latest))"
        }
        return nil
    }

    /// Why `day` cannot be an evidence date, or nil: not in the future, not before 2000.
    public static func evidenceProblem(_ day: Day, today: Day = .today) -> String? {
        if day > today { return "evidence date \(day) is in the future (today is \(today))" }
        if day < earliestEvidence { return "evidence date \(day) is before \(earliestEvidence); check the year" }
        return nil
    }
}
