import Foundation
import SencoCore

/// A declaration as the API holds it (`ParticipantDeclaration` in the OpenAPI document).
public struct HeldDeclaration: Sendable, Hashable {
    public var id: String
    public var participantID: String
    public var type: String
    public var course: String
    public var state: String
    /// `has_passed` on a completed declaration (the document types it as a nullable string; the
    /// API answers with a boolean or "true"/"false"); nil otherwise, or once voided.
    public var hasPassed: Bool?
    /// The day of `declaration_date`.
    public var date: Day?

    public init(
        id: String, participantID: String, type: String, course: String, state: String, hasPassed: Bool? = nil,
        date: Day? = nil
    ) {
        self.hasPassed = hasPassed
        self.date = date
        self.id = id
        self.participantID = participantID
        self.type = type
        self.course = course
        self.state = state
    }

    /// Voided and clawed-back declarations no longer count: the milestone may be declared again.
    public var counts: Bool { !["voided", "awaiting_clawback", "clawed_back"].contains(state) }
}
