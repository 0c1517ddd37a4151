import DulyCore
import Testing

@Suite("Invoice numbers in the order people expect")
struct NaturalOrderTests {
    @Test func numbersEqualInValueFallBackToPlainOrderSoTheOrderIsTotal() {
        #expect(NaturalOrder.precedes("F-007", "F-7"))
        #expect(!NaturalOrder.precedes("F-7", "F-007"))
    }

    @Test func aShorterPrefixComesFirst() {
        #expect(NaturalOrder.precedes("F", "F-1"))
        #expect(!NaturalOrder.precedes("F-1", "F"))
    }

    @Test func lettersBeyondASCIIKeepTheirOrderAndDigitsAfterThemStillCountAsNumbers() {
        #expect(["Ö-10", "Ä-2", "Ä-10", "Z-1"].sorted(by: NaturalOrder.precedes) == ["Z-1", "Ä-2", "Ä-10", "Ö-10"])
    }

    @Test func digitRunsLongerThanAnyIntegerCompareWithoutOverflow() {
        #expect(NaturalOrder.precedes("INV-99999999999999999999998", "INV-99999999999999999999999"))
        #expect(NaturalOrder.precedes("INV-99999999999999999999999", "INV-100000000000000000000000"))
    }
}
