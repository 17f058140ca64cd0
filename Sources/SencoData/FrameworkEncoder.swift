import Foundation
import SencoCore
import SencoXML

/// Writes frameworks in the shape `Frameworks/framework.xsd` defines, through the escaping writer.
public enum FrameworkEncoder {
    /// - Parameter sections: when given, only these NPQ sections or National Award areas.
    public static func xml(_ framework: Framework, sections: Set<Int>? = nil) throws -> Data {
        let w = try XMLWriter()
        try w.startDocument()
        try w.comment(" \(framework.source.attribution) ")
        let kind: String
        switch framework.content {
        case .npq: kind = "npq"
        case .nationalAward: kind = "national-award"
        }
        try w.element("framework", ["id": framework.id, "kind": kind, "version": framework.version]) {
            try w.element("title", text: framework.title)
            try w.element("shortTitle", text: framework.shortTitle)
            try w.element("source") {
                try w.element("document", text: framework.source.document)
                try w.element("publisher", text: framework.source.publisher)
                try w.element("published", text: framework.source.published)
                try w.element("licence", text: framework.source.licence)
                try w.element("attribution", text: framework.source.attribution)
                if let copyright = framework.source.copyright { try w.element("copyright", text: copyright) }
                if let url = framework.source.licenceURL { try w.element("licenceURL", text: url) }
            }
            let notes = framework.notes
            if !notes.definitions.isEmpty {
                try w.element("definitions") {
                    for definition in notes.definitions {
                        try w.element(
                            "definition", ["statementType": definition.kind.rawValue, "term": definition.term],
                            text: definition.text)
                    }
                }
            }
            if let introduction = notes.introduction {
                try w.element("introduction") {
                    try w.element("title", text: introduction.title)
                    for paragraph in introduction.paragraphs { try w.element("para", text: paragraph) }
                }
            }
            switch framework.content {
            case .npq(let all):
                for section in all where sections?.contains(section.number) ?? true {
                    try w.element("section", ["number": String(section.number)]) {
                        try w.element("title", text: section.title)
                        if let intro = section.intro { try w.element("intro", text: intro) }
                        for statement in section.learnThat { try statementElement(w, "learnThat", statement) }
                        for group in section.groups {
                            try w.element("group") {
                                try w.element("heading", text: group.heading)
                                for statement in group.statements { try statementElement(w, "learnHowTo", statement) }
                            }
                        }
                        try w.element("references") {
                            for (index, reference) in section.references.enumerated() {
                                try w.startElement("reference")
                                if index < section.referenceIDs.count, !section.referenceIDs[index].isEmpty {
                                    try w.attribute("ref", section.referenceIDs[index])
                                }
                                try w.text(reference)
                                try w.endElement()
                            }
                        }
                    }
                }
            case .nationalAward(let stem, let features, let areas):
                try w.element("roleFeatures") {
                    try w.element("stem", text: stem)
                    for feature in features { try w.element("feature", text: feature) }
                }
                for area in areas where sections?.contains(area.number) ?? true {
                    try w.element("area", ["number": String(area.number)]) {
                        try w.element("title", text: area.title)
                        for subarea in area.subareas {
                            try w.element("subarea", ["number": subarea.number]) {
                                try w.element("title", text: subarea.title)
                                try w.element("stem", text: subarea.stem)
                                for outcome in subarea.outcomes {
                                    try w.element("outcome", ["id": outcome.id], text: outcome.text)
                                }
                            }
                        }
                    }
                }
            }
            // Only the entries the written sections cite, so a filtered file still validates.
            let cited = Set(framework.npqSections.filter { sections?.contains($0.number) ?? true }.flatMap(\.referenceIDs))
            let entries = notes.bibliography.filter { cited.contains($0.id) }
            if !entries.isEmpty {
                try w.element("bibliography") {
                    for entry in entries {
                        try w.element("entry", ["id": entry.id]) {
                            if let authors = entry.authors { try w.element("authors", text: authors) }
                            if let body = entry.body { try w.element("body", text: body) }
                            try w.element("year", text: String(entry.year))
                            try w.element("title", text: entry.title)
                            for address in entry.addresses {
                                try w.startElement("url")
                                if let line = address.restoredFromLine { try w.attribute("restoredFromLine", String(line)) }
                                try w.text(address.url)
                                try w.endElement()
                            }
                        }
                    }
                }
            }
        }
        return try w.finish()
    }

    private static func statementElement(_ w: XMLWriter, _ name: String, _ statement: Statement) throws(XMLError) {
        try w.startElement(name)
        try w.attribute("id", statement.id)
        if let statute = statement.statute { try w.attribute("statute", statute) }
        try w.text(statement.text)
        try w.endElement()
    }
}
