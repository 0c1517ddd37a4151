import DulyChannels
import DulyCore
import DulyImport
import DulyStore
import Foundation
import Hummingbird
import Testing

@testable import DulyWeb

struct PlaybookScreenTests {
    @Test func everyMemberSeesTheBuiltInPlaybookStepByStep() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("viewer@studio.example")
            let page = try await browser.get("/playbook")
            #expect(page.status == .ok)
            #expect(page.body.contains("the built-in playbook (none adopted yet)"))
            #expect(page.body.contains("<td>due_day_notice</td>"))
            #expect(!page.body.contains("Adopt as a new version"))
        }
    }

    @Test func anOwnersValidEditIsAdoptedAsTheNextVersionByTheirEmail() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("owner@studio.example")
            let source = PlaybookYAML.standardText.replacingOccurrences(of: "name: standard", with: "name: gentle")
            let answer = try await browser.post("/playbook", ["source": source, "csrf": try await browser.csrf()])
            #expect(answer.status == .seeOther)
            let adopted = try #require(try await fixture.store.adoptedPlaybook(organisationID: "studio"))
            #expect(adopted.version == 1)
            #expect(adopted.name == "gentle")
            #expect(adopted.adoptedBy == "owner@studio.example")
            let page = try await browser.get(answer.headers[.location] ?? "/playbook")
            #expect(page.body.contains("Adopted version 1."))
            #expect(page.body.contains("version 1, adopted on 2026-03-20 by owner@studio.example"))
        }
    }

    @Test func anInvalidEditIsRefusedWithTheProblemAtItsLineAndNothingAdopted() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("owner@studio.example")
            let source =
                "name: broken\nsteps:\n  - id: first\n    stage: pre_due\n    offset_days: -7\n    channel: pigeon\n"
            let answer = try await browser.post("/playbook", ["source": source, "csrf": try await browser.csrf()])
            #expect(answer.status == .unprocessableContent)
            #expect(answer.body.contains("Not adopted"))
            #expect(answer.body.contains(##"<a href="#line-6">Line 6, column"##))
            #expect(answer.body.contains(#"<li id="line-6" class="bad"><code>    channel: pigeon</code>"#))
            // The text as submitted stays in the editor, to be fixed.
            #expect(answer.body.contains("channel: pigeon\n</textarea>"))
            #expect(try await fixture.store.adoptedPlaybook(organisationID: "studio") == nil)
        }
    }

    @Test func aManagerCannotAdoptAPlaybook() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("manager@studio.example")
            let answer = try await browser.post(
                "/playbook", ["source": PlaybookYAML.standardText, "csrf": try await browser.csrf()])
            #expect(answer.status == .forbidden)
            #expect(try await fixture.store.adoptedPlaybook(organisationID: "studio") == nil)
        }
    }

    @Test func anEditWithoutTheCSRFTokenIsForbidden() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("owner@studio.example")
            let answer = try await browser.post("/playbook", ["source": PlaybookYAML.standardText])
            #expect(answer.status == .forbidden)
            #expect(try await fixture.store.adoptedPlaybook(organisationID: "studio") == nil)
        }
    }

    @Test func markupInARefusedPlaybookIsShownAsText() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("owner@studio.example")
            let answer = try await browser.post(
                "/playbook",
                [
                    "source": "name: <script>alert(1)</script>\nsteps:\n  - id: a\n    stage: pre_due\n"
                        + "    offset_days: 0\n    channel: <b>pigeon</b>\n",
                    "csrf": try await browser.csrf(),
                ])
            #expect(answer.status == .unprocessableContent)
            #expect(!answer.body.contains("<script>alert(1)"))
            #expect(answer.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        }
    }
}

struct TemplatesScreenTests {
    static let path = "/templates/first_follow_up/en"

    /// The built-in parts of first_follow_up in English, as the editor's form posts them.
    static func parts(text: String? = nil) -> [String: String] {
        let source = TemplateLibrary.builtInSource(of: "first_follow_up", language: .en)!
        return ["subject": source.subject, "text": text ?? source.text, "html": source.html, "account": "C-100"]
    }

    @Test func theListShowsEveryTemplateWithItsLanguages() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("collector@studio.example")
            let page = try await browser.get("/templates")
            #expect(page.status == .ok)
            #expect(page.body.contains(#"<a href="/templates/first_follow_up/de">de</a>"#))
        }
    }

    @Test func theEditorPreviewsTheTemplateOnARealAccount() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("collector@studio.example")
            let page = try await browser.get(Self.path + "?account=C-100")
            #expect(page.status == .ok)
            #expect(page.body.contains("INV-100"))
            // Amounts in messages keep their currency with a no-break space.
            #expect(page.body.contains("EUR\u{A0}300.00 open (17 days overdue)"))
            // A collector reads: no buttons, the parts read-only.
            #expect(!page.body.contains(#"value="save""#))
            #expect(page.body.contains("readonly"))
        }
    }

    @Test func aDraftIsPreviewedWithoutBeingSaved() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("manager@studio.example")
            var fields = Self.parts(
                text: "Hello {{customer_name}}, a friendly word about {{total_open}}.\nReply to this email.\n")
            fields["intent"] = "preview"
            fields["csrf"] = try await browser.csrf()
            let page = try await browser.post(Self.path, fields)
            #expect(page.status == .ok)
            #expect(page.body.contains("Preview of your draft: not saved yet."))
            #expect(page.body.contains("a friendly word about EUR\u{A0}300.00"))
            #expect(try await fixture.store.templateOverrides(organisationID: "studio").isEmpty)
        }
    }

    @Test func aThreatBeforeNonPaymentIsRefusedWithTheToneGuardsFindingBesideTheText() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("manager@studio.example")
            var fields = Self.parts(text: "Pay now or we call our lawyer.\nReply to this email.\n")
            fields["intent"] = "save"
            fields["csrf"] = try await browser.csrf()
            let page = try await browser.post(Self.path, fields)
            #expect(page.status == .unprocessableContent)
            #expect(page.body.contains("The tone guard refuses this wording"))
            #expect(page.body.contains(#"id="findings-text""#))
            #expect(page.body.contains("mentions legal or external escalation"))
            #expect(try await fixture.store.templateOverrides(organisationID: "studio").isEmpty)
        }
    }

    @Test func aCalmEditIsSavedAndUsedForThePreview() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("manager@studio.example")
            var fields = Self.parts(
                text: "Dear {{customer_name}}, {{total_open}} is still open.\nReply to this email.\n")
            fields["intent"] = "save"
            fields["csrf"] = try await browser.csrf()
            let answer = try await browser.post(Self.path, fields)
            #expect(answer.status == .seeOther)
            let stored = try await fixture.store.templateOverrides(organisationID: "studio")
            #expect(stored.map(\.template) == ["first_follow_up"])
            let page = try await browser.get(answer.headers[.location] ?? Self.path)
            #expect(page.body.contains("EUR\u{A0}300.00 is still open."))
            #expect(page.body.contains("own wording"))
        }
    }

    @Test func markupInATemplateIsShownAsTextInTheEditorAndThePreview() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("manager@studio.example")
            var fields = Self.parts(text: "<script>alert('t')</script> {{total_open}} open.\nReply to this email.\n")
            fields["intent"] = "save"
            fields["csrf"] = try await browser.csrf()
            #expect(try await browser.post(Self.path, fields).status == .seeOther)
            let page = try await browser.get(Self.path)
            #expect(!page.body.contains("<script>alert"))
            #expect(page.body.contains("&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;"))
            // The customer's name, itself a payload, is escaped in the preview too.
            #expect(page.body.contains("&lt;script&gt;alert(&#39;name&#39;)"))
        }
    }

    @Test func aCollectorCannotSaveAndAFormWithoutTheTokenIsForbidden() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("collector@studio.example")
            var fields = Self.parts()
            fields["intent"] = "save"
            fields["csrf"] = try await browser.csrf()
            #expect(try await browser.post(Self.path, fields).status == .forbidden)
        }
        try await fixture.test { browser in
            try await browser.signIn("manager@studio.example")
            var fields = Self.parts()
            fields["intent"] = "save"
            #expect(try await browser.post(Self.path, fields).status == .forbidden)
        }
        #expect(try await fixture.store.templateOverrides(organisationID: "studio").isEmpty)
    }
}

struct ImportsScreenTests {
    static let header = "invoice_number,customer_id,issue_date,due_date,currency,total,terms,po_number\n"

    @Test func aFileWithAnErrorIsPreviewedWithTheErrorAtItsLineAndCannotBeCommitted() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("manager@studio.example")
            let csv =
                Self.header + "INV-200,C-100,2026-03-01,2026-03-31,EUR,120.00,,\n"
                + "INV-201,C-404,2026-03-01,2026-03-31,EUR,80.00,,\n"
            let page = try await browser.post(
                "/imports/preview", ["kind": "invoices", "csrf": try await browser.csrf()],
                files: ["file": (name: "march.csv", content: csv)])
            #expect(page.status == .ok)
            #expect(page.body.contains("<code>march.csv:3:2</code>: customer_id:"))
            #expect(!page.body.contains("Commit the import"))
            #expect(
                try await fixture.store.invoices(organisationID: "studio", customerID: "C-100", openOnly: false).count
                    == 1)
        }
    }

    @Test func aCleanFileIsPreviewedThenCommittedExactlyAsPreviewed() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("manager@studio.example")
            let csv = Self.header + "INV-200,C-100,2026-03-01,2026-03-31,EUR,120.00,,\n"
            let preview = try await browser.post(
                "/imports/preview", ["kind": "invoices", "csrf": try await browser.csrf()],
                files: ["file": (name: "march.csv", content: csv)])
            #expect(preview.body.contains("Line 2: INV-200 for C-100: EUR 120.00, due 2026-03-31"))
            #expect(
                try await fixture.store.invoices(organisationID: "studio", customerID: "C-100", openOnly: false).count
                    == 1)
            let sha = try #require(Self.hidden("sha256", in: preview.body))
            let content = try #require(Self.hidden("content", in: preview.body))
            let done = try await browser.post(
                "/imports/commit",
                [
                    "kind": "invoices", "file_name": "march.csv", "sha256": sha, "content": content,
                    "csrf": preview.csrf ?? "",
                ])
            #expect(done.status == .ok)
            #expect(done.body.contains("1 rows of invoices: 1 new, 0 updated, 0 unchanged."))
            let numbers = try await fixture.store.invoices(
                organisationID: "studio", customerID: "C-100", openOnly: false
            )
            .map(\.invoice.number)
            #expect(numbers.sorted() == ["INV-100", "INV-200"])
        }
    }

    /// An MT940 statement of `studio`'s bank, with one credit for INV-100 (EUR 300.00) on `booked` (YYMMDD).
    static func statement(booked: String = "260319") -> String {
        """
        :20:STMT1
        :25:NL91ABNA0417164300
        :28C:00001/001
        :60F:C260301EUR0,00
        :61:\(booked)C300,00NTRFNONREF
        :86:Invoice INV-100 thank you
        :62F:C\(booked)EUR300,00
        -

        """
    }

    @Test func aBankStatementIsPreviewedCreditByCreditThenCommittedAndMatchedToItsInvoice() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("manager@studio.example")
            let preview = try await browser.post(
                "/imports/preview", ["kind": "statement", "csrf": try await browser.csrf()],
                files: ["file": (name: "march.sta", content: Self.statement())])
            #expect(preview.status == .ok)
            #expect(preview.body.contains("1 credit of statement read"))
            #expect(preview.body.contains("EUR 300.00 booked 2026-03-19"))
            let open = try await fixture.store.invoices(organisationID: "studio", customerID: "C-100", openOnly: true)
            #expect(open.map(\.invoice.number) == ["INV-100"], "nothing is recorded by a preview")
            let done = try await browser.post(
                "/imports/commit",
                [
                    "kind": "statement", "file_name": "march.sta",
                    "sha256": try #require(Self.hidden("sha256", in: preview.body)),
                    "content": try #require(Self.hidden("content", in: preview.body)), "csrf": preview.csrf ?? "",
                ])
            #expect(done.status == .ok)
            #expect(
                done.body.contains("1 credit read: 1 matched to invoices (1 payment recorded), 0 matched no invoice"))
        }
        let open = try await fixture.store.invoices(organisationID: "studio", customerID: "C-100", openOnly: true)
        #expect(open.isEmpty, "INV-100 is paid by the credit")
    }

    @Test func aStatementThatBooksMoneyAfterTodayIsAProblemAtItsLineAndCannotBeCommitted() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("manager@studio.example")
            let preview = try await browser.post(
                "/imports/preview", ["kind": "statement", "csrf": try await browser.csrf()],
                files: ["file": (name: "april.sta", content: Self.statement(booked: "260402"))])
            #expect(preview.body.contains("<code>april.sta:5:1</code>: booking date: EUR 300.00 booked on 2026-04-02"))
            #expect(!preview.body.contains("Commit the import"))
        }
    }

    @Test func aCommitWhoseContentDoesNotMatchItsHashIsRefused() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("manager@studio.example")
            let csv = Self.header + "INV-200,C-100,2026-03-01,2026-03-31,EUR,120.00,,\n"
            let answer = try await browser.post(
                "/imports/commit",
                [
                    "kind": "invoices", "sha256": String(repeating: "0", count: 64),
                    "content": Data(csv.utf8).base64EncodedString(), "csrf": try await browser.csrf(),
                ])
            #expect(answer.status == .badRequest)
            #expect(
                try await fixture.store.invoices(organisationID: "studio", customerID: "C-100", openOnly: false).count
                    == 1)
        }
    }

    @Test func aCollectorCannotImportAndAnUploadWithoutTheTokenIsForbidden() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("collector@studio.example")
            #expect(try await browser.get("/imports").status == .forbidden)
            #expect(!(try await browser.get("/worklist").body.contains(#"href="/imports""#)))
        }
        try await fixture.test { browser in
            try await browser.signIn("manager@studio.example")
            let answer = try await browser.post(
                "/imports/preview", ["kind": "invoices"], files: ["file": (name: "a.csv", content: Self.header)])
            #expect(answer.status == .forbidden)
        }
    }

    @Test func aPaymentDatedAfterTodayIsAProblemAtItsDate() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("owner@studio.example")
            let csv =
                "payment_id,customer_id,date,currency,amount,reference,invoice_number\n"
                + "P-1,C-100,2026-04-01,EUR,50.00,,INV-100\n"
            let page = try await browser.post(
                "/imports/preview", ["kind": "payments", "csrf": try await browser.csrf()],
                files: ["file": (name: "pay.csv", content: csv)])
            #expect(page.body.contains("<code>pay.csv:2:3</code>: date: 2026-04-01 is after today (2026-03-20)"))
            #expect(!page.body.contains("Commit the import"))
        }
    }

    @Test func aFileInAnotherLayoutIsReadThroughABuiltInMappingAndItsProblemsNamedByItsOwnColumns() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("manager@studio.example")
            let csv =
                "invoice_number;customer_id;issue_date;due_date;currency;total\n"
                + "INV-300;C-100;01.03.2026;31.03.2026;EUR;1.250,50\n"
                + "INV-301;C-404;01.03.2026;31.03.2026;EUR;10,00\n"
            let page = try await browser.post(
                "/imports/preview", ["kind": "invoices", "mapping": "excel-eu", "csrf": try await browser.csrf()],
                files: ["file": (name: "eu.csv", content: csv)])
            #expect(page.body.contains("through the built-in mapping excel-eu"))
            #expect(page.body.contains("Line 2: INV-300 for C-100: EUR 1250.50, due 2026-03-31"))
            #expect(page.body.contains("<code>eu.csv:3:2</code>: customer_id → customer_id:"))
            #expect(!page.body.contains("Commit the import"))
        }
    }

    @Test func anUploadedMappingWithAMistakeIsShownAtItsLine() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("manager@studio.example")
            let page = try await browser.post(
                "/imports/preview", ["kind": "invoices", "mapping": "file", "csrf": try await browser.csrf()],
                files: [
                    "file": (name: "a.csv", content: Self.header),
                    "mapping_file": (name: "ours.yaml", content: "separator: \";\"\ncolums:\n  total: Betrag\n"),
                ])
            #expect(page.body.contains("<code>ours.yaml:2:"))
            #expect(!page.body.contains("Commit the import"))
        }
    }

    /// A UBL invoice to Buyer BV in `currency`.
    static func ubl(currency: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
            xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
            xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
            <cbc:ID>UBL-1</cbc:ID>
            <cbc:IssueDate>2026-03-01</cbc:IssueDate>
            <cbc:DueDate>2026-03-31</cbc:DueDate>
            <cbc:DocumentCurrencyCode>\(currency)</cbc:DocumentCurrencyCode>
            <cac:AccountingCustomerParty>
                <cac:Party>
                    <cbc:EndpointID schemeID="0088">5790000000001</cbc:EndpointID>
                    <cac:PartyLegalEntity>
                        <cbc:RegistrationName>Buyer BV</cbc:RegistrationName>
                    </cac:PartyLegalEntity>
                </cac:Party>
            </cac:AccountingCustomerParty>
            <cac:LegalMonetaryTotal>
                <cbc:TaxInclusiveAmount currencyID="\(currency)">100.00</cbc:TaxInclusiveAmount>
                <cbc:PayableAmount currencyID="\(currency)">100.00</cbc:PayableAmount>
            </cac:LegalMonetaryTotal>
        </Invoice>

        """
    }

    @Test func aUBLInvoiceIsPreviewedThenCommittedWithItsBuyer() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("manager@studio.example")
            let preview = try await browser.post(
                "/imports/preview", ["kind": "ubl", "csrf": try await browser.csrf()],
                files: ["file": (name: "UBL-1.xml", content: Self.ubl(currency: "EUR"))])
            #expect(preview.body.contains("Invoice UBL-1 for Buyer BV"))
            #expect(preview.body.contains("Commit the import"))
            let done = try await browser.post(
                "/imports/commit",
                [
                    "kind": "ubl", "file_name": "UBL-1.xml", "sha256": Self.hidden("sha256", in: preview.body) ?? "",
                    "content": Self.hidden("content", in: preview.body) ?? "", "csrf": preview.csrf ?? "",
                ])
            #expect(done.status == .ok)
            #expect(done.body.contains("1 new"))
            #expect(done.body.contains("1 customer created"))
            let invoices = try await fixture.store.invoices(organisationID: "studio", customerID: nil, openOnly: false)
            #expect(invoices.contains { $0.invoice.number == "UBL-1" })
        }
    }

    @Test func aUBLInvoiceInAnUnknownCurrencyIsAProblemAtItsLine() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("manager@studio.example")
            let page = try await browser.post(
                "/imports/preview", ["kind": "ubl", "csrf": try await browser.csrf()],
                files: ["file": (name: "bad.xml", content: Self.ubl(currency: "EUX"))])
            #expect(page.body.contains("<code>bad.xml:8:"))
            #expect(!page.body.contains("Commit the import"))
        }
    }

    /// The value of a hidden field on a page.
    static func hidden(_ name: String, in body: String) -> String? {
        let marker = #"name="\#(name)" value=""#
        guard let start = body.range(of: marker)?.upperBound,
            let end = body[start...].firstIndex(of: "\"")
        else { return nil }
        return String(body[start..<end])
    }
}

struct MultipartTests {
    @Test func aFileAndAFieldAreReadByName() throws {
        let body =
            "--b\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\ninvoices\r\n"
            + "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\n"
            + "x,y\r\n1,2\r\n--b--\r\n"
        let form = try #require(Multipart(Array(body.utf8), boundary: "b"))
        #expect(form["kind"]?.text == "invoices")
        #expect(form["file"]?.fileName == "a.csv")
        #expect(form["file"]?.text == "x,y\r\n1,2")
    }

    @Test func theBoundaryIsReadFromTheContentType() {
        #expect(Multipart.boundary(contentType: "multipart/form-data; boundary=\"--x1\"") == "--x1")
        #expect(Multipart.boundary(contentType: "application/x-www-form-urlencoded") == nil)
    }

    @Test func aBodyWithoutItsClosingDelimiterIsNotRead() {
        let body = "--b\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\ninvoices"
        #expect(Multipart(Array(body.utf8), boundary: "b") == nil)
    }
}
