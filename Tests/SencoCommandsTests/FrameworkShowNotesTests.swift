import Foundation
import SencoTestSupport
import Testing

/// `senco framework show` carries the statute flags and the copyright line and licence address.
struct FrameworkShowNotesTests {
    @Test func textMarksStatementsThatCiteStatute() throws {
        let result = try SencoBinary.run(["framework", "show", "npq-senco-2023", "--section", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("(Equality Act 2010). [statute: Equality Act 2010]\n"))
        #expect(result.stdout.components(separatedBy: "[statute: ").count - 1 == 5)
    }

    @Test func jsonCarriesStatuteCopyrightAndLicenceAddress() throws {
        let result = try SencoBinary.run(["framework", "show", "npq-senco-2023", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let source = try #require(json["source"] as? [String: Any])
        #expect(source["copyright"] as? String == "Crown copyright 2023")
        #expect(source["licenceURL"] as? String == "https://nationalarchives.gov.uk/doc/open-government-licence/version/3")
        #expect(result.stdout.components(separatedBy: "\"statute\"").count - 1 == 5)
    }
}
