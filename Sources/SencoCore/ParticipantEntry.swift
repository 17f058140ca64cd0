import Foundation

/// A participant as a provider typed it (one form, or one row of an uploaded CSV), checked by
/// the rules of `senco participant add`: a valid id, a name and a school within `TextLimits`
/// and storable (`PastedText`), an email that looks like one, a 7-digit TRN, one of the
/// cohort's tutors, and a start date `PlausibleDates` accepts (the cohort's start if none).
///
/// Every problem is reported, each with the field it is about, so a form can show them all
/// beside their fields and a CSV preview can list them per row.
public struct ParticipantEntry: Sendable, Hashable {
    public var id: String
    public var name: String
    public var school: String
    public var email: String
    public var trn: String
    public var tutor: String
    public var started: String

    public init(
        id: String, name: String, school: String, email: String = "", trn: String = "", tutor: String,
        started: String = ""
    ) {
        self.id = id
        self.name = name
        self.school = school
        self.email = email
        self.trn = trn
        self.tutor = tutor
        self.started = started
    }

    public struct Problem: Sendable, Hashable {
        /// `id`, `name`, `school`, `email`, `trn`, `tutor` or `started`.
        public var field: String
        public var message: String

        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    /// The fields in the order forms and CSV files give them.
    public static let fields = ["id", "name", "school", "email", "trn", "tutor", "started"]

    /// The entry with surrounding spaces removed and pasted page breaks made newlines; a field
    /// with a character that cannot be stored is left as it was (`problems` names it).
    public var tidied: ParticipantEntry {
        func tidy(_ text: String) -> String {
            ((try? PastedText.normalise(text, field: "")) ?? text).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return ParticipantEntry(
            id: tidy(id), name: tidy(name), school: tidy(school), email: tidy(email), trn: tidy(trn),
            tutor: tidy(tutor),
            started: tidy(started))
    }

    /// Every problem with this entry as a participant of `cohort`, in the order of `fields`.
    public func problems(in cohort: Cohort, today: Day = .today) -> [Problem] {
        var found: [Problem] = []
        func add(_ field: String, _ message: String) { found.append(Problem(field: field, message: message)) }
        if id.isEmpty {
            add("id", "Enter the participant id.")
        } else if let problem = Identifier.problem(with: id, what: "participant") {
            add("id", Self.sentence(problem))
        }
        for (field, label, text) in [("name", "name", name), ("school", "school", school)] {
            if let problem = Self.storable(text, label: label) {
                add(field, problem)
            } else if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                add(field, "Enter the participant's \(label).")
            } else if let problem = TextLimits.problem(text, field: "the \(label)", limit: TextLimits.name) {
                add(field, Self.sentence(problem))
            }
        }
        if !email.isEmpty && (email.count > 254 || !Self.looksLikeEmail(email)) {
            add("email", "The email address is not an email address, such as name@school.sch.uk.")
        }
        if !trn.isEmpty && (trn.count != 7 || !trn.allSatisfy(\.isASCII) || !trn.allSatisfy(\.isNumber)) {
            add("trn", "The teacher reference number must be 7 digits.")
        }
        if cohort.tutors.isEmpty {
            add("tutor", "Cohort \(cohort.id) has no tutors yet; add one to the cohort first.")
        } else if !cohort.tutors.contains(where: { $0.id == tutor }) {
            add(
                "tutor",
                tutor.isEmpty
                    ? "Choose the participant's tutor."
                    : "\(tutor.quotedForMessage()) is not a tutor of cohort \(cohort.id); its tutors are \(cohort.tutors.map(\.id).joined(separator: ", "))."
            )
        }
        if !started.isEmpty {
            if let day = Day(started) {
                if let problem = PlausibleDates.participantStartProblem(
                    day, cohortStart: cohort.start, field: "the start date", today: today)
                {
                    add("started", Self.sentence(problem))
                }
            } else {
                add("started", "The start date \(started.quotedForMessage()) is not a date (YYYY-MM-DD).")
            }
        }
        return found
    }

    /// The participant, when the entry has no problems in `cohort`.
    public func participant(in cohort: Cohort, today: Day = .today) -> Participant? {
        guard problems(in: cohort, today: today).isEmpty else { return nil }
        return Participant(
            id: id, name: name, school: school, email: email.isEmpty ? nil : email, trn: trn.isEmpty ? nil : trn,
            cohort: cohort.id, tutor: tutor, started: started.isEmpty ? cohort.start : Day(started) ?? cohort.start)
    }

    /// One @, something on each side, a dot in the domain, no spaces or controls: enough to
    /// catch a wrong field pasted in, without refusing real addresses.
    public static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix(".")
        else {
            return false
        }
        return !text.unicodeScalars.contains { $0.value <= 0x20 || $0.value == 0x7F }
    }

    private static func storable(_ text: String, label: String) -> String? {
        do throws(RuleError) {
            _ = try PastedText.normalise(text, field: "The \(label)")
            return nil
        } catch {
            return sentence(error.message)
        }
    }

    private static func sentence(_ text: String) -> String {
        guard let first = text.first else { return text }
        let body = first.uppercased() + text.dropFirst()
        return body.hasSuffix(".") ? body : body + "."
    }
}
