import ArgumentParser
import DulyCore

/// An id a person types for a row its organisation numbers: `act_57` or `57` for an action, and likewise `bcr_`,
/// `whk_`.
protocol PublicNumberArgument: ExpressibleByArgument {
    static var kind: PublicID { get }
    var number: Int64 { get }
    init(number: Int64)
}

extension PublicNumberArgument {
    init?(argument: String) {
        guard let number = Self.kind.number(in: argument, bare: true) else { return nil }
        self.init(number: number)
    }
}

/// An action's id on the command line (`act_57` or `57`).
struct ActionNumber: PublicNumberArgument {
    static let kind = PublicID.action
    let number: Int64
}

/// A bank credit's id on the command line (`bcr_3` or `3`).
struct CreditNumber: PublicNumberArgument {
    static let kind = PublicID.bankCredit
    let number: Int64
}

/// A webhook subscriber's id on the command line (`whk_2` or `2`).
struct SubscriberNumber: PublicNumberArgument {
    static let kind = PublicID.webhookSubscriber
    let number: Int64
}
