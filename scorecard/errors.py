"""The exception and warning family of scorecard.

Every error the library raises on bad input is one of these classes. Each
subclasses the built-in type that fits, so ``except ValueError`` keeps
working, and each message names the column (or sample) and the problem.

Examples
--------
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
    "FallbackWarning",
    "ColumnWarning",
    "ScorecardWarning",
]

from sklearn.exceptions import NotFittedError as _SkNotFittedError


class ScorecardError(Exception):
    """Base class of every error raised by scorecard.

    Examples
    --------
    >>> from scorecard import WOEBinner
    >>> try:
    ...     WOEBinner.from_json('{"spec": "something.else"}')
    ... except ScorecardError as exc:
    ...     type(exc).__name__
    'SpecError'
    """


class DataError(ScorecardError, ValueError):
    """The input data cannot be used as given (empty frame, inf values, ...).

    Examples
    --------
    >>> import pandas as pd
    >>> from scorecard import WOEBinner
    >>> try:
    ...     WOEBinner().fit(pd.DataFrame({"age": []}), pd.Series([], dtype=int))
    ... except DataError as exc:
    ...     isinstance(exc, ValueError)
    True
    """


class TargetError(DataError):
    """The target is missing, has one class, or has values other than 0/1.

    Examples
    --------
    >>> import pandas as pd
    >>> from scorecard import WOEBinner
    >>> X = pd.DataFrame({"age": [20, 30, 40, 50]})
    >>> try:
    ...     WOEBinner().fit(X, pd.Series([0, 1, 2, 1]))
    ... except TargetError as exc:
    ...     issubclass(TargetError, DataError)
    True
    """


class ColumnError(DataError):
    """A feature column is unusable: all missing, constant, ID-like, duplicated.

    Examples
    --------
    >>> raise ColumnError("column 'age' is constant")
    Traceback (most recent call last):
    ...
    scorecard.errors.ColumnError: column 'age' is constant
    """


class MissingColumnError(ScorecardError, KeyError):
    """A column the model needs is absent from the input frame.

    Its message is printed as given (a plain :class:`KeyError` would quote it).

    Examples
    --------
    >>> str(MissingColumnError("columns ['age'] are missing"))
    "columns ['age'] are missing"
    >>> issubclass(MissingColumnError, KeyError)
    True
    """

    def __str__(self) -> str:  # KeyError quotes its message; keep it readable
        return str(self.args[0]) if self.args else ""


class NotFittedError(ScorecardError, _SkNotFittedError):
    """An estimator was used before ``fit``.

    Also a scikit-learn :class:`sklearn.exceptions.NotFittedError`.

    Examples
    --------
    >>> from scorecard import LogisticScorecard, export
    >>> try:
    ...     export.to_json(LogisticScorecard())
    ... except NotFittedError:
    ...     "fit first"
    'fit first'
    """


class SpecError(ScorecardError, ValueError):
    """A JSON spec is malformed or from an unsupported version.

    Examples
    --------
    >>> from scorecard import WOEBinner
    >>> try:
    ...     WOEBinner.from_json('{"spec": "something.else"}')
    ... except SpecError:
    ...     "not a binner spec"
    'not a binner spec'
    """


class ScorecardWarning(UserWarning):
    """Base class of scorecard's warnings.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", ScorecardWarning)  # silences all of scorecard's warnings
    ...     warnings.warn("values took the fallback bin", FallbackWarning)
    """


class FallbackWarning(ScorecardWarning):
    """Values at transform time fell into the fallback bin (unseen or out of range).

    Examples
    --------
    >>> import warnings
    >>> import pandas as pd
    >>> from scorecard import WOEBinner
    >>> X = pd.DataFrame({"city": ["a", "b"] * 50})
    >>> y = pd.Series([0, 1, 0, 0] * 25)
    >>> binner = WOEBinner().fit(X, y)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = binner.transform(pd.DataFrame({"city": ["z"]}))
    >>> [w.category.__name__ for w in caught]
    ['FallbackWarning']
    """


class ColumnWarning(ScorecardWarning):
    """Unusable columns were dropped (``on_invalid='drop'``).

    Examples
    --------
    >>> issubclass(ColumnWarning, UserWarning)
    True
    """
