"""Reading the library's JSON specs (private): text, dict or file path, kind and version checked."""

from __future__ import annotations

import json
from typing import Any

from scorecard.errors import SpecError


def read_spec(spec: str | dict[str, Any], kind: str, version: int, what: str) -> dict[str, Any]:
    """Parse ``spec`` and check it is a ``kind`` spec of ``version``.

    ``spec`` is the JSON text, the parsed dict, or the path of a file holding
    it. Raises :class:`~scorecard.errors.SpecError` naming ``what`` on invalid
    JSON, another kind of spec or another version.
    """
    if isinstance(spec, str):
        text = spec
        if not spec.lstrip().startswith("{"):
            with open(spec, encoding="utf-8") as fh:
                text = fh.read()
        try:
            spec = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SpecError(f"the {what} spec is not valid JSON: {exc}") from None
    if not isinstance(spec, dict) or spec.get("spec") != kind:
        raise SpecError(f"not a {kind} spec (missing 'spec': '{kind}')")
    if spec.get("version") != version:
        raise SpecError(f"unsupported spec version {spec.get('version')!r}; this library reads {version}")
    return spec
