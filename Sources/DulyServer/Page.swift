import DulyCore
import Foundation
import Hummingbird

/// A page of a list: its items and the cursor of the next page (`next_cursor`, null on the last page).
///
/// A cursor is opaque to clients: the key of the page's last item, base64url-encoded. Lists walk their records in
/// key order, so a record added while a client pages through appears once or not at all, never twice.
struct Page {
    /// How many items a page holds when the client does not say (`limit`), and at most.
    static let defaultLimit = 50
    static let maximumLimit = 500

    var items: [JSONNode]
    var nextCursor: [String]?

    var json: JSONObject {
        ["data": .array(items), "next_cursor": .text(nextCursor.map(Page.encode))]
    }

    /// The `limit` query parameter, checked.
    static func limit(_ request: Request) throws -> Int {
        guard let text = request.uri.queryParameters.get("limit") else { return defaultLimit }
        guard let limit = Int(text), (1...maximumLimit).contains(limit) else {
            throw Problem(.badRequest, "'\(text)' is not a page size; give 1 to \(maximumLimit)", field: "limit")
        }
        return limit
    }

    /// The key the `cursor` query parameter carries, nil on the first page; `parts` is how many values it holds.
    static func cursor(_ request: Request, parts: Int) throws -> [String]? {
        guard let text = request.uri.queryParameters.get("cursor") else { return nil }
        guard let data = Base64URL.decode(text), let key = try? JSONDecoder().decode([String].self, from: Data(data)),
            key.count == parts
        else {
            throw Problem(
                .badRequest, "not a cursor this list gave; pass the next_cursor of the page before as it is",
                field: "cursor")
        }
        return key
    }

    private static func encode(_ key: [String]) -> String {
        Base64URL.encode(JSONBody.encode(key))
    }
}
