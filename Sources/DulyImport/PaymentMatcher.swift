import DulyCore
import Foundation

/// Matches bank credits to open invoices (docs/DOMAIN.md, "camt.053"), one credit at a time, keys in
/// order:
///
/// 1. the structured creditor reference, when it is an RF reference whose check digits hold and Duly issued it;
/// 2. the end-to-end id, when it is an RF reference or an invoice number Duly issued;
/// 3. invoice numbers (and RF references) found in the remittance text, the additional information, or a national
///    structured reference: one credit may name several invoices, and is split over them in the order named;
/// 4. the amount, against the open invoices of the payer, known by an IBAN it paid from before or by its name:
///    only when exactly one invoice, or exactly one combination of up to four of its invoices, adds up to it.
///
/// A key that is present but not trusted (an RF reference failing its check digits, a reference naming no open
/// invoice, an invoice in another currency) is passed over with a note, and the next key is tried. What no key
/// matches with confidence is unmatched, with up to three candidates and why each came up.
///
/// The index is built once, with hash maps by reference, number, customer, payer and amount, so each credit costs a
/// few look-ups whatever the ledger's size: matching is linear in the number of credits. Credits are matched in
/// the order given, and each match lowers what its invoices have open, so two credits do not both pay the same
/// invoice's amount by the amount rule.
public struct PaymentMatcher: Sendable {
    // Sorted by customer, due date and number, so that each customer's invoices are one range, oldest first.
    private var invoices: [MatchableInvoice]
    // What each invoice still has open, in minor units, after the credits matched so far.
    private var remaining: [Int]
    // Positions in `invoices`. The maps hold one position per key, without an array per key (a million small arrays
    // cost more to build than the matching itself): invoice numbers that normalise alike are listed apart, and
    // invoices of the same open amount are chained through `nextOfSameAmount`.
    private var byReference: [String: Int] = [:]
    private var byNumber: [String: Int] = [:]
    private var sameNumber: [String: [Int]] = [:]
    private var byCustomer: [String: Range<Int>] = [:]
    private var byAmount: [AmountKey: Int] = [:]
    private var nextOfSameAmount: [Int]
    private var customersByName: [String: [String]] = [:]
    // Customers by each distinctive word of their name (`initech`), for candidates only: a word shared by more than
    // three customers (`client`, `trading`) says nothing and is not kept.
    private var customersByWord: [String: [String]] = [:]
    private var payerAccounts: [String: String] = [:]

    private struct AmountKey: Hashable {
        var currency: Currency
        var minorUnits: Int
    }

    /// The most invoices of one customer the amount rule combines, and the most open invoices it searches.
    public static let maximumCombination = 4
    static let maximumSearched = 20

    /// Builds the index.
    /// - Parameters:
    ///   - invoices: the organisation's open invoices.
    ///   - customerNames: every customer's name, by id, to recognise a payer by name.
    ///   - payerAccounts: customer ids by the IBAN they paid from before.
    public init(invoices: [MatchableInvoice], customerNames: [String: String], payerAccounts: [String: String] = [:]) {
        func precedes(_ lhs: MatchableInvoice, _ rhs: MatchableInvoice) -> Bool {
            if lhs.customerID != rhs.customerID { return lhs.customerID < rhs.customerID }
            if lhs.dueDate != rhs.dueDate { return lhs.dueDate < rhs.dueDate }
            return lhs.number < rhs.number
        }
        // The store reads them in this order already; sorting is only for other callers.
        var sorted = invoices
        if zip(sorted, sorted.dropFirst()).contains(where: { precedes($1, $0) }) { sorted.sort(by: precedes) }
        self.invoices = sorted
        remaining = sorted.map(\.open.minorUnits)
        nextOfSameAmount = Array(repeating: -1, count: sorted.count)
        byReference.reserveCapacity(sorted.count)
        byNumber.reserveCapacity(sorted.count)
        byAmount.reserveCapacity(sorted.count)
        var customerStart = 0
        for (index, invoice) in sorted.enumerated() {
            if let reference = invoice.paymentReference {
                byReference[CreditorReference.normalize(reference)] = index
            }
            let key = PaymentMatcher.numberKey(invoice.number)
            if let first = byNumber.updateValue(index, forKey: key) {
                byNumber[key] = first
                sameNumber[key, default: [first]].append(index)
            }
            let amount = AmountKey(currency: invoice.open.currency, minorUnits: invoice.open.minorUnits)
            if let previous = byAmount.updateValue(index, forKey: amount) { nextOfSameAmount[index] = previous }
            if index + 1 == sorted.count || sorted[index + 1].customerID != invoice.customerID {
                byCustomer[invoice.customerID] = customerStart..<index + 1
                customerStart = index + 1
            }
        }
        var commonWords: Set<String> = []
        for (id, name) in customerNames {
            let key = PaymentMatcher.nameKey(name)
            if !key.isEmpty { customersByName[key, default: []].append(id) }
            for word in PaymentMatcher.distinctiveWords(key) where !commonWords.contains(word) {
                customersByWord[word, default: []].append(id)
                if customersByWord[word]!.count > 3 {
                    customersByWord[word] = nil
                    commonWords.insert(word)
                }
            }
        }
        for (iban, customerID) in payerAccounts { self.payerAccounts[PaymentMatcher.ibanKey(iban)] = customerID }
    }

    /// How many open invoices the index holds.
    public var invoiceCount: Int { invoices.count }

    // MARK: - Matching

    /// Matches one credit, and takes what it pays off the invoices' open amounts.
    public mutating func match(_ credit: BankCredit) -> CreditMatch {
        var state = Attempt(credit: credit)
        let result = decide(&state)
        if case .matched(_, let parts, _, _, _) = result {
            for part in parts {
                for index in indices(ofNumber: PaymentMatcher.numberKey(part.invoiceNumber))
                where invoices[index].number == part.invoiceNumber {
                    remaining[index] = max(0, remaining[index] - part.amount.minorUnits)
                }
            }
        }
        return result
    }

    // What one credit's matching gathers as it goes.
    private struct Attempt {
        let credit: BankCredit
        var notes: [String] = []
        var candidates: [MatchCandidate] = []
    }

    private func decide(_ state: inout Attempt) -> CreditMatch {
        let credit = state.credit
        var textLines = credit.remittance + (credit.additionalInfo.map { [$0] } ?? [])

        // 1. The structured creditor reference.
        if let reference = credit.reference {
            let normalized = CreditorReference.normalize(reference)
            let looksRF = normalized.hasPrefix("RF") || credit.referenceIssuer?.uppercased() == "ISO"
            if looksRF {
                if !CreditorReference.isValid(normalized) {
                    state.notes.append("RF reference \(reference) fails its check digits: not trusted")
                    // Duly's references are mostly the invoice number's letters and digits: the look-alike.
                    if let base = CreditorReference.base(of: normalized) {
                        for index in indices(ofNumber: base)
                        where invoices[index].paymentReference.flatMap(CreditorReference.base(of:)) == base {
                            addCandidate(index, why: "its RF reference has the same base as \(reference)", &state)
                        }
                    }
                } else if let index = byReference[normalized] {
                    if let match = matchNamed([index], key: .creditorReference, &state) { return match }
                } else {
                    state.notes.append("RF reference \(reference) names no open invoice")
                }
            } else {
                let issuer = credit.referenceIssuer.map { " (\($0))" } ?? ""
                state.notes.append("structured reference \(reference)\(issuer) is not an RF reference Duly issued")
                textLines.append(reference)
            }
        }

        // 2. The end-to-end id.
        if let endToEnd = credit.endToEndId {
            let normalized = CreditorReference.normalize(endToEnd)
            var found: Int?
            if CreditorReference.isValid(normalized), let index = byReference[normalized] {
                found = index
            } else if case let indices = self.indices(ofNumber: PaymentMatcher.numberKey(endToEnd)), indices.count == 1
            {
                found = indices[0]
            }
            if let found, let match = matchNamed([found], key: .endToEndId, &state) { return match }
        }

        // 3. Invoice numbers and RF references in the text.
        if !textLines.isEmpty {
            let named = findInText(textLines, &state)
            if !named.isEmpty, let match = matchNamed(named, key: .remittanceText, &state) { return match }
        }

        // 4. Amount and payer.
        return matchByAmount(&state)
    }

    /// The named invoices, if they make a match: in the credit's currency, still open, of one customer.
    private func matchNamed(_ indices: [Int], key: MatchKey, _ state: inout Attempt) -> CreditMatch? {
        let credit = state.credit
        var usable: [Int] = []
        for index in indices {
            let invoice = invoices[index]
            if invoice.open.currency != credit.amount.currency {
                state.notes.append(
                    "invoice \(invoice.number) is in \(invoice.open.currency.code), the credit in "
                        + credit.amount.currency.code)
                addCandidate(index, why: "named, but in \(invoice.open.currency.code)", &state)
            } else if remaining[index] == 0 {
                state.notes.append("invoice \(invoice.number) is already paid by an earlier credit")
                addCandidate(index, why: "named, but already paid", &state)
            } else {
                usable.append(index)
            }
        }
        guard !usable.isEmpty else { return nil }
        var customers = Set(usable.map { invoices[$0].customerID })
        if customers.count > 1, let payer = payer(of: credit), customers.contains(payer) {
            usable = usable.filter { invoices[$0].customerID == payer }
            customers = [payer]
        }
        guard customers.count == 1, let customerID = customers.first else {
            state.notes.append(
                "the invoices named belong to several customers: \(customers.sorted().joined(separator: ", "))")
            for index in usable { addCandidate(index, why: "named by \(key.rawValue)", &state) }
            return nil
        }
        let open = usable.reduce(0) { $0 + remaining[$1] }
        let confidence: MatchConfidence
        if open == credit.amount.minorUnits || key == .creditorReference || key == .endToEndId {
            confidence = .high
        } else {
            confidence = .medium
        }
        if open != credit.amount.minorUnits {
            let openMoney = Money(minorUnits: open, currency: credit.amount.currency)
            state.notes.append(
                "the credit of \(credit.amount.decimalString) differs from the \(openMoney.decimalString) open on "
                    + usable.map { invoices[$0].number }.joined(separator: ", "))
        }
        let parts = MatchedInvoice.split(
            credit.amount,
            over: usable.map {
                (invoices[$0].number, Money(minorUnits: remaining[$0], currency: credit.amount.currency))
            })
        return .matched(customerID: customerID, invoices: parts, key: key, confidence: confidence, notes: state.notes)
    }

    /// The payer's customer: by an IBAN it paid from before, else by a name that is exactly one customer's.
    private func payer(of credit: BankCredit) -> String? {
        if let iban = credit.debtorIBAN, let customerID = payerAccounts[PaymentMatcher.ibanKey(iban)] {
            return customerID
        }
        if let name = credit.debtorName, let ids = customersByName[PaymentMatcher.nameKey(name)], ids.count == 1 {
            return ids[0]
        }
        return nil
    }

    private func matchByAmount(_ state: inout Attempt) -> CreditMatch {
        let credit = state.credit
        let amount = credit.amount
        guard let customerID = payer(of: credit) else {
            // Customers whose name shares a distinctive word with the payer's name or the text: their invoices that
            // add up to the credit, else their oldest, are candidates; never a match on a resemblance alone.
            let words = ([credit.debtorName].compactMap { $0 } + credit.remittance).flatMap {
                PaymentMatcher.distinctiveWords(PaymentMatcher.nameKey($0))
            }
            var resembling: [String] = []
            for word in words {
                for id in customersByWord[word] ?? [] where !resembling.contains(id) { resembling.append(id) }
            }
            for id in resembling.prefix(2) {
                let open = (byCustomer[id] ?? 0..<0).filter {
                    invoices[$0].open.currency == amount.currency && remaining[$0] > 0
                }
                let fitting =
                    open.count <= PaymentMatcher.maximumSearched
                    ? findCombinations(open, adding: amount.minorUnits, limit: 1).first ?? [] : []
                let exact = open.filter { remaining[$0] == amount.minorUnits }
                let chosen = !exact.isEmpty ? exact : (!fitting.isEmpty ? fitting : Array(open.prefix(2)))
                let why =
                    !exact.isEmpty || !fitting.isEmpty
                    ? "the payer's name resembles \(id)'s, and these add up" : "the payer's name resembles \(id)'s"
                for index in chosen { addCandidate(index, why: why, &state) }
            }
            var sameAmount = byAmount[AmountKey(currency: amount.currency, minorUnits: amount.minorUnits)] ?? -1
            var looked = 0
            while sameAmount >= 0, looked < 3 {
                if remaining[sameAmount] == amount.minorUnits {
                    addCandidate(sameAmount, why: "same open amount", &state)
                }
                sameAmount = nextOfSameAmount[sameAmount]
                looked += 1
            }
            let who = credit.debtorName.map { "'\($0)'" } ?? "the payer"
            return unmatched("\(who) is not a known customer and no reference names an open invoice", &state)
        }
        let open = (byCustomer[customerID] ?? 0..<0).filter {
            invoices[$0].open.currency == amount.currency && remaining[$0] > 0
        }
        let exact = open.filter { remaining[$0] == amount.minorUnits }
        if exact.count == 1 {
            return matchedByAmount(customerID, [exact[0]], &state)
        }
        if exact.count > 1 {
            for index in exact { addCandidate(index, why: "open amount equals the credit", &state) }
            return unmatched(
                "\(exact.count) open invoices of \(customerID) are for \(amount.decimalString): which one is unclear",
                &state)
        }
        var combinations: [[Int]] = []
        if open.count <= PaymentMatcher.maximumSearched {
            combinations = findCombinations(open, adding: amount.minorUnits, limit: 2)
        }
        if combinations.isEmpty, open.count > PaymentMatcher.maximumCombination,
            open.reduce(0, { $0 + remaining[$1] }) == amount.minorUnits
        {
            combinations = [open]
        }
        if combinations.count == 1 {
            return matchedByAmount(customerID, combinations[0], &state)
        }
        if combinations.count > 1 {
            for index in combinations.flatMap({ $0 }) {
                addCandidate(index, why: "in a combination that adds up", &state)
            }
            return unmatched(
                "several combinations of \(customerID)'s open invoices add up to \(amount.decimalString)", &state)
        }
        for index in open.prefix(3) { addCandidate(index, why: "oldest open invoice of the payer", &state) }
        return unmatched(
            "\(customerID) pays, but no combination of its open invoices adds up to \(amount.decimalString)", &state)
    }

    private func matchedByAmount(_ customerID: String, _ indices: [Int], _ state: inout Attempt) -> CreditMatch {
        let parts = indices.map {
            MatchedInvoice(
                invoiceNumber: invoices[$0].number,
                amount: Money(minorUnits: remaining[$0], currency: state.credit.amount.currency))
        }
        return .matched(
            customerID: customerID, invoices: parts, key: .amountAndPayer, confidence: .medium, notes: state.notes)
    }

    /// Up to `limit` combinations of 2 to `maximumCombination` invoices whose open amounts add up to `target`.
    private func findCombinations(_ indices: [Int], adding target: Int, limit: Int) -> [[Int]] {
        var found: [[Int]] = []
        var chosen: [Int] = []
        func search(from start: Int, sum: Int) {
            guard found.count < limit else { return }
            if chosen.count >= 2, sum == target {
                found.append(chosen)
                return
            }
            guard chosen.count < PaymentMatcher.maximumCombination else { return }
            for position in start..<indices.count {
                let value = remaining[indices[position]]
                guard sum + value <= target else { continue }
                chosen.append(indices[position])
                search(from: position + 1, sum: sum + value)
                chosen.removeLast()
                if found.count >= limit { return }
            }
        }
        search(from: 0, sum: 0)
        return found
    }

    private func unmatched(_ reason: String, _ state: inout Attempt) -> CreditMatch {
        .unmatched(reason: reason, candidates: Array(state.candidates.prefix(3)), notes: state.notes)
    }

    private func addCandidate(_ index: Int, why: String, _ state: inout Attempt) {
        let invoice = invoices[index]
        guard !state.candidates.contains(where: { $0.invoiceNumber == invoice.number }) else { return }
        state.candidates.append(
            MatchCandidate(
                invoiceNumber: invoice.number, customerID: invoice.customerID,
                open: Money(minorUnits: remaining[index], currency: invoice.open.currency), why: why))
    }

    // MARK: - Text

    /// The open invoices the lines name, in the order named: RF references Duly issued (check digits valid), then
    /// invoice numbers, as whole words, as parts of a word split at `/ + & . : #`, or as two words run together
    /// (`INV 1001` for `INV-1001`). A number that is several invoices' (after normalising) is a candidate only.
    private func findInText(_ lines: [String], _ state: inout Attempt) -> [Int] {
        var found: [Int] = []
        func add(_ index: Int) { if !found.contains(index) { found.append(index) } }
        for line in lines {
            for index in referencesIn(line) { add(index) }
            let words = PaymentMatcher.words(line)
            var matchedWord = Array(repeating: false, count: words.count)
            for (position, word) in words.enumerated() {
                var hits = lookUpNumber(word, &state)
                if hits.isEmpty {
                    let parts = word.split(whereSeparator: { "/+&.:#".contains($0) })
                    if parts.count > 1 { hits = parts.flatMap { lookUpNumber(String($0), &state) } }
                }
                if !hits.isEmpty { matchedWord[position] = true }
                for index in hits { add(index) }
            }
            for position in words.indices.dropLast() where !matchedWord[position] && !matchedWord[position + 1] {
                for index in lookUpNumber(words[position] + words[position + 1], &state) { add(index) }
            }
        }
        return found
    }

    /// The invoices whose number normalises to `key`.
    private func indices(ofNumber key: String) -> [Int] {
        if let several = sameNumber[key] { return several }
        return byNumber[key].map { [$0] } ?? []
    }

    private func lookUpNumber(_ word: String, _ state: inout Attempt) -> [Int] {
        let key = PaymentMatcher.numberKey(word)
        // Invoice numbers have a digit; short words ("12", "no") are noise more often than numbers.
        guard key.utf8.count >= 3, key.utf8.contains(where: { (48...57).contains($0) }),
            case let indices = self.indices(ofNumber: key), !indices.isEmpty
        else { return [] }
        if indices.count == 1 { return indices }
        for index in indices { addCandidate(index, why: "its number reads as \(word)", &state) }
        return []
    }

    /// RF references Duly issued, written anywhere in the line, spaced or not.
    private func referencesIn(_ line: String) -> [Int] {
        let compact = Array(CreditorReference.normalize(line).utf8)
        guard compact.count >= 5 else { return [] }
        var found: [Int] = []
        var start = 0
        while start + 5 <= compact.count {
            defer { start += 1 }
            guard compact[start] == UInt8(ascii: "R"), compact[start + 1] == UInt8(ascii: "F"),
                (48...57).contains(compact[start + 2]), (48...57).contains(compact[start + 3])
            else { continue }
            let longest = min(compact.count - start, 4 + CreditorReference.maximumBaseLength)
            for length in stride(from: longest, through: 5, by: -1) {
                let candidate = String(decoding: compact[start..<start + length], as: UTF8.self)
                if let index = byReference[candidate], CreditorReference.isValid(candidate) {
                    found.append(index)
                    start += length - 1
                    break
                }
            }
        }
        return found
    }

    // MARK: - Normalising

    /// An invoice number as compared: letters and digits only, upper case (`inv-1001` reads as `INV1001`).
    static func numberKey(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "0"..."9", "A"..."Z": scalars.append(scalar)
            case "a"..."z": scalars.append(Unicode.Scalar(scalar.value - 32)!)
            default: continue
            }
        }
        return String(scalars)
    }

    static func ibanKey(_ text: String) -> String { numberKey(text) }

    private static let legalForms: Set<String> = [
        "ltd", "limited", "plc", "llc", "inc", "corp", "co", "gmbh", "ag", "kg", "ug", "ohg", "bv", "nv", "vof", "sa",
        "sas", "sarl", "sprl", "srl", "spa", "ab", "as", "oy", "aps", "the",
    ]

    /// A name as compared: case and accents folded, punctuation dropped, legal forms dropped, words sorted (so
    /// `Müller GmbH` and `MULLER` compare equal, and so do `Doe, John` and `John Doe`).
    static func nameKey(_ text: String) -> String {
        // Most names are ASCII: lower-casing them is all folding would do, at a fraction of the cost.
        let folded =
            text.utf8.allSatisfy { $0 < 128 }
            ? text.lowercased() : text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        var words: [String] = []
        var current = ""
        for character in folded {
            if character.isLetter || character.isNumber {
                current.append(character)
            } else if character == "." || character == "'" {
                continue  // B.V. is BV, O'Neil is ONeil
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        let kept = words.filter { !legalForms.contains($0) }
        return (kept.isEmpty ? words : kept).sorted().joined(separator: " ")
    }

    /// The words of a name key worth indexing: with a letter, three characters or more.
    static func distinctiveWords(_ key: String) -> [String] {
        var words: [String] = []
        for word in key.split(separator: " ") where word.count >= 3 && word.contains(where: { $0.isLetter }) {
            words.append(String(word))
        }
        return words
    }

    /// Words of a line, split at spaces and at `, ; ( ) [ ] " '`, with trailing `.` and `:` dropped.
    static func words(_ line: String) -> [String] {
        line.split(whereSeparator: { $0.isWhitespace || ",;()[]{}\"'".contains($0) }).compactMap {
            let word = $0.trimmingCharacters(in: CharacterSet(charactersIn: ".:#-/"))
            return word.isEmpty ? nil : word
        }
    }
}
