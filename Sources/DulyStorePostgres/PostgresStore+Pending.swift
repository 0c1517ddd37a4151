import DulyCore
import DulyStore

// SCAFFOLDING, never to reach main: the `DulyStore` requirements not yet written for PostgreSQL, so that the other
// store protocols compile while they are written. Each group is deleted as its methods are written in their own file.
extension PostgresStore: DulyStore {
    static func notYetOnPostgreSQL(_ function: String) -> StoreError {
        StoreError.backend("\(function) is not yet written for PostgreSQL")
    }
}
