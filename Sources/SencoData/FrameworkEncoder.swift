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
            }
            switch framework.content {
            case .npq(let all):
                for section in all where sections?.contains(section.number) ?? true {
                    try w.element("section", ["number": String(section.number)]) {
                        try w.element("title", text: section.title)
                        if let intro = section.intro { try w.element("intro", text: intro) }
                        for statement in section.learnThat {
                            try w.element("learnThat", ["id": statement.id], text: statement.text)
                        }
                        for group in section.groups {
                            try w.element("group") {
                                try w.element("heading", text: group.heading)
                                for statement in group.statements {
                                    try w.element("learnHowTo", ["id": statement.id], text: statement.text)
                                }
                            }
                        }
                        try w.element("references") {
                            for reference in section.references { try w.element("reference", text: reference) }
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
        }
        return try w.finish()
    }
}
