extension Contact {
    /// A customer's contacts as `contacts` replace `current`: what Duly learned about a person stays with them. An
    /// address that bounced keeps bouncing while the email is the same, and the channels a person opted out of stay
    /// refused, matched by email (any case), else by phone. A new list can add an opt-out, never drop one.
    public static func replacing(_ current: [Contact], with contacts: [Contact]) -> [Contact] {
        contacts.map { contact in
            var kept = contact
            if let email = contact.email?.lowercased(), !email.isEmpty,
                let known = current.first(where: { $0.email?.lowercased() == email })
            {
                kept.emailBouncing = contact.emailBouncing || known.emailBouncing
                kept.optedOut.formUnion(known.optedOut)
            } else if let phone = contact.phone, !phone.isEmpty,
                let known = current.first(where: { $0.phone == phone })
            {
                kept.optedOut.formUnion(known.optedOut)
            }
            return kept
        }
    }
}
