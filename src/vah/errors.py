"""Exceptions with messages a clinician can act on.

Every error raised on purpose by `vah` derives from :class:`VahError`; the CLI turns it into one
line on stderr and exit status 2.
"""

__all__ = [
    "DataError",
    "InputError",
    "UnitError",
    "VahError",
]


class VahError(Exception):
    """Base class of every deliberate `vah` error."""


class UnitError(VahError, ValueError):
    """A quantity has the wrong dimension or no unit at all."""


class InputError(VahError, ValueError):
    """A value is out of its plausible or allowed range, or an unknown name was given."""


class DataError(VahError, ValueError):
    """A data file under ``vah/data`` is malformed (the message names file, row and column)."""
