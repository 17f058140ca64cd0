import SencoCore

/// Plain-text renderings of frameworks for people at a terminal.
enum FrameworkText {
    static func list(_ frameworks: [Framework]) -> String {
        var rows = [["ID", "TITLE", "VERSION", "DIVISIONS", "STATEMENTS"]]
        for framework in frameworks {
            let divisions = framework.npqSections.isEmpty ? "\(framework.divisionCount) areas" : "\(framework.divisionCount) sections"
            let counts: String
            switch framework.content {
            case .npq(let sections):
                let that = sections.reduce(0) { $0 + $1.learnThat.count }
                let how = sections.reduce(0) { $0 + $1.learnHowTo.count }
                counts = "\(framework.statements.count) (\(that) learn that, \(how) learn how to)"
            case .nationalAward(_, _, let areas):
                let subareas = areas.reduce(0) { $0 + $1.subareas.count }
                counts = "\(framework.statements.count) outcomes in \(subareas) sub-areas"
            }
            rows.append([framework.id, framework.shortTitle, framework.version, divisions, counts])
        }
        return table(rows)
    }

    static func show(_ framework: Framework, sections: Set<Int>?) -> String {
        var out = "\(framework.title)\n\(framework.id), version \(framework.version)\n"
        switch framework.content {
        case .npq(let all):
            for section in all where sections?.contains(section.number) ?? true {
                out += "\nSection \(section.number): \(section.title)\n"
                if let intro = section.intro { out += "\n\(intro)\n" }
                out += "\n  Learn that…\n"
                for statement in section.learnThat { out += "    \(pad(statement.id, 5)) \(statement.text)\(statuteNote(statement))\n" }
                out += "\n  Learn how to…\n"
                for group in section.groups {
                    out += "    \(group.heading)\n"
                    for statement in group.statements {
                        out += "      \(pad(statement.id, 4)) \(statement.text)\(statuteNote(statement))\n"
                    }
                }
                if !section.references.isEmpty {
                    out += "\n  References\n"
                    for reference in section.references { out += "    - \(reference)\n" }
                }
            }
        case .nationalAward(let stem, let features, let areas):
            if sections == nil {
                out += "\nKey features of the SENCO role\n  \(stem)\n"
                for feature in features { out += "    - \(feature)\n" }
            }
            for area in areas where sections?.contains(area.number) ?? true {
                out += "\nArea \(area.number): \(area.title)\n"
                for subarea in area.subareas {
                    out += "\n  \(subarea.number) \(subarea.title)\n  \(subarea.stem)\n"
                    for outcome in subarea.outcomes { out += "    \(pad(outcome.id, 10)) \(outcome.text)\n" }
                }
            }
        }
        out += "\n\(framework.source.attribution)\n"
        return out
    }

    /// " [statute: Children and Families Act 2014]" for a statement that cites statute.
    static func statuteNote(_ statement: Statement) -> String {
        statement.statute.map { " [statute: \($0)]" } ?? ""
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    static func table(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "" }
        let widths = (0..<first.count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in column == row.count - 1 ? cell : pad(cell, widths[column]) }
                .joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
