import DulyCore
import DulyStore
import Foundation
import Testing

/// The JSON text the stores keep in a column (timeline details, an action's invoice steps, tags): what a row holds
/// must read back as what was written, whatever a collector typed into a note or a reason.
@Suite struct JSONTextTests {
    @Test func aDetailsObjectIsWrittenWithItsKeysSortedAndNothingEscapedThatNeedsNone() {
        let text = JSONText.encode(["step": "first_follow_up", "action": "12", "invoices": "INV-1,INV-2"])
        #expect(text == #"{"action":"12","invoices":"INV-1,INV-2","step":"first_follow_up"}"#)
    }

    @Test func quotesBackslashesAndControlCharactersAreEscapedAndReadBackAsTyped() throws {
        let typed = "Said \"later\"\\maybe\nline two\r\tend\u{1}\u{1F} — café 👍"
        let text = JSONText.encode(["reason": typed])
        #expect(text == #"{"reason":"Said \"later\"\\maybe\nline two\r\tend\u0001\u001f — café 👍"}"#)
        #expect(try JSONText.decodeObject(text) == ["reason": typed])
    }

    @Test func invoiceStepsKeepTheActionsOrderAndListsKeepTheirs() throws {
        let steps = JSONText.encode([
            InvoiceStep(invoiceNumber: "INV-9", stepID: "due_day"),
            InvoiceStep(invoiceNumber: "INV-\"1\"", stepID: "first_follow_up"),
        ])
        #expect(steps == #"{"INV-9":"due_day","INV-\"1\"":"first_follow_up"}"#)
        let list = JSONText.encode(["b", "a\\", ""])
        #expect(list == #"["b","a\\",""]"#)
        #expect(try JSONText.decodeArray(list) == ["b", "a\\", ""])
    }
}
