"""Errors raised by the geography package.

Messages are short plain-English sentences that name the offending value, so
callers can show them to a person or translate them at the edge.
"""


class GeoError(Exception):
    """Base class for every error this package raises on purpose."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidInput(GeoError):
    """The input is malformed (a client error, not a missing record)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field

    def __repr__(self) -> str:
        return f"InvalidInput(field={self.field!r}, message={self.message!r})"


class UnknownCode(GeoError):
    """A well-formed ZIP or FIPS code that is not in the reference data."""


class NotFound(GeoError):
    """A valid point or shape that falls outside every known county."""


class NewerThanData(UnknownCode):
    """A real county code created after the reference data was drawn."""

    def __init__(self, message: str, *, code: str, name: str, since: int, vintage: str, formerly: tuple[str, ...]):
        super().__init__(message)
        self.code = code
        self.name = name
        self.since = since
        self.vintage = vintage  # year of the boundaries in use
        self.formerly = formerly  # codes in the data that covered its ground
