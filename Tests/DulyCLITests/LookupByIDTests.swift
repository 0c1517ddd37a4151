import Foundation
import Testing

// Issue 10, "Whole-organisation reads for one record": `approve`, `log-call`, the call script, `dispute resolve` and
// `plan accept` read the one record they are given by id. Each finds the right one, answers a clear error for an id
// nobody has, and treats another organisation's id as not found: never its data, never a change to it.
@Suite("One record by its id")
struct LookupByIDTests {
    /// Two organisations in one database, each with a client C1 (named after the organisation) and three overdue
    /// invoices of 100.00. Globex has a client C0 with three more, chased before C1, so that its actions' numbers run
    /// ahead of the default organisation's: a number of Globex's C1 names no action in the default organisation.
    private func twoOrganisations() throws -> DulyProcess {
        let duly = try DulyProcess()
        for (org, name) in [("default", "Acme Client"), ("globex", "Globex Client")] {
            try #require(
                try duly.run([
                    "init", "--org", org, "--name", "Studio \(org)", "--currency", "EUR", "--country", "NL",
                    "--timezone", "Europe/Amsterdam", "--from-address", "ar@\(org).example",
                ]).status == 0)
            let customers = try duly.write(
                "c-\(org).csv",
                "customer_id,name,email,phone,country,language,timezone,contact_name,escalation_email\n"
                    + "C1,\(name),ap@\(org)-client.example,+31 20 555 0101,NL,en,Europe/Amsterdam,Ann,\n"
                    + (org == "globex"
                        ? "C0,Globex Other,ap@globex-other.example,+31 20 555 0102,NL,en,Europe/Amsterdam,Bo,\n" : ""))
            try #require(try duly.run(["import", "customers", customers, "--org", org]).status == 0)
            let invoices = try duly.write(
                "i-\(org).csv",
                "invoice_number,customer_id,issue_date,due_date,currency,total,terms,po_number\n"
                    + (1...3).map { "INV-\($0),C1,2026-01-01,2026-01-31,EUR,100.00,net 30,\n" }.joined()
                    + (org == "globex"
                        ? (1...3).map { "INV-G\($0),C0,2026-01-01,2026-01-31,EUR,100.00,net 30,\n" }.joined() : ""))
            try #require(try duly.run(["import", "invoices", invoices, "--org", org]).status == 0)
        }
        _ = try duly.write("playbook.yaml", TestPlaybook.lawyerHandOver)
        for org in ["default", "globex"] {
            try #require(try duly.run(["playbook", "adopt", "playbook.yaml", "--org", org]).status == 0)
        }
        return duly
    }

    private func day(_ duly: DulyProcess, _ date: String, deliver: Bool = false) throws {
        for org in ["default", "globex"] {
            let run = try duly.run(["run", "--org", org, "--as-of", date])
            try #require(run.status == 0, "\(run.errors)")
            if deliver {
                let delivered = try duly.run([
                    "deliver", "--org", org, "--as-of", date, "--transport", "file:outbox-\(org)",
                    "--letters", "letters-\(org)",
                ])
                try #require(delivered.status == 0, "\(delivered.errors)")
            }
        }
    }

    private func tasks(_ duly: DulyProcess, _ org: String, kind: String, on date: String) throws -> [Int] {
        try duly.run(["worklist", "--org", org, "--as-of", date, "--json"]).lines.compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }.filter { $0["kind"] as? String == kind }.compactMap { $0["action_id"] as? Int }
    }

    /// The calls of both organisations on 3 March, by organisation.
    private func calls(_ duly: DulyProcess) throws -> (ours: Int, theirs: Int) {
        try day(duly, "2026-03-02", deliver: true)
        try day(duly, "2026-03-03")
        let ours = try #require(try tasks(duly, "default", kind: "call", on: "2026-03-03").first)
        let theirs = try #require(try tasks(duly, "globex", kind: "call", on: "2026-03-03").first)
        return (ours, theirs)
    }

    @Test func theCallScriptReadsTheCallItIsGivenAndNoOtherOrganisations() throws {
        let duly = try twoOrganisations()
        let (ours, theirs) = try calls(duly)
        let script = try duly.run(["worklist", "--script", String(ours), "--as-of", "2026-03-03"])
        #expect(script.status == 0, "\(script.errors)")
        #expect(script.output.contains("Call Acme Client, ask for Ann"), "\(script.output)")
        #expect(script.output.contains("duly log-call act_\(ours) --outcome"))

        let unknown = try duly.run(["worklist", "--script", "987654", "--as-of", "2026-03-03"])
        #expect(unknown.status != 0)
        #expect(
            unknown.errors.contains(
                "no action act_987654 in organisation 'default': see `duly worklist` for the calls and meetings"),
            "\(unknown.errors)")
        let foreign = try duly.run(["worklist", "--script", String(theirs), "--as-of", "2026-03-03"])
        #expect(foreign.status != 0)
        #expect(foreign.errors.contains("no action act_\(theirs) in organisation 'default'"), "\(foreign.errors)")
        #expect(!foreign.output.contains("Globex") && !foreign.errors.contains("Globex"))
    }

    @Test func loggingACallRecordsTheCallItIsGivenAndNoOtherOrganisations() throws {
        let duly = try twoOrganisations()
        let (ours, theirs) = try calls(duly)
        let unknown = try duly.run(["log-call", "987654", "--outcome", "reached", "--as-of", "2026-03-03"])
        #expect(unknown.status != 0)
        #expect(
            unknown.errors.contains(
                "no action act_987654 in organisation 'default': see `duly worklist` for the calls to record"),
            "\(unknown.errors)")
        let foreign = try duly.run(["log-call", String(theirs), "--outcome", "reached", "--as-of", "2026-03-03"])
        #expect(foreign.status != 0)
        #expect(foreign.errors.contains("no action act_\(theirs) in organisation 'default'"), "\(foreign.errors)")
        // The other organisation's call is still to make, and its client's timeline is untouched.
        #expect(try tasks(duly, "globex", kind: "call", on: "2026-03-03").contains(theirs))
        for client in ["C0", "C1"] {
            #expect(!(try duly.run(["timeline", client, "--org", "globex"]).output.contains("reached")))
        }

        // Named as the command line shows it (a bare number works as well, as above).
        let logged = try duly.run(["log-call", "act_\(ours)", "--outcome", "reached", "--as-of", "2026-03-03"])
        #expect(logged.status == 0, "\(logged.errors)")
        #expect(logged.output == "Call act_\(ours): reached.\n", "\(logged.output)")
        #expect(try tasks(duly, "default", kind: "call", on: "2026-03-03").isEmpty)
    }

    @Test func approvingDecidesTheActionItIsGivenAndNoOtherOrganisations() throws {
        let duly = try twoOrganisations()
        let (ours, theirs) = try calls(duly)
        for (org, call) in [("default", ours), ("globex", theirs)] {
            try #require(
                try duly.run(["log-call", String(call), "--outcome", "reached", "--org", org, "--as-of", "2026-03-03"])
                    .status == 0)
        }
        try day(duly, "2026-03-04")
        let ourApproval = try #require(try tasks(duly, "default", kind: "approval", on: "2026-03-04").first)
        let theirApprovals = try tasks(duly, "globex", kind: "approval", on: "2026-03-04")
        let theirApproval = try #require(theirApprovals.first)

        let unknown = try duly.run(["approve", "987654", "--by", "mia", "--as-of", "2026-03-04"])
        #expect(unknown.status != 0)
        #expect(
            unknown.errors.contains(
                "no action act_987654 in organisation 'default': see `duly approvals` for the actions awaiting a decision"
            ),
            "\(unknown.errors)")
        let foreign = try duly.run(["approve", String(theirApproval), "--by", "mia", "--as-of", "2026-03-04"])
        #expect(foreign.status != 0)
        #expect(
            foreign.errors.contains("no action act_\(theirApproval) in organisation 'default'"), "\(foreign.errors)")
        #expect(try tasks(duly, "globex", kind: "approval", on: "2026-03-04") == theirApprovals, "still undecided")

        let approved = try duly.run([
            "approve", String(ourApproval), "--by", "mia", "--as-of", "2026-03-04",
        ])
        #expect(approved.status == 0, "\(approved.errors)")
        #expect(approved.output.contains("Action act_\(ourApproval) (agency_handover for C1) approved by mia."))
    }

    @Test func resolvingADisputeEndsTheDisputeItIsGivenAndNoOtherOrganisations() throws {
        let duly = try twoOrganisations()
        for (org, id) in [("default", "DSP-OURS"), ("globex", "DSP-THEIRS")] {
            let opened = try duly.run([
                "dispute", "open", "INV-2", "--reason", "wrong price", "--id", id, "--org", org, "--as-of",
                "2026-03-02",
            ])
            try #require(opened.status == 0, "\(opened.errors)")
        }
        let unknown = try duly.run(["dispute", "resolve", "DSP-NONE", "--outcome", "rejected", "--as-of", "2026-03-05"])
        #expect(unknown.status != 0)
        #expect(
            unknown.errors.contains(
                "no dispute 'DSP-NONE' in organisation 'default': see `duly dispute list` for the ids"),
            "\(unknown.errors)")
        let foreign = try duly.run([
            "dispute", "resolve", "DSP-THEIRS", "--outcome", "rejected", "--as-of", "2026-03-05",
        ])
        #expect(foreign.status != 0)
        #expect(foreign.errors.contains("no dispute 'DSP-THEIRS' in organisation 'default'"), "\(foreign.errors)")
        let theirs = try duly.run(["dispute", "list", "--open", "--org", "globex", "--as-of", "2026-03-05"])
        #expect(theirs.output.contains("DSP-THEIRS"), "the other organisation's dispute is still open")

        let resolved = try duly.run([
            "dispute", "resolve", "DSP-OURS", "--outcome", "rejected", "--as-of", "2026-03-05",
        ])
        #expect(resolved.status == 0, "\(resolved.errors)")
        #expect(resolved.output.hasPrefix("Dispute DSP-OURS rejected:"), "\(resolved.output)")
        let ours = try duly.run(["dispute", "list", "--as-of", "2026-03-05"])
        #expect(ours.output.contains("rejected on 2026-03-05"), "\(ours.output)")
    }

    @Test func acceptingAPlanAcceptsThePlanItIsGivenAndNoOtherOrganisations() throws {
        let duly = try twoOrganisations()
        for (org, id) in [("default", "PLN-OURS"), ("globex", "PLN-THEIRS")] {
            let proposed = try duly.run([
                "plan", "propose", "C1", "--invoice", "INV-3", "--instalment", "2026-04-01=50.00", "--instalment",
                "2026-05-01=50.00", "--proposed-by", "client", "--id", id, "--org", org, "--as-of", "2026-03-10",
            ])
            try #require(proposed.status == 0, "\(proposed.errors)")
        }
        let unknown = try duly.run(["plan", "accept", "PLN-NONE", "--as-of", "2026-03-11"])
        #expect(unknown.status != 0)
        #expect(
            unknown.errors.contains("no plan 'PLN-NONE' in organisation 'default': see `duly plan list` for the ids"),
            "\(unknown.errors)")
        let foreign = try duly.run(["plan", "accept", "PLN-THEIRS", "--as-of", "2026-03-11"])
        #expect(foreign.status != 0)
        #expect(foreign.errors.contains("no plan 'PLN-THEIRS' in organisation 'default'"), "\(foreign.errors)")
        let theirs = try duly.run(["plan", "list", "--org", "globex", "--as-of", "2026-03-11"])
        #expect(theirs.output.contains("proposed by client"), "the other organisation's plan is still proposed")

        let accepted = try duly.run(["plan", "accept", "PLN-OURS", "--as-of", "2026-03-11"])
        #expect(accepted.status == 0, "\(accepted.errors)")
        #expect(accepted.output == "Plan PLN-OURS accepted on 2026-03-11.\n")
        let ours = try duly.run(["plan", "list", "--as-of", "2026-03-11"])
        #expect(!ours.output.contains("proposed by client"), "\(ours.output)")
    }
}
