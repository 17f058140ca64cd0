import Foundation
import SencoCore
import Testing

/// Reading participants from CSV (RFC 4180) and checking each with the CLI's rules.
struct ParticipantCSVTests {
    static let cohort = Cohort(
        id: "c-1", title: "Autumn", provider: "Hub", start: Day("2026-10-05")!,
        tutors: [.init(id: "t-a", name: "Tutor A"), .init(id: "t-b", name: "Tutor B")])

    @Test func quotedFieldsCommasQuotesLineBreaksCRLFAndAByteOrderMarkAreRead() throws {
        let text =
            "\u{FEFF}tutor,ID,name,school\r\nt-a,p-1,\"Rivers, Alex\",\"Hill \"\"Top\"\" School\"\r\n\r\nt-b,p-2,\"Two\nLines\",S\n"
        let rows = try ParticipantCSV.read(Data(text.utf8))
        #expect(rows.map(\.entry.id) == ["p-1", "p-2"])
        #expect(rows[0].entry.name == "Rivers, Alex")
        #expect(rows[0].entry.school == "Hill \"Top\" School")
        #expect(rows[1].entry.name == "Two\nLines")
        #expect(rows.map(\.line) == [2, 4], "blank lines are skipped but counted")
        #expect(rows[1].entry.tutor == "t-b")
    }

    @Test(arguments: [
        ("", "empty"), ("id,name,school\np,n,s\n", "tutor"), ("id,name,school,tutor,x\n", "unknown column"),
        ("id,name,school,tutor,id\n", "twice"), ("id,name,school,tutor\np,n\n", "2 fields"),
        ("id,name,school,tutor\np,\"n,s,t\n", "not closed"), ("id,name,school,tutor\n", "no participants"),
    ])
    func aFileThatCannotBeReadSaysWhy(text: String, phrase: String) {
        #expect(throws: RuleError.self) { try ParticipantCSV.read(Data(text.utf8)) }
        do { _ = try ParticipantCSV.read(Data(text.utf8)) } catch {
            #expect(error.message.contains(phrase), "\(error.message)")
        }
    }

    @Test func notUTF8IsRefused() {
        #expect(throws: RuleError.self) { try ParticipantCSV.read(Data([0x69, 0x64, 0xFF, 0xFE])) }
    }

    @Test func everyProblemOfARowIsReportedWithItsField() {
        let entry = ParticipantEntry(
            id: "Bad Id", name: "", school: String(repeating: "s", count: 201), email: "nope", trn: "12", tutor: "t-x",
            started: "2001-01-01")
        let fields = entry.problems(in: Self.cohort, today: Day("2026-11-25")!).map(\.field)
        #expect(fields == ["id", "name", "school", "email", "trn", "tutor", "started"])
        let good = ParticipantEntry(id: "p-1", name: "N", school: "S", tutor: "t-a")
        #expect(good.problems(in: Self.cohort, today: Day("2026-11-25")!).isEmpty)
        #expect(good.participant(in: Self.cohort, today: Day("2026-11-25")!)?.started == Self.cohort.start)
    }
}
