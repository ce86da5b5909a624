"""The exception and warning family of scorecard.

Every error the library raises on bad input is one of these classes. Each
subclasses the built-in type that fits, so ``except ValueError`` keeps
working, and each message names the column (or sample) and the problem.

Example
-------
>>> from scorecard.errors import TargetError
>>> issubclass(TargetError, ValueError)
True
"""

from __future__ import annotations

__all__ = [
    "ScorecardError",
    "DataError",
    "PersonalDataError",
    "TargetError",
    "ColumnError",
    "MissingColumnError",
    "NotFittedError",
    "SpecError",
    "FallbackWarning",
    "ColumnWarning",
    "ScorecardWarning",
    "preview",
]

from sklearn.exceptions import NotFittedError as _SkNotFittedError


class ScorecardError(Exception):
    """Base class of every error raised by scorecard."""


class DataError(ScorecardError, ValueError):
    """The input data cannot be used as given (empty frame, inf values, ...)."""


class PersonalDataError(DataError):
    """Personal data where none may go: a feature of names or phone numbers, an artifact holding IDs."""


class TargetError(DataError):
    """The target is missing, has one class, or has values other than 0/1."""


class ColumnError(DataError):
    """A feature column is unusable: all missing, constant, ID-like, duplicated."""


class MissingColumnError(ScorecardError, KeyError):
    """A column the model needs is absent from the input frame."""

    def __str__(self) -> str:  # KeyError quotes its message; keep it readable
        return str(self.args[0]) if self.args else ""


class NotFittedError(ScorecardError, _SkNotFittedError):
    """An estimator was used before ``fit``."""


class SpecError(ScorecardError, ValueError):
    """A JSON spec is malformed or from an unsupported version."""


class ScorecardWarning(UserWarning):
    """Base class of scorecard's warnings."""


class FallbackWarning(ScorecardWarning):
    """Values at transform time fell into the fallback bin (unseen or out of range)."""


class ColumnWarning(ScorecardWarning):
    """Unusable columns were dropped (``on_invalid='drop'``)."""


def preview(value: object, *, limit: int = 40) -> str:
    """A masked preview of a data value for messages: its first and last character and its length.

    Every message that shows a value from the data goes through this, so an
    exception (which may become an HTTP 400 body or a log line) never carries
    a name, an ID number or a phone number. Values of one or two characters
    are fully masked; missing values and booleans are shown as they are.

    Parameters
    ----------
    value : object
        Any value (converted with ``str``; floats that are whole numbers print
        without ``.0``).
    limit : int, default 40
        Longer values show their length only after the masked middle.

    Returns
    -------
    str

    Examples
    --------
    >>> preview("110105194912310021")
    "'1****************1' (18 chars)"
    >>> preview(13912345678.0), preview("ab"), preview(None)
    ("'1*********8' (11 chars)", "'**' (2 chars)", 'None')
    """
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return repr(value)
        if value.is_integer():
            value = int(value)
    text = str(value)
    n = len(text)
    if n <= 2:
        masked = "*" * n
    else:
        masked = text[0] + "*" * min(n - 2, limit) + text[-1]
    return f"'{masked}' ({n} char{'s' if n != 1 else ''})"
