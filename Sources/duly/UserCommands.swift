import ArgumentParser
import DulyServer
import DulyStore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `duly user`: the people who use the API and, later, the web app.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage the people of an organisation.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user to an organisation with a role, or change their role there.",
            discussion: """
                Roles: viewer (reads), collector (also logs calls, promises, plans, disputes), manager (also writes \
                the ledger, runs the day, approves, settles, writes off), owner (also manages users, tokens and \
                settings). A user may belong to several organisations. A new user needs a password of at least 12 \
                characters: from standard input with --password-stdin, else asked for at the terminal. It is kept \
                only as a bcrypt hash.
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The user's email address.") var email: String
        @Option(help: "owner, manager, collector or viewer.") var role: Role
        @Flag(help: "Read the password from standard input (one line) instead of asking for it.")
        var passwordStdin = false

        func run() async throws {
            let command = try await CommandContext(global, asOf: nil)
            let (store, organisation) = (command.store, command.organisation)
            let known = try await store.passwordHash(email: email) != nil
            var password: String?
            if passwordStdin {
                password = readLine(strippingNewline: true)
                guard password != nil else { throw CLIError("--password-stdin: standard input held no line") }
            } else if !known {
                guard isatty(0) == 1 else {
                    throw CLIError(
                        "\(email) is a new user and needs a password: pass it on standard input with "
                            + "--password-stdin")
                }
                password = String(cString: getpass("Password for \(email): "))
            }
            do {
                let created = try await Members.add(
                    email: email, password: password, role: role, organisationID: organisation.id, store: store)
                print(
                    "\(created ? "Added" : "Updated") \(email.lowercased()): \(role.rawValue) of '\(organisation.id)'.")
            } catch let refusal as Members.Refusal {
                throw CLIError(refusal.description)
            }
        }
    }
}

/// `duly token`: API tokens.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Manage API tokens.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an API token for a member of an organisation; it is printed once.",
            discussion: """
                The token acts for the user with the role the user has in the organisation at each request. Only its \
                SHA-256 is stored: keep the printed token, it cannot be shown again.
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "The member the token acts for (an email address).") var user: String
        @Option(help: "A name for the token, unique in the organisation (accounting-sync).") var name: String

        func run() async throws {
            let command = try await CommandContext(global, asOf: nil)
            let (store, organisation) = (command.store, command.organisation)
            do {
                let secret = try await Members.createToken(
                    name: name, email: user, organisationID: organisation.id, createdAt: SystemClock.timestamp(),
                    store: store)
                // The token alone on standard output, so that a script can take it: `TOKEN=$(duly token create …)`.
                print(secret)
                printError("Token '\(name)' for \(user.lowercased()) in '\(organisation.id)': shown once, keep it.")
            } catch let refusal as Members.Refusal {
                throw CLIError(refusal.description)
            } catch StoreError.conflict(_, let key, _) {
                throw CLIError("a token named '\(key)' already exists in '\(organisation.id)': choose another name")
            } catch StoreError.invalid(let message) {
                throw CLIError(message)
            }
        }
    }
}

extension Role: ExpressibleByArgument {}
