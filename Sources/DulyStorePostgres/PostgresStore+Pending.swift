import DulyCore
import DulyStore

extension PostgresStore: DulyStore {}
