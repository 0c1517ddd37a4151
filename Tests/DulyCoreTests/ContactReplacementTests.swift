import DulyCore
import Testing

@Suite struct ContactReplacementTests {
    @Test func aBouncingAddressKeepsBouncingWhenTheListIsReplaced() {
        let current = [Contact(role: .billing, name: "Ann", email: "ann@example.com", emailBouncing: true)]
        let replaced = Contact.replacing(
            current, with: [Contact(role: .billing, name: "Ann Lee", email: "ANN@example.com")])
        #expect(replaced.map(\.emailBouncing) == [true])
        #expect(replaced.map(\.name) == ["Ann Lee"])
    }

    @Test func aNewAddressIsNotTakenAsBouncing() {
        let current = [Contact(role: .billing, email: "ann@example.com", emailBouncing: true)]
        let replaced = Contact.replacing(current, with: [Contact(role: .billing, email: "ann@new.example")])
        #expect(replaced.map(\.emailBouncing) == [false])
    }

    @Test func anOptOutStaysWithThePersonMatchedByPhone() {
        let current = [Contact(role: .primary, phone: "+31 20 555 0100", optedOut: [.sms])]
        let replaced = Contact.replacing(
            current, with: [Contact(role: .senior, name: "Bo", phone: "+31 20 555 0100", optedOut: [.call])])
        #expect(replaced.map(\.optedOut) == [[.sms, .call]])
    }
}
