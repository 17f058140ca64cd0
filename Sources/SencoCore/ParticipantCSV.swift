import Foundation

/// Participants from a CSV file (RFC 4180: commas, double quotes around a field that holds a
/// comma, quote or line break, `""` for a quote inside one; CRLF or LF line ends; UTF-8, with or
/// without a byte-order mark). The first line names the columns, in any order:
///
///     id,name,school,email,trn,tutor,started
///
/// `id`, `name`, `school` and `tutor` are required columns; `email`, `trn` and `started` may be
/// left out or left empty. Each row is then checked with `ParticipantEntry.problems`.
public enum ParticipantCSV {
    public static let requiredColumns = ["id", "name", "school", "tutor"]
    /// The most rows one file may hold (a cohort is a few hundred).
    public static let maximumRows = 2_000

    public struct Row: Sendable, Hashable {
        /// The line of the file the row starts on (the header is line 1).
        public var line: Int
        public var entry: ParticipantEntry
    }

    /// The rows of `data`, or why the file as a whole cannot be read (not UTF-8, no header, an
    /// unknown or missing column, a row with the wrong number of fields, an unclosed quote).
    public static func read(_ data: Data) throws(RuleError) -> [Row] {
        guard var text = String(data: data, encoding: .utf8) else { throw RuleError("the file is not UTF-8 text") }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let records = try parse(text)
        guard let header = records.first, !(header.fields.count == 1 && header.fields[0].isEmpty) else {
            throw RuleError(
                "the file is empty; its first line must name the columns: \(ParticipantEntry.fields.joined(separator: ","))"
            )
        }
        let columns = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for column in columns where !ParticipantEntry.fields.contains(column) {
            throw RuleError(
                "line 1: unknown column \(column.quotedForMessage()); the columns are \(ParticipantEntry.fields.joined(separator: ","))"
            )
        }
        if let repeated = Dictionary(grouping: columns, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw RuleError("line 1: the column \(repeated) is named twice")
        }
        let missing = requiredColumns.filter { !columns.contains($0) }
        if !missing.isEmpty {
            throw RuleError(
                "line 1: the column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) must be there")
        }
        var rows: [Row] = []
        for record in records.dropFirst() {
            if record.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard record.fields.count == columns.count else {
                throw RuleError(
                    "line \(record.line): \(record.fields.count) fields where the header names \(columns.count)")
            }
            if rows.count == maximumRows {
                throw RuleError("the file has more than \(maximumRows) participants; split it")
            }
            var values: [String: String] = [:]
            for (column, value) in zip(columns, record.fields) { values[column] = value }
            let entry = ParticipantEntry(
                id: values["id"] ?? "", name: values["name"] ?? "", school: values["school"] ?? "",
                email: values["email"] ?? "",
                trn: values["trn"] ?? "", tutor: values["tutor"] ?? "", started: values["started"] ?? "")
            rows.append(Row(line: record.line, entry: entry.tidied))
        }
        if rows.isEmpty { throw RuleError("the file has a header but no participants") }
        return rows
    }

    struct Record {
        var line: Int
        var fields: [String]
    }

    /// Splits the text into records of fields.
    static func parse(_ text: String) throws(RuleError) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var atFieldStart = true
        var line = 1
        var recordLine = 1
        var iterator = Array(text.unicodeScalars).makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending {
                pending = nil
                return p
            }
            return iterator.next()
        }
        func endRecord() {
            fields.append(field)
            records.append(Record(line: recordLine, fields: fields))
            fields = []
            field = ""
            atFieldStart = true
        }
        while let c = next() {
            if quoted {
                if c == "\"" {
                    if let after = next() {
                        if after == "\"" {
                            field.unicodeScalars.append("\"")
                        } else {
                            quoted = false
                            pending = after
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where atFieldStart:
                quoted = true
                atFieldStart = false
            case ",":
                fields.append(field)
                field = ""
                atFieldStart = true
            case "\r":
                if let after = next(), after != "\n" { pending = after }
                endRecord()
                line += 1
                recordLine = line
            case "\n":
                endRecord()
                line += 1
                recordLine = line
            default:
                field.unicodeScalars.append(c)
                atFieldStart = false
            }
        }
        if quoted { throw RuleError("line \(recordLine): a quoted field is not closed") }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        return records
    }
}
