import DulyCore
import DulyStore
import Foundation

/// `manifest.json`: the pack for a machine to read. Property names become snake_case keys; every optional is
/// written, as `null` when absent, so that a reader meets the same keys in every pack.
struct Manifest: Encodable {
    var format = "duly-evidence-pack"
    var formatVersion = EvidencePack.formatVersion
    var generatedFor: String
    var generatedAt: String
    var generator: Generator
    var organisation: OrganisationInfo
    var customer: CustomerInfo
    var layout: [LayoutItem]
    /// Every file but this one and SHA256SUMS (which lists this one).
    var files: [FileInfo] = []
    var balances: [BalanceInfo]
    var invoices: [InvoiceInfo]
    var documents: [FileInfo] = []
    var communications: [CommunicationInfo]
    var callNotes: [CallNote]
    var promises: [PromiseInfo]
    var plans: [PlanInfo]
    var disputes: [DisputeInfo]
    var refusals: [String]
    var interest: Nullable<InterestRef>
    var timeline: TimelineInfo
    var verification: VerificationInfo
    var counts: Counts

    // The key strategy turns `generatedFor` into `generated_for`. It would rewrite dictionary keys too, which is
    // why nothing in the manifest is a dictionary.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }()

    func encoded() throws -> [UInt8] { Array(try Manifest.encoder.encode(self)) + [UInt8(ascii: "\n")] }

    struct Generator: Encodable {
        var name = "duly"
        var version: Nullable<String>
    }

    struct OrganisationInfo: Encodable {
        var id: String
        var name: String
        var country: String
        var timeZone: String
        var baseCurrency: String
    }

    struct ContactInfo: Encodable {
        var role: String
        var name: Nullable<String>
        var email: Nullable<String>
        var phone: Nullable<String>
        var preferredChannel: Nullable<String>
        var emailBouncing: Bool
    }

    struct CustomerInfo: Encodable {
        /// The customer's id in the organisation's books.
        var reference: String
        var name: String
        var country: Nullable<String>
        var language: Nullable<String>
        var timeZone: Nullable<String>
        var collector: Nullable<String>
        var tags: [String]
        var optedOut: [String]
        var contacts: [ContactInfo]
    }

    struct LayoutItem: Encodable {
        var path: String
        var description: String
    }

    struct FileInfo: Encodable {
        var path: String
        var sha256: String
        var size: Int
        var mediaType: String
        var description: String
    }

    /// The invoices' sums in one currency.
    struct BalanceInfo: Encodable {
        var currency: String
        var total: String
        var paid: String
        var credited: String
        var open: String
    }

    struct InvoiceInfo: Encodable {
        var number: String
        var issueDate: String
        var dueDate: String
        var currency: String
        var total: String
        var paid: String
        var credited: String
        var open: String
        var terms: Nullable<String>
        var poNumber: Nullable<String>
        /// `paid` or `credited` once closed, null while open.
        var endState: Nullable<String>
    }

    struct CommunicationInfo: Encodable {
        /// Nil when nothing was composed (the delivery failed before a message existed).
        var file: Nullable<String>
        var actionId: Int64
        var messageId: String
        var channel: Nullable<String>
        /// How far the delivery got: `sent`, `failed`, `retrying`, `sending`, `committed`.
        var state: String
        var size: Int
        var sha256: Nullable<String>
        /// From the timeline's `message_sent` entry, when there is one.
        var sentOn: Nullable<String>
        var sentTo: Nullable<String>
        var timelineEntry: Nullable<Int>
    }

    /// What a person recorded after a call or meeting (a timeline entry `call_logged` or `meeting_logged`).
    struct CallNote: Encodable {
        var timelineEntry: Int
        var date: String
        var channel: String
        var actionId: Nullable<String>
        var outcome: String
        var note: Nullable<String>
    }

    struct PromiseInfo: Encodable {
        var id: String
        var invoices: [String]
        var amount: String
        var currency: String
        var promisedDate: String
        var madeOn: String
    }

    struct InstalmentInfo: Encodable {
        var dueDate: String
        var amount: String
        var currency: String
    }

    struct PlanInfo: Encodable {
        var id: String
        var invoices: [String]
        var acceptedOn: Nullable<String>
        var instalments: [InstalmentInfo]
    }

    struct DisputeInfo: Encodable {
        var id: String
        var invoice: String
        var openedOn: String
        var reason: String
        /// Null when the whole invoice is disputed.
        var amount: Nullable<String>
        var currency: Nullable<String>
        var resolvedOn: Nullable<String>
    }

    struct InterestRef: Encodable {
        var file: String
        var regime: String
        var asOf: String
        var totals: [InterestTotal]
    }

    struct InterestTotal: Encodable {
        var currency: String
        var interest: String
        var compensation: String
    }

    /// `interest/interest.json`.
    struct InterestInfo: Encodable {
        struct Line: Encodable {
            var invoice: String
            var principal: String
            var currency: String
            var from: String
            var through: String
            var days: Int
            var annualRatePercent: String
            var interest: String
            var compensation: Nullable<String>
            var basis: String
        }

        var regime: String
        var asOf: String
        var method: String
        var lines: [Line]
        var totals: [InterestTotal]

        init(_ interest: EvidenceInterest) {
            regime = interest.regime
            asOf = interest.asOf.description
            method = interest.method
            lines = interest.lines.map {
                Line(
                    invoice: $0.invoiceNumber, principal: $0.principal.decimalString,
                    currency: $0.principal.currency.code,
                    from: $0.from.description, through: $0.through.description, days: $0.days,
                    annualRatePercent: $0.annualRatePercent, interest: $0.interest.decimalString,
                    compensation: Nullable($0.compensation?.decimalString), basis: $0.basis)
            }
            totals = InterestInfo.totals(interest)
        }

        static func totals(_ interest: EvidenceInterest) -> [InterestTotal] {
            var sums: [String: (interest: Money, compensation: Money)] = [:]
            for line in interest.lines {
                let currency = line.interest.currency
                var sum = sums[currency.code] ?? (.zero(currency), .zero(currency))
                sum.interest = sum.interest + line.interest
                if let compensation = line.compensation, compensation.currency == currency {
                    sum.compensation = sum.compensation + compensation
                }
                sums[currency.code] = sum
            }
            return sums.keys.sorted().map {
                InterestTotal(
                    currency: $0, interest: sums[$0]!.interest.decimalString,
                    compensation: sums[$0]!.compensation.decimalString)
            }
        }
    }

    struct TimelineInfo: Encodable {
        var file = EvidencePack.timelinePath
        var instructions = EvidencePack.verifyPath
        var entries: Int
        var hashAlgorithm = "SHA-256"
        var canonicalForm = "duly-timeline-v1"
        var genesisHash = TimelineEntry.genesisHash
        /// The last entry's hash as stored.
        var chainHead: Nullable<String>
    }

    struct VerificationInfo: Encodable {
        /// `ok` or `broken`.
        var status: String
        var entriesChecked: Int
        var firstBadEntry: Nullable<Int>
        var reason: Nullable<String>
        var statement: String
    }

    struct Counts: Encodable {
        var invoices: Int
        var openInvoices: Int
        var documents: Int
        var communications: Int
        var callNotes: Int
        var promises: Int
        var plans: Int
        var disputes: Int
        var refusals: Int
        var timelineEntries: Int
    }
}

/// An optional that is written as `null` rather than left out.
struct Nullable<Wrapped: Encodable>: Encodable {
    var value: Wrapped?

    init(_ value: Wrapped?) { self.value = value }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value { try container.encode(value) } else { try container.encodeNil() }
    }
}

// MARK: - Building the manifest from the records

extension Manifest {
    init(
        records: EvidenceRecords, messages: [EvidencePack.Message], verification: ChainVerification,
        generatedFor: LocalDate, generatedAt: String, generatorVersion: String?
    ) {
        let organisation = records.organisation
        let customer = records.customer
        self.generatedFor = generatedFor.description
        self.generatedAt = generatedAt
        self.generator = Generator(version: Nullable(generatorVersion))
        self.organisation = OrganisationInfo(
            id: organisation.id, name: organisation.name, country: organisation.country,
            timeZone: organisation.timeZone, baseCurrency: organisation.baseCurrency.code)
        self.customer = CustomerInfo(
            reference: customer.id, name: customer.name, country: Nullable(customer.country),
            language: Nullable(customer.language), timeZone: Nullable(customer.timeZone),
            collector: Nullable(customer.collector), tags: customer.tags.sorted(),
            optedOut: customer.optedOut.sorted().map(\.rawValue),
            contacts: records.contacts.map {
                ContactInfo(
                    role: $0.role.rawValue, name: Nullable($0.name), email: Nullable($0.email),
                    phone: Nullable($0.phone), preferredChannel: Nullable($0.preferredChannel?.rawValue),
                    emailBouncing: $0.emailBouncing)
            })
        self.layout = EvidencePack.layout.map { LayoutItem(path: $0.path, description: $0.description) }
        self.balances = Manifest.balances(records.invoices)
        self.invoices = records.invoices.map { balance in
            let invoice = balance.invoice
            return InvoiceInfo(
                number: invoice.number, issueDate: invoice.issueDate.description,
                dueDate: invoice.dueDate.description, currency: invoice.currency.code,
                total: invoice.total.decimalString, paid: balance.paid.decimalString,
                credited: balance.credited.decimalString, open: balance.open.decimalString,
                terms: Nullable(invoice.terms?.description), poNumber: Nullable(invoice.poNumber),
                endState: Nullable(balance.endState?.rawValue))
        }
        var sent: [String: TimelineEntry] = [:]
        for entry in records.timeline where entry.timelineKind == .messageSent {
            if let action = entry.details["action"] { sent[action] = entry }
        }
        self.communications = messages.map { message in
            let communication = message.message.communication
            let entry = sent[String(communication.actionID)]
            return CommunicationInfo(
                file: Nullable(message.file?.path), actionId: communication.actionID,
                messageId: communication.messageID, channel: Nullable(message.message.channel?.rawValue),
                state: communication.state.rawValue, size: communication.content.count,
                sha256: Nullable(message.file?.sha256), sentOn: Nullable(entry?.date.description),
                sentTo: Nullable(entry?.details["to"]), timelineEntry: Nullable(entry?.sequence))
        }
        self.callNotes = records.timeline.filter { $0.timelineKind?.isTaskLogged == true }.map {
            let note = $0.details["note"] ?? ""
            return CallNote(
                timelineEntry: $0.sequence, date: $0.date.description,
                channel: String($0.kind.dropLast("_logged".count)), actionId: Nullable($0.details["action"]),
                outcome: $0.details["outcome"] ?? $0.summary, note: Nullable(note.isEmpty ? nil : note))
        }
        self.promises = records.promises.map {
            PromiseInfo(
                id: $0.id, invoices: $0.invoiceNumbers, amount: $0.amount.decimalString,
                currency: $0.amount.currency.code, promisedDate: $0.promisedDate.description,
                madeOn: $0.madeOn.description)
        }
        self.plans = records.plans.map {
            PlanInfo(
                id: $0.id, invoices: $0.invoiceNumbers, acceptedOn: Nullable($0.acceptedOn?.description),
                instalments: $0.instalments.map {
                    InstalmentInfo(
                        dueDate: $0.dueDate.description, amount: $0.amount.decimalString,
                        currency: $0.amount.currency.code)
                })
        }
        self.disputes = records.disputes.map {
            DisputeInfo(
                id: $0.id, invoice: $0.invoiceNumber, openedOn: $0.openedOn.description, reason: $0.reason,
                amount: Nullable($0.amount?.decimalString), currency: Nullable($0.amount?.currency.code),
                resolvedOn: Nullable($0.resolvedOn?.description))
        }
        self.refusals = records.refusals.map(\.description)
        self.interest = Nullable(
            records.interest.map {
                InterestRef(
                    file: EvidencePack.interestPath, regime: $0.regime, asOf: $0.asOf.description,
                    totals: InterestInfo.totals($0))
            })
        let head = records.timeline.last?.hash
        self.timeline = TimelineInfo(entries: records.timeline.count, chainHead: Nullable(head))
        let statement = EvidencePack.statement(verification, head: head)
        switch verification {
        case .valid(let count):
            self.verification = VerificationInfo(
                status: "ok", entriesChecked: count, firstBadEntry: Nullable(nil), reason: Nullable(nil),
                statement: statement)
        case .broken(let sequence, let reason):
            self.verification = VerificationInfo(
                status: "broken", entriesChecked: records.timeline.count, firstBadEntry: Nullable(sequence),
                reason: Nullable(reason), statement: statement)
        }
        self.counts = Counts(
            invoices: records.invoices.count, openInvoices: records.invoices.filter { !$0.isClosed }.count,
            documents: records.documents.count, communications: messages.count, callNotes: callNotes.count,
            promises: records.promises.count, plans: records.plans.count, disputes: records.disputes.count,
            refusals: records.refusals.count, timelineEntries: records.timeline.count)
    }

    /// Totals, paid, credited and open per currency, in currency-code order.
    static func balances(_ invoices: [InvoiceBalance]) -> [BalanceInfo] {
        var sums: [String: [Money]] = [:]
        for balance in invoices {
            let parts = [balance.invoice.total, balance.paid, balance.credited, balance.open]
            let code = balance.invoice.currency.code
            sums[code] = zip(sums[code] ?? parts.map { .zero($0.currency) }, parts).map { $0 + $1 }
        }
        return sums.keys.sorted().map { code in
            let parts = sums[code]!.map(\.decimalString)
            return BalanceInfo(currency: code, total: parts[0], paid: parts[1], credited: parts[2], open: parts[3])
        }
    }
}
