import DulyCore
import Foundation
import Hummingbird
import Mustache

/// The screens' Mustache templates, read from the target's resources, escaping every value with `HTML.escape`.
struct Pages: Sendable {
    let library: MustacheLibrary
    let stylesheet: [UInt8]

    /// The content type the templates name in their first line (`{{% CONTENT_TYPE: DULY_HTML}}`).
    struct Escaping: MustacheContentType {
        func escapeText(_ text: String) -> String { HTML.escape(text) }
    }

    static func load() async throws -> Pages {
        MustacheContentTypes.register(Escaping(), named: "DULY_HTML")
        guard let templates = Bundle.module.resourceURL?.appendingPathComponent("Templates"),
            let css = Bundle.module.url(forResource: "duly", withExtension: "css", subdirectory: "Static")
        else { throw WebError(.internalServerError, "the web screens' resources are missing from this build") }
        return Pages(
            library: try await MustacheLibrary(directory: templates.path),
            stylesheet: Array(try Data(contentsOf: css)))
    }

    /// A page as HTML, with its status.
    func render(_ name: String, _ values: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let html = library.render(values, withTemplate: name) ?? "<!DOCTYPE html><title>Duly</title><p>Page missing."
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

/// A submitted form's fields (`application/x-www-form-urlencoded`).
struct Form: Sendable {
    var fields: [String: String]

    subscript(_ name: String) -> String? {
        guard let value = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
            return nil
        }
        return value
    }

    init(_ body: String) {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        self.fields = fields
    }
}

/// Redirects after a form, so a reload does not post it again.
func seeOther(_ location: String, cookies: [String] = []) -> Response {
    var headers: HTTPFields = [.location: location]
    headers[values: .setCookie] = cookies
    return Response(status: .seeOther, headers: headers)
}
