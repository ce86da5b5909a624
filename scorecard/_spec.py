"""Reading the library's JSON specs (private): kept for older imports; see :mod:`scorecard.spec`."""

from __future__ import annotations

from typing import Any

from scorecard.spec import load


def read_spec(spec: Any, kind: str, version: int, what: str) -> dict[str, Any]:
    """:func:`scorecard.spec.load` (``version`` is the schema's; kept for the old signature)."""
    return load(spec, kind, what)
