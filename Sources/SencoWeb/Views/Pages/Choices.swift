import SencoCore

/// One `<option>` of a select.
struct SelectOption {
    var value: String
    var label: String
    var selected: Bool
}

/// One radio button of a group.
struct RadioChoice {
    var value: String
    var label: String
    var checked: Bool
}

/// A link to download an attachment, with its size for people.
struct AttachmentLink {
    var name: String
    var sha256: String
    var size: String
}

extension AttachmentLink {
    init(_ attachment: Attachment) {
        self.init(name: attachment.name, sha256: attachment.sha256, size: Present.sizeText(attachment.size))
    }
}
