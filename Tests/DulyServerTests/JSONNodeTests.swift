import Foundation
import Testing

@testable import DulyServer

/// Answers are written by hand (`JSONNode.sortedText`): the bytes must be the ones the generic encoder wrote before.
@Suite struct JSONNodeTests {
    @Test func answersAreWrittenByteForByteAsTheGenericEncoderWroteThem() throws {
        let page: JSONObject = [
            "next_cursor": .null,
            "data": .array([
                .object([
                    "kind": "call", "customer_id": "C/100", "note": .string("said \"next week\"\\ok\n\tcafé 🙂"),
                    "age_days": .integer(-12), "invoice_numbers": .array(["INV-2", "INV-10"]), "paid": .bool(true),
                    "empty": .object([:]), "none": .array([]), "zero": .integer(0),
                ])
            ]),
        ]
        let generic = JSONEncoder()
        generic.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(JSONBody.encode(page) == Array(try generic.encode(page)))
        #expect(JSONBody.encode(JSONNode.object(page)) == Array(try generic.encode(page)))
    }

    @Test func aNumberWithAFractionIsLeftToTheGenericEncoder() {
        #expect(JSONNode.array([.number(1.5)]).sortedText == nil)
        #expect(JSONBody.encode(JSONNode.array([.number(1.5)])) == Array("[1.5]".utf8))
    }
}
