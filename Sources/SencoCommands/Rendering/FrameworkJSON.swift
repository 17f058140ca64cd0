import SencoCore

/// The JSON shape of `senco framework show --format json`, as agreed in the issue tracker:
/// sections with `learnThat` and `learnHowTo` for the NPQ; areas, sub-areas and outcomes for the
/// National Award.
struct FrameworkJSON: Encodable {
    let framework: Framework
    let sections: Set<Int>?

    struct StatementJSON: Encodable {
        let id: String
        let text: String
        let group: String?
        let type: String
        let statute: String?

        init(_ statement: Statement) {
            id = statement.id
            text = statement.text
            group = statement.kind == .learnHowTo ? statement.group : nil
            type = statement.kind.rawValue
            statute = statement.statute
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(text, forKey: .text)
            try container.encode(type, forKey: .type)
            if let group { try container.encode(group, forKey: .group) }
            if let statute { try container.encode(statute, forKey: .statute) }
        }

        enum CodingKeys: String, CodingKey { case id, text, group, type, statute }
    }

    enum CodingKeys: String, CodingKey {
        case id, title, shortTitle, version, kind, source, sections, areas, roleFeatures, roleFeaturesStem
        case number, intro, learnThat, learnHowTo, groups, references, subareas, stem, outcomes, heading, statements
        case document, publisher, published, licence, attribution, copyright, licenceURL
    }

    func encode(to encoder: any Encoder) throws {
        var root = encoder.container(keyedBy: CodingKeys.self)
        try root.encode(framework.id, forKey: .id)
        try root.encode(framework.title, forKey: .title)
        try root.encode(framework.shortTitle, forKey: .shortTitle)
        try root.encode(framework.version, forKey: .version)
        var source = root.nestedContainer(keyedBy: CodingKeys.self, forKey: .source)
        try source.encode(framework.source.document, forKey: .document)
        try source.encode(framework.source.publisher, forKey: .publisher)
        try source.encode(framework.source.published, forKey: .published)
        try source.encode(framework.source.licence, forKey: .licence)
        try source.encode(framework.source.attribution, forKey: .attribution)
        try source.encodeIfPresent(framework.source.copyright, forKey: .copyright)
        try source.encodeIfPresent(framework.source.licenceURL, forKey: .licenceURL)
        switch framework.content {
        case .npq(let all):
            try root.encode("npq", forKey: .kind)
            var list = root.nestedUnkeyedContainer(forKey: .sections)
            for section in all where sections?.contains(section.number) ?? true {
                var item = list.nestedContainer(keyedBy: CodingKeys.self)
                try item.encode(section.number, forKey: .number)
                try item.encode(section.title, forKey: .title)
                try item.encode(section.intro, forKey: .intro)  // null when absent, as the shape requires
                try item.encode(section.learnThat.map(StatementJSON.init), forKey: .learnThat)
                try item.encode(section.learnHowTo.map(StatementJSON.init), forKey: .learnHowTo)
                var groups = item.nestedUnkeyedContainer(forKey: .groups)
                for group in section.groups {
                    var entry = groups.nestedContainer(keyedBy: CodingKeys.self)
                    try entry.encode(group.heading, forKey: .heading)
                    try entry.encode(group.statements.map(\.id), forKey: .statements)
                }
                try item.encode(section.references, forKey: .references)
            }
        case .nationalAward(let stem, let features, let areas):
            try root.encode("national-award", forKey: .kind)
            try root.encode(stem, forKey: .roleFeaturesStem)
            try root.encode(features, forKey: .roleFeatures)
            var list = root.nestedUnkeyedContainer(forKey: .areas)
            for area in areas where sections?.contains(area.number) ?? true {
                var item = list.nestedContainer(keyedBy: CodingKeys.self)
                try item.encode(area.number, forKey: .number)
                try item.encode(area.title, forKey: .title)
                var subareas = item.nestedUnkeyedContainer(forKey: .subareas)
                for subarea in area.subareas {
                    var entry = subareas.nestedContainer(keyedBy: CodingKeys.self)
                    try entry.encode(subarea.number, forKey: .number)
                    try entry.encode(subarea.title, forKey: .title)
                    try entry.encode(subarea.stem, forKey: .stem)
                    try entry.encode(subarea.outcomes.map(StatementJSON.init), forKey: .outcomes)
                }
            }
        }
    }
}
