/// Semantic checks a schema cannot express: unique ids, numbering without gaps, ids that match
/// their section, groups that hold statements.
extension Framework {
    public func check() -> [Finding] {
        var findings: [Finding] = []
        var seen: [String: Int] = [:]
        for statement in statements {
            if let first = seen[statement.id] {
                findings.append(
                    .error("duplicate statement id \(statement.id) (first used on line \(first))", line: statement.line))
            } else {
                seen[statement.id] = statement.line
            }
        }
        switch content {
        case .npq(let sections):
            findings += checkNumbers(sections.map(\.number), what: "section")
            for section in sections {
                findings += checkSequence(
                    section.learnThat, expected: { "\(section.number).\($0 + 1)" }, what: "Learn that")
                findings += checkSequence(
                    section.learnHowTo, expected: { "\(section.number).\(Self.letter($0))" }, what: "Learn how to")
                for group in section.groups where group.statements.isEmpty {
                    findings.append(
                        .error(
                            "group \"\(group.heading)\" in section \(section.number) has no \"Learn how to\" statements",
                            line: group.line))
                }
                if section.learnThat.isEmpty {
                    findings.append(.error("section \(section.number) has no \"Learn that\" statements"))
                }
                if section.groups.isEmpty {
                    findings.append(.error("section \(section.number) has no \"Learn how to\" groups"))
                }
            }
        case .nationalAward(_, let features, let areas):
            if features.isEmpty { findings.append(.error("no key features of the SENCO role")) }
            findings += checkNumbers(areas.map(\.number), what: "area")
            for area in areas {
                for (position, subarea) in area.subareas.enumerated() {
                    let expectedNumber = "\(area.number).\(position + 1)"
                    if subarea.number != expectedNumber {
                        findings.append(
                            .error("sub-area \(subarea.number) should be numbered \(expectedNumber)", line: subarea.outcomes.first?.line ?? 0))
                    }
                    if subarea.outcomes.isEmpty {
                        findings.append(.error("sub-area \(subarea.number) has no outcomes"))
                    }
                    findings += checkSequence(
                        subarea.outcomes, expected: { "NA-\(subarea.number).\($0 + 1)" }, what: "outcome")
                }
            }
        }
        return findings
    }

    static func letter(_ index: Int) -> String {
        String(UnicodeScalar(UInt8(ascii: "a") + UInt8(index % 26)))
    }

    private func checkNumbers(_ numbers: [Int], what: String) -> [Finding] {
        var findings: [Finding] = []
        if numbers.isEmpty { findings.append(.error("framework has no \(what)s")) }
        for (position, number) in numbers.enumerated() where number != position + 1 {
            findings.append(.error("\(what) \(number) is out of sequence: expected \(what) \(position + 1)"))
            break
        }
        return findings
    }

    private func checkSequence(_ statements: [Statement], expected: (Int) -> String, what: String) -> [Finding] {
        for (position, statement) in statements.enumerated() where statement.id != expected(position) {
            return [
                .error(
                    "\(what) statement \(statement.id) is out of sequence: expected \(expected(position)) (numbering must run without gaps)",
                    line: statement.line)
            ]
        }
        return []
    }
}

extension Crosswalk {
    /// Every id exists in its framework, and every outcome of `to` is either linked or marked as
    /// having no equivalent, never both and never neither.
    public func check(from source: Framework?, to target: Framework?) -> [Finding] {
        var findings: [Finding] = []
        guard let source else { return [.error("crosswalk names framework \"\(from)\", which is not loaded")] }
        guard let target else { return [.error("crosswalk names framework \"\(to)\", which is not loaded")] }
        var seenPairs: Set<String> = []
        for link in links {
            if source.statement(withID: link.statement) == nil {
                findings.append(.error("link from unknown \(source.id) statement \(link.statement)", line: link.line))
            }
            if target.statement(withID: link.outcome) == nil {
                findings.append(.error("link to unknown \(target.id) outcome \(link.outcome)", line: link.line))
            }
            if !seenPairs.insert("\(link.statement)→\(link.outcome)").inserted {
                findings.append(.error("duplicate link \(link.statement) → \(link.outcome)", line: link.line))
            }
        }
        let linked = Set(links.map(\.outcome))
        var gaps: Set<String> = []
        for gap in noEquivalent {
            if target.statement(withID: gap.outcome) == nil {
                findings.append(.error("no-equivalent entry for unknown outcome \(gap.outcome)", line: gap.line))
            }
            if linked.contains(gap.outcome) {
                findings.append(.error("outcome \(gap.outcome) is both linked and marked as having no equivalent", line: gap.line))
            }
            if !gaps.insert(gap.outcome).inserted {
                findings.append(.error("outcome \(gap.outcome) is marked as having no equivalent twice", line: gap.line))
            }
        }
        for outcome in target.statements where !linked.contains(outcome.id) && !gaps.contains(outcome.id) {
            findings.append(.error("outcome \(outcome.id) is neither linked to a statement nor marked as having no equivalent"))
        }
        return findings
    }
}
