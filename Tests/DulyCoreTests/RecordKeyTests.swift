import DulyCore
import Testing

/// The ids and keys every way in gives the records Duly creates, and the monthly cap on hand-overs: one rule per
/// test.
@Suite struct RecordKeyTests {
    let day = LocalDate(iso: "2026-03-10")!

    @Test func aSettlementOrWriteOffIsNamedByItsKindInvoiceAndDay() {
        #expect(CreditNote.id(.settlement, invoiceNumber: "INV-8", on: day) == "settlement-INV-8-2026-03-10")
        #expect(CreditNote.id(.writeOff, invoiceNumber: "INV-8", on: day) == "write_off-INV-8-2026-03-10")
    }

    @Test func aBankCreditIsKeyedByAccountStatementEntryAndTransaction() {
        #expect(
            bankCreditKey(account: "NL91ABNA0417164300", statementID: "STMT-7", entryIndex: 3, transactionIndex: 1)
                == "NL91ABNA0417164300/STMT-7/3.1")
    }

    @Test func aHandOverUnderTheMonthlyCapIsAllowed() {
        #expect(ApprovalRefusal.externalCap(approvedThisMonth: 1, cap: 2) == nil)
    }

    @Test func theHandOverThatWouldPassTheMonthlyCapIsRefused() {
        #expect(ApprovalRefusal.externalCap(approvedThisMonth: 2, cap: 2) == .externalCapReached(approved: 2, cap: 2))
    }

    @Test func aCapOfNoneRefusesEveryHandOver() {
        #expect(ApprovalRefusal.externalCap(approvedThisMonth: 0, cap: 0) == .externalCapReached(approved: 0, cap: 0))
    }
}
