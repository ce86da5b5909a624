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


class PersonalDataError(DataError):
    """Personal data where none may go: a feature of names or phone numbers, an artifact holding IDs.

    Examples
    --------
    >>> issubclass(PersonalDataError, DataError)
    True
    >>> raise PersonalDataError(f"column 'contact' holds mobile numbers, e.g. {preview('13912345678')}")
    Traceback (most recent call last):
    ...
    scorecard.errors.PersonalDataError: column 'contact' holds mobile numbers, e.g. '1*********8' (11 chars)
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
