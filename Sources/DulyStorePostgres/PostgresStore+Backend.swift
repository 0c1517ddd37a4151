import DulyStore

/// The PostgreSQL store is a whole backend: the store factory in the executable returns it for `postgres://` URLs.
extension PostgresStore: StoreBackend {}
