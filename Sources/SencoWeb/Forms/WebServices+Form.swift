import Foundation
import SencoStore
import Hummingbird
import SencoCore

extension WebServices {
    /// Reads and checks the form of a state-changing request. Handlers call this only after
    /// they have checked who may make the request (signed in, role, the portfolio being theirs),
    /// so a refused request's body is never read.
    ///
    /// The body is read up to a cap: `maxFormBytes` for ordinary forms, `maxUploadBodyBytes` for
    /// the upload route. A declared length over the cap is refused before reading; a body that
    /// runs over it is refused as soon as it does. Too many fields are refused before any is
    /// decoded. Then the session's CSRF token must be in the form (compared in constant time).
    /// Each refusal throws a `WebError` (413, 400, 403) and nothing is changed.
    func form(_ request: Request, context: WebContext, upload: Bool = false) async throws -> FormData {
        // The session middleware refuses a request without a session before any handler runs;
        // this is the same check, for a handler used outside it.
        guard let session = context.session else { throw WebError.csrf }
        let limit = upload ? configuration.maxUploadBodyBytes : configuration.maxFormBytes
        let tooLarge =
            upload ? WebError.uploadTooLarge(limit: configuration.maxUploadBytes) : .formTooLarge(limit: limit)
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit { throw tooLarge }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw tooLarge
        }
        let form: FormData
        do throws(FormData.ParseError) {
            form = try FormData.parse(
                contentType: request.headers[.contentType], body: Data(body.readableBytesView),
                maxFields: configuration.maxFormFields)
        } catch .tooManyFields {
            throw WebError.tooManyFields
        } catch {
            throw WebError.badForm
        }
        guard SecureToken.equal(form["csrf"], session.csrfToken) else { throw WebError.csrf }
        return form
    }

    /// Free text from a form field, with pasted page breaks made newlines (`PastedText`); a
    /// control character that cannot be stored is refused naming the field's label.
    func text(_ form: FormData, _ name: String, label: String) throws(RuleError) -> String {
        try PastedText.normalise(form[name], field: label)
    }

    /// Who is signing in, for the per-client throttle: the trusted proxy's header when one is
    /// configured (the last entry of a list, the one the proxy added), else the socket's address.
    func client(_ request: Request, context: WebContext) -> String {
        if let name = configuration.clientAddressHeader, let value = request.headers[values: name].last,
            let last = value.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty
        {
            return last
        }
        return context.remoteAddress?.ipAddress ?? "unknown"
    }
}
