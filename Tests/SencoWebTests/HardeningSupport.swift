import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOEmbedded
import SencoTestSupport

@testable import SencoWeb

/// A request body that counts how often it is asked for a chunk, to prove a refused request's
/// body was never read.
struct WatchedBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    final class Reads: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        var count: Int { lock.withLock { value } }
        func add() { lock.withLock { value += 1 } }
    }

    let chunks: Int
    let chunk: ByteBuffer
    let reads = Reads()

    struct AsyncIterator: AsyncIteratorProtocol {
        var left: Int
        let chunk: ByteBuffer
        let reads: Reads
        mutating func next() async -> ByteBuffer? {
            reads.add()
            guard left > 0 else { return nil }
            left -= 1
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(left: chunks, chunk: chunk, reads: reads) }

    /// `megabytes` of a url-encoded form, in 64 KB chunks, with no declared length (as a
    /// chunked upload would come).
    static func form(megabytes: Int) -> WatchedBody {
        WatchedBody(
            chunks: megabytes * 16, chunk: ByteBuffer(string: "a=" + String(repeating: "x", count: 64 * 1024 - 3) + "&")
        )
    }
}

/// One router's responder, shared: the test client signs in through it as an application, and a
/// request with a watched body goes straight to it (the test client only sends whole buffers).
struct DirectRouter: Sendable {
    let responder: RouterResponder<WebContext>
    let setup: WebSetup

    init(_ setup: WebSetup) throws {
        responder = try buildRouter(setup).buildResponder()
        self.setup = setup
    }

    var application: some ApplicationProtocol { Application(responder: responder) }

    func post(_ path: String, headers: HTTPFields, body: WatchedBody) async throws -> Response {
        var fields = headers
        fields[.contentType] = "application/x-www-form-urlencoded"
        let request = Request(
            head: HTTPRequest(method: .post, scheme: "http", authority: "localhost", path: path, headerFields: fields),
            body: RequestBody(asyncSequence: body))
        let context = WebContext(source: .init(channel: EmbeddedChannel(), logger: setup.logger))
        return try await responder.respond(to: request, context: context)
    }
}

extension Browser {
    /// Posts a multipart form with one file, as the evidence page's upload form does.
    mutating func upload(
        _ client: some TestClientProtocol, _ uri: String, name: String, bytes: [UInt8], revision: String = "1",
        csrf override: String? = nil
    ) async throws -> TestResponse {
        let boundary = "XyZboundary7"
        var body = ByteBuffer()
        for (field, value) in [("csrf", override ?? csrf ?? ""), ("revision", revision)] {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"\r\n\r\n\(value)\r\n")
        }
        body.writeString(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        body.writeBytes(bytes)
        body.writeString("\r\n--\(boundary)--\r\n")
        var h = headers
        h[.contentType] = "multipart/form-data; boundary=\(boundary)"
        let response = try await client.execute(uri: uri, method: .post, headers: h, body: body)
        remember(response)
        return response
    }

    /// Posts a raw url-encoded body (for bodies the field-list helper cannot make).
    mutating func postRaw(_ client: some TestClientProtocol, _ uri: String, _ body: String) async throws -> TestResponse
    {
        var h = headers
        h[.contentType] = "application/x-www-form-urlencoded"
        let response = try await client.execute(uri: uri, method: .post, headers: h, body: ByteBuffer(string: body))
        remember(response)
        return response
    }
}
