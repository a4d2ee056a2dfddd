"""The one error the store raises for a database that cannot be opened or used."""


class StoreError(Exception):
    """The database cannot be opened or used: unreadable, locked, not a trainer database."""
