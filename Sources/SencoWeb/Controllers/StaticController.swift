import Hummingbird

/// The stylesheet and the one script, served as files so the Content-Security-Policy needs no
/// inline style or script.
struct StaticController {
    let services: WebServices

    func addRoutes(to router: Router<WebContext>) {
        let css = services.views.stylesheet
        router.get("/static/style.css") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: css)))
        }
        let statementCount = services.views.statementCount
        router.get("/static/statement-count.js") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: statementCount)))
        }
        // Liveness: the process answers. A load balancer restarts a server that stops answering.
        router.get("/health") { _, _ in "ok" }
        // Readiness: the store answers too. A load balancer sends requests only to a ready
        // server (a PostgreSQL server that is unreachable, a store directory gone read-only).
        let readiness = services.readiness
        router.get("/ready") { _, _ in
            await readiness()
                ? Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"], body: .init(byteBuffer: ByteBuffer(string: "ready")))
                : Response(
                    status: .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store", .retryAfter: "5"],
                    body: .init(byteBuffer: ByteBuffer(string: "the store is not answering")))
        }
    }
}
