import DulyCore
