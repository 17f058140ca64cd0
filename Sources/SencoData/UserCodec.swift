import Foundation
import SencoCore
import SencoXML

/// Reads and writes `users.xml` in the shape `Portfolios/users.xsd` defines.
public enum UserCodec {
    public static let schemaVersion = 1

    public static func encode(_ users: [UserAccount]) throws -> Data {
        let w = try XMLWriter()
        try w.startDocument()
        try w.element("users", ["schemaVersion": String(schemaVersion)]) {
            for user in users {
                try w.startElement("user")
                try w.attribute("id", user.id)
                try w.attribute("role", user.role.rawValue)
                if let participant = user.participant { try w.attribute("participant", participant) }
                if let tutor = user.tutor { try w.attribute("tutor", tutor) }
                try w.attribute("created", Timestamp.string(user.created))
                if user.disabled { try w.attribute("disabled", "true") }
                if let last = user.lastSignIn { try w.attribute("last-sign-in", Timestamp.string(last)) }
                try w.element("name", text: user.name)
                if let hash = user.passwordHash { try w.element("password-hash", text: hash) }
                try w.endElement()
            }
        }
        return try w.finish()
    }

    public static func decode(_ root: XMLElement, file: String = "") throws(DataError) -> [UserAccount] {
        let d = Decoding(file: file)
        guard root.name == "users" else {
            throw DataError("root element is <\(root.name)>, expected <users>", file: file, line: root.line)
        }
        return try root.elements(named: "user").map { (u) throws(DataError) in
            let roleText = try d.attribute(u, "role")
            guard let role = Role(rawValue: roleText), UserAccount.signInRoles.contains(role) else {
                throw DataError("unknown role \"\(roleText)\"", file: file, line: u.line)
            }
            var lastSignIn: Date?
            if u[attribute: "last-sign-in"] != nil { lastSignIn = try d.timestamp(u, "last-sign-in") }
            let disabled = u[attribute: "disabled"].map { $0 == "true" || $0 == "1" } ?? false
            return UserAccount(
                id: try d.attribute(u, "id"), role: role, name: try d.child(u, "name").text,
                participant: u[attribute: "participant"], tutor: u[attribute: "tutor"],
                passwordHash: u.elements(named: "password-hash").first?.text, created: try d.timestamp(u, "created"),
                disabled: disabled, lastSignIn: lastSignIn)
        }
    }

    /// Parses, schema-checks and decodes a users document.
    public static func read(_ data: Data, schema: XMLSchema, source: String) throws(DataError) -> [UserAccount] {
        do {
            let root = try XMLReader().read(data, source: source)
            let violations = try schema.validate(data, source: source)
            if !violations.isEmpty { throw DataError(violations.map(\.finding)) }
            return try decode(root, file: source)
        } catch let error as XMLError {
            throw DataError(error)
        } catch let error as DataError {
            throw error
        } catch {
            throw DataError("cannot read the users file", file: source)
        }
    }
}
