import DulyCore

/// A bank statement file as `duly import statement` and the web app's imports read it: camt.053 or MT940 (told apart
/// by their content), its credits keyed for the store, and the one rule about dates both apply.
public enum StatementFile {
    /// Why a file cannot be imported: every problem at its line, nothing imported.
    public struct Refusal: Error, Sendable {
        public var issues: [ImportIssue]
    }

    /// Reads a camt.053 or MT940 file; a file with any problem is refused whole.
    public static func read(_ bytes: [UInt8], fileName: String) throws(Refusal) -> [BankStatement] {
        do {
            return MT940.looksLikeMT940(bytes)
                ? try MT940.parse(bytes, fileName: fileName) : try Camt053.parse(bytes, fileName: fileName)
        } catch let error as MT940Error {
            throw Refusal(issues: error.issues)
        } catch let error as Camt053Error {
            throw Refusal(issues: error.issues)
        } catch {
            throw Refusal(issues: [ImportIssue(file: fileName, line: 1, column: 1, message: "\(error)")])
        }
    }

    /// Credits booked after `today`, as problems at their line: money not yet received cannot pay an invoice, so
    /// such a file is a wrong file or is imported on the wrong day.
    public static func bookedAfter(
        _ today: LocalDate, in statements: [BankStatement], fileName: String
    ) -> [ImportIssue] {
        statements.flatMap(\.entries).filter { $0.bookingDate > today }.map {
            ImportIssue(
                file: fileName, line: $0.line, column: 1, field: "booking date",
                message: "\($0.amount) booked on \($0.bookingDate), after today (\(today)): money not yet "
                    + "received cannot pay an invoice; check the file, or import it on that day (--as-of)")
        }
    }

    /// Every credit of the statements, in file order, with the key that makes a second import of it a no-op.
    public static func credits(of statements: [BankStatement]) -> [StatementCredit] {
        statements.flatMap { statement in
            statement.entries.map {
                StatementCredit(
                    key: statement.key(of: $0), statementID: statement.id, account: statement.account.description,
                    credit: $0)
            }
        }
    }
}
