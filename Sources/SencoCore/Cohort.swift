import Foundation

/// A group of participants who started together, with the tutors who teach them.
public struct Cohort: Sendable, Hashable, Identifiable {
    public struct Tutor: Sendable, Hashable {
        public var id: String
        public var name: String

        public init(id: String, name: String) {
            self.id = id
            self.name = name
        }
    }

    public var id: String
    public var title: String
    public var provider: String
    /// The DfE course identifier; `npq-senco` for this qualification.
    public var course: String
    public var start: Day
    public var tutors: [Tutor]
    /// The schedule, DfE cohort and delivery partner its participants have unless their own
    /// DfE identity says otherwise.
    public var dfe: DfEDefaults
    /// Where `senco dfe sync` got to: the next sync asks the API only for what changed since
    /// (`filter[updated_since]`). Nil: never synced, so everything is read.
    public var dfeSyncedSince: Date?

    public init(
        id: String, title: String, provider: String, course: String = "npq-senco", start: Day, tutors: [Tutor] = [],
        dfe: DfEDefaults = DfEDefaults(), dfeSyncedSince: Date? = nil
    ) {
        self.dfe = dfe
        self.dfeSyncedSince = dfeSyncedSince
        self.id = id
        self.title = title
        self.provider = provider
        self.course = course
        self.start = start
        self.tutors = tutors
    }
}
