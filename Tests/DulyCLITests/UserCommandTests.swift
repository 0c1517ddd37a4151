import Testing

/// `duly user add` and `duly token create` as a person at a terminal or a script meets them.
@Suite struct UserCommandTests {
    @Test func aNewUserNeedsAPasswordOnStandardInputWhenThereIsNoTerminal() throws {
        let duly = try DulyProcess.studio(customers: [], invoices: [])
        let outcome = try duly.run(["user", "add", "ann@studio.example", "--role", "viewer"])
        #expect(outcome.status == 1)
        #expect(outcome.errors.contains("--password-stdin"))
    }

    @Test func aShortPasswordIsRefusedAndNothingIsAdded() throws {
        let duly = try DulyProcess.studio(customers: [], invoices: [])
        let outcome = try duly.run(
            ["user", "add", "ann@studio.example", "--role", "viewer", "--password-stdin"], input: "short\n")
        #expect(outcome.status == 1)
        #expect(outcome.errors.contains("at least 12 characters"))
        let token = try duly.run(["token", "create", "--user", "ann@studio.example", "--name", "t"])
        #expect(token.status == 1)
    }

    @Test func anExistingUserGetsANewRoleWithoutAPassword() throws {
        let duly = try DulyProcess.studio(customers: [], invoices: [])
        try duly.run(
            ["user", "add", "ann@studio.example", "--role", "viewer", "--password-stdin"],
            input: "a long enough password\n")
        let outcome = try duly.run(["user", "add", "Ann@Studio.example", "--role", "owner"])
        #expect(outcome.status == 0)
        #expect(outcome.output == "Updated ann@studio.example: owner of 'default'.\n")
    }

    @Test func aRoleThatDoesNotExistIsABadCommandLine() throws {
        let duly = try DulyProcess.studio(customers: [], invoices: [])
        let outcome = try duly.run(
            ["user", "add", "ann@studio.example", "--role", "admin", "--password-stdin"],
            input: "a long enough password\n")
        #expect(outcome.status == 64)
    }

    @Test func aTokenIsOnlyForAMemberOfTheOrganisation() throws {
        let duly = try DulyProcess.studio(customers: [], invoices: [])
        let outcome = try duly.run(["token", "create", "--user", "nobody@studio.example", "--name", "sync"])
        #expect(outcome.status == 1)
        #expect(outcome.errors.contains("is not a member of organisation 'default'"))
    }

    @Test func aTokenIsPrintedAloneAndItsNameIsUnique() throws {
        let duly = try DulyProcess.studio(customers: [], invoices: [])
        try duly.run(
            ["user", "add", "ann@studio.example", "--role", "manager", "--password-stdin"],
            input: "a long enough password\n")
        let first = try duly.run(["token", "create", "--user", "ann@studio.example", "--name", "sync"])
        #expect(first.status == 0)
        #expect(first.lines.count == 1)
        #expect(first.lines.first?.hasPrefix("duly_") == true)
        let second = try duly.run(["token", "create", "--user", "ann@studio.example", "--name", "sync"])
        #expect(second.status == 1)
        #expect(second.errors.contains("a token named 'sync' already exists"))
    }
}
