import Hummingbird

/// The stylesheet, served as a file so the Content-Security-Policy needs no inline style.
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
        router.get("/health") { _, _ in "ok" }
    }
}
