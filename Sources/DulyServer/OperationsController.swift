import DulyStore
import Foundation
import Hummingbird

/// The routes an operator and a newcomer reach without a token: `/`, `/health`, `/ready`, `/metrics`, and the API's
/// document.
struct OperationsController<Store: ServerStore> {
    let store: Store
    /// The OpenAPI document, as checked in.
    let document: [UInt8]
    let metrics: ServerMetrics
    /// Where a browser asking for `/` is sent (the web screens' home); nil without screens.
    var browserHome: String? = nil

    func add(to router: Router<APIContext>) {
        router.get("/") { [browserHome] request, _ in
            // A browser asks for HTML; an integration keeps the documented JSON.
            if let browserHome, request.headers[.accept]?.contains("text/html") == true {
                var redirect = APIResponse(status: .seeOther, contentType: "text/plain", body: [])
                redirect.headers[.location] = browserHome
                return redirect
            }
            return APIResponse.json(
                [
                    "name": "Duly", "api": "/api/v1", "openapi": "/api/v1/openapi.json", "health": "/health",
                    "ready": "/ready", "metrics": "/metrics",
                    "authentication": "Authorization: Bearer TOKEN, with a token from `duly token create`",
                ] as JSONObject)
        }
        router.get("health") { _, _ in APIResponse.json(["status": "ok"] as JSONObject) }
        router.get("ready") { _, context in
            do {
                guard try await store.schemaIsCurrent() else {
                    return Problem(
                        .serviceUnavailable,
                        "the database's schema is not the one this build knows: start `duly serve` of the "
                            + "matching version (it migrates on start)"
                    ).response
                }
            } catch {
                context.logger.error("readiness check failed", metadata: ["error": "\(error)"])
                return Problem(.serviceUnavailable, "the database cannot be read").response
            }
            return APIResponse.json(["status": "ready"] as JSONObject)
        }
        // Prometheus's text format; the outbox and webhook gauges are read from the store at each scrape.
        router.get("metrics") { _, _ in
            APIResponse(
                status: .ok, contentType: "text/plain; version=0.0.4",
                body: metrics.exposition(gauges: try await store.organisationGauges()))
        }
        router.get("api/v1/openapi.json") { _, _ in
            APIResponse(status: .ok, contentType: "application/json", body: document)
        }
    }
}

/// The API's OpenAPI 3.1 document, checked in as `Sources/DulyServer/openapi.json` and shipped as a resource.
enum APIDocument {
    static func load() throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return Array(try Data(contentsOf: url))
    }
}
