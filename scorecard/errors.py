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
    "TargetError",
    "ColumnError",
    "MissingColumnError",
    "NotFittedError",
    "SpecError",
    "UnsupportedValueError",
    "FallbackWarning",
    "ColumnWarning",
    "ScorecardWarning",
]

from sklearn.exceptions import NotFittedError as _SkNotFittedError


class ScorecardError(Exception):
    """Base class of every error raised by scorecard."""


class DataError(ScorecardError, ValueError):
    """The input data cannot be used as given (empty frame, inf values, ...)."""


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


class UnsupportedValueError(DataError):
    """A value the bin rule cannot read (text that is no number in a numeric feature, an unknown object).

    Every scoring engine refuses such a value with this error (the SQL
    engines with an SQL error whose message starts with its name).
    """
