extension Portfolio {
    public static let redactionNotice =
        "[Redacted: this item is marked as holding pupil or other sensitive data. It is withheld from this export.]"

    /// A copy in which every sensitive item's title, reflection, attachments and the claims
    /// mapped from it are replaced by a notice. Ids, types, dates and mappings stay, so coverage
    /// and judgements still read the same.
    public func redactingSensitive() -> Portfolio {
        var copy = self
        let sensitive = Set(evidence.filter(\.sensitive).map(\.id))
        copy.evidence = evidence.map { item in
            guard item.sensitive else { return item }
            var redacted = item
            redacted.title = "Redacted evidence item \(item.id)"
            redacted.reflection = Self.redactionNotice
            redacted.attachments = []
            return redacted
        }
        copy.mappings = mappings.map { mapping in
            guard sensitive.contains(mapping.evidence) else { return mapping }
            var redacted = mapping
            redacted.claim = Self.redactionNotice
            return redacted
        }
        return copy
    }
}
