"""A lean decision service: the compiled decision path behind a small ASGI app (Starlette + uvicorn).

Started by one command::

    python -m scorecard.service --model models:/cross_credit@champion --port 8080
    python -m scorecard.service --model decision_model.json            # a JSON document instead
    make serve MODEL=models:/cross_credit@champion

Endpoints (JSON in, JSON out; every response carries ``request_id`` and the
model and policy versions that decided):

- ``GET /health`` -- liveness and the loaded versions;
- ``GET /version`` -- policy name and version, model version, source, load time;
- ``POST /decide`` -- one application (a JSON object: column -> value);
  the decision of :meth:`~scorecard.strategy.compiled.CompiledDecision.decide`
  plus a ``decision_id``;
- ``POST /decide/batch`` -- ``{"applications": [...]}`` (at most
  ``max_rows``): ``{"decisions": [...]}``;
- ``POST /redecide`` -- ``{"decision_id": ..., "data": {...}}``: the earlier
  application completed with the new data (e.g. ``{"bureau_hit": 1,
  "income_proof": 1}``) is decided again; the answer has the new terms and
  an ``audit`` trail (the fields that changed -- names only --, the earlier
  and the new decision, limit and versions, and the rule applied).

Re-decision rule: more data never lowers an approved limit unless the
service is started with ``allow_limit_decrease``: when the earlier decision
was an approval and the new one is too, the limit is the larger of the two
(``audit.rule = "limit_kept"`` when the earlier one was kept). A new
decision that is not an approval (the policy refers or declines on the new
data) is the policy's word and stands.

Requests are validated before anything is decided: a body that is not JSON,
not an object, an application value that is not a scalar, a batch that is
not a list or is too long, a body above ``max_body_bytes`` -- each gets a
4xx naming the field, never a 5xx. Nonsensical values (a negative amount,
text in a numeric column) are the policy's business: they get its safe
decision with a reason naming the field.

The model comes from a registry alias (``models:/name@alias``) or a JSON
file; the alias is polled every ``poll_seconds`` and the model reloaded when
it moves (``POST /admin/reload`` forces a check). A shadow model (for
example ``models:/name@challenger``) scores a configured share of the
traffic (``shadow_share``, chosen by a hash of the request id): its decision
is never returned, both models' scores and decisions are logged (logger
``scorecard.service.shadow``, one JSON object per line, no personal data)
for later comparison with :mod:`scorecard.compare`.

Logs are structured (one JSON object per request on logger
``scorecard.service``): request id, path, status, duration, decision and
versions; never an applicant's values. The applications behind the stored
decisions (for re-decision) are kept in memory only, at most ``max_stored``
of them, oldest dropped first; with several worker processes a re-decision
must reach the process that decided (or run one process per port).
Requests are decided one at a time on the event loop (a decision takes a
fraction of a millisecond), so concurrent requests never share a model's
buffers; a reload builds the new model aside and swaps one reference.

Example
-------
>>> import warnings; warnings.filterwarnings("ignore", message=".*httpx2.*")  # starlette's advice, not ours
>>> from starlette.testclient import TestClient
>>> import numpy as np
>>> from scorecard.strategy import ChannelPolicy, DecisionModel, Policy, ScoreBands
>>> bands = {"bureau": ScoreBands(cutoffs=[600], name="bureau").fit()}
>>> ch = ChannelPolicy.from_arrays(np.array(["approve", "decline"]), [5000, 0], ["P1", None])
>>> dm = DecisionModel({"bureau": None}, Policy("demo", "1", bands, {"app": ch}, price_tiers={"P1": 0.2})).fit()
>>> client = TestClient(create_app(DecisionService(dm)))
>>> r = client.post("/decide", json={"score_bureau": 640, "channel": "app"})
>>> r.status_code, r.json()["decision"], r.json()["limit"]
(200, 'approve', 5000.0)
>>> client.post("/decide", json={"score_bureau": {"nested": 1}}).json()["error"]["field"]
'score_bureau'
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import logging
import os
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scorecard.errors import DataError, SpecError

__all__ = ["DecisionService", "create_app", "main"]

logger = logging.getLogger("scorecard.service")
shadow_logger = logging.getLogger("scorecard.service.shadow")

_SCALARS = (str, int, float, bool, type(None))


class RequestError(DataError):
    """A malformed request: HTTP ``status`` and the ``field`` at fault."""

    def __init__(self, message: str, *, field: str | None = None, status: int = 422) -> None:
        super().__init__(message)
        self.field, self.status = field, status


def _check_application(app: Any, where: str = "") -> dict[str, Any]:
    if not isinstance(app, Mapping):
        raise RequestError(f"{where or 'the body'} must be a JSON object (column -> value), got "
                           f"{type(app).__name__}", field=where or None)
    for k, v in app.items():
        if not isinstance(v, _SCALARS):
            raise RequestError(f"field {k!r}{' of ' + where if where else ''} must be a number, text, "
                               f"true/false or null, got {type(v).__name__}", field=f"{where}.{k}" if where else k)
        if isinstance(v, int) and not isinstance(v, bool) and abs(v) > 2**1023:
            raise RequestError(f"field {k!r}{' of ' + where if where else ''} is a number out of range",
                               field=f"{where}.{k}" if where else k)
    return dict(app)


class _Loaded:
    """One loaded model: the compiled path and where it came from (private)."""

    def __init__(self, compiled: Any, source: str, version: str) -> None:
        self.compiled, self.source, self.version = compiled, source, version
        self.loaded_at = time.time()


def _resolve(uri: str, tracking_uri: str | None) -> tuple[str, str]:
    """A registry alias to (``models:/name/version``, version); other URIs unchanged."""
    if uri.startswith("models:/") and "@" in uri:
        from mlflow import MlflowClient

        from scorecard.tracking import tracking_uri as default_uri

        name, alias = uri[len("models:/"):].split("@", 1)
        mv = MlflowClient(tracking_uri=tracking_uri or default_uri()).get_model_version_by_alias(name, alias)
        return f"models:/{name}/{mv.version}", str(mv.version)
    return uri, ""


def _load(source: Any, tracking_uri: str | None) -> _Loaded:
    from scorecard.strategy import DecisionModel
    from scorecard.strategy.compiled import CompiledDecision

    if isinstance(source, DecisionModel):
        c = CompiledDecision(source)
        return _Loaded(c, "in-memory", c.model_version)
    src = str(source)
    if src.startswith(("models:/", "runs:/")):
        from scorecard.strategy.serving import load_decision_json

        uri, version = _resolve(src, tracking_uri)
        dm = load_decision_json(uri, tracking_uri=tracking_uri)
        c = CompiledDecision(dm, model_version=version or None)
        return _Loaded(c, src, c.model_version)
    text = Path(src).read_text(encoding="utf-8")
    c = CompiledDecision(text)
    return _Loaded(c, src, c.model_version)


class DecisionService:
    """The state behind the app: models, stored decisions, limits, shadow scoring.

    Parameters
    ----------
    model : DecisionModel or str
        A fitted decision model, a registry URI (``models:/name@alias``,
        reloaded when the alias moves), ``runs:/...`` or a JSON file.
    shadow : DecisionModel or str, optional
        Model scored in the shadow of ``model`` on ``shadow_share`` of requests.
    shadow_share : float, default 0.0
    tracking_uri : str, optional
    max_body_bytes : int, default 1_000_000
    max_rows : int, default 1000
    max_stored : int, default 100_000
        Decisions kept for re-decision (oldest dropped first).
    allow_limit_decrease : bool, default False
        Whether a re-decision may lower an approved limit.
    poll_seconds : float, default 30
        How often the registry alias is checked (0: never; use :meth:`reload`).

    Examples
    --------
    See the module docstring.
    """

    def __init__(
        self,
        model: Any,
        *,
        shadow: Any = None,
        shadow_share: float = 0.0,
        tracking_uri: str | None = None,
        max_body_bytes: int = 1_000_000,
        max_rows: int = 1000,
        max_stored: int = 100_000,
        allow_limit_decrease: bool = False,
        poll_seconds: float = 30.0,
    ) -> None:
        if not 0.0 <= float(shadow_share) <= 1.0:
            raise SpecError(f"shadow_share must be in [0, 1], got {shadow_share!r}")
        self.source, self.shadow_source = model, shadow
        self.shadow_share = float(shadow_share)
        self.tracking_uri = tracking_uri
        self.max_body_bytes, self.max_rows, self.max_stored = int(max_body_bytes), int(max_rows), int(max_stored)
        self.allow_limit_decrease = bool(allow_limit_decrease)
        self.poll_seconds = float(poll_seconds)
        self._lock = threading.Lock()
        self._store: OrderedDict[str, tuple[dict[str, Any], dict[str, Any]]] = OrderedDict()
        self.current = _load(model, tracking_uri)
        self.shadow = _load(shadow, tracking_uri) if shadow is not None else None
        self._stop = threading.Event()
        self._poller: threading.Thread | None = None

    # -- models --------------------------------------------------------------
    def reload(self) -> bool:
        """Reload the model (and the shadow) if its registry alias moved; True when something changed."""
        changed = False
        for attr, src in (("current", self.source), ("shadow", self.shadow_source)):
            if not (isinstance(src, str) and src.startswith("models:/") and "@" in src):
                continue
            try:
                _, version = _resolve(src, self.tracking_uri)
                if version and version != getattr(self, attr).version:
                    new = _load(src, self.tracking_uri)
                    setattr(self, attr, new)  # one reference swap: requests see the old or the new model
                    changed = True
                    logger.info(json.dumps({"event": "reload", "model": attr, "version": new.version}))
            except Exception as exc:  # noqa: BLE001 - a registry hiccup must not stop the service
                logger.warning(json.dumps({"event": "reload_failed", "model": attr, "error": type(exc).__name__}))
        return changed

    def start_polling(self) -> None:
        """Check the registry alias every ``poll_seconds`` in a daemon thread."""
        if self.poll_seconds <= 0 or self._poller is not None:
            return

        def run() -> None:
            while not self._stop.wait(self.poll_seconds):
                self.reload()

        self._poller = threading.Thread(target=run, name="scorecard-service-poll", daemon=True)
        self._poller.start()

    def stop_polling(self) -> None:
        """Stop the poller."""
        self._stop.set()

    def versions(self) -> dict[str, Any]:
        """Versions of the loaded models."""
        c = self.current.compiled
        out = {"policy": c.policy_name, "policy_version": c.policy_version, "model_version": self.current.version,
               "source": str(self.current.source), "loaded_at": self.current.loaded_at}
        if self.shadow is not None:
            out["shadow_model_version"] = self.shadow.version
            out["shadow_share"] = self.shadow_share
        return out

    # -- deciding --------------------------------------------------------------
    def _remember(self, record: dict[str, Any], result: dict[str, Any]) -> str:
        decision_id = uuid.uuid4().hex
        with self._lock:
            self._store[decision_id] = (record, result)
            while len(self._store) > self.max_stored:
                self._store.popitem(last=False)
        return decision_id

    def _shadow(self, request_id: str, record: dict[str, Any], result: dict[str, Any]) -> None:
        if self.shadow is None or self.shadow_share <= 0:
            return
        h = int(hashlib.sha256(request_id.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF
        if h >= self.shadow_share:
            return
        other = self.shadow.compiled.decide(record)
        entry = {"request_id": request_id, "champion_version": result["model_version"],
                 "shadow_version": other["model_version"],
                 "champion": {k: v for k, v in result.items() if k.startswith(("score_", "band_"))
                              or k in ("decision", "limit", "cell")},
                 "shadow": {k: v for k, v in other.items() if k.startswith(("score_", "band_"))
                            or k in ("decision", "limit", "cell")}}
        shadow_logger.info(json.dumps(entry))

    def decide(self, record: Any, request_id: str) -> dict[str, Any]:
        """One application: the decision, its ``decision_id``, ``request_id``."""
        rec = _check_application(record)
        model = self.current
        result = model.compiled.decide(rec)
        result["model_version"] = model.version
        self._shadow(request_id, rec, result)
        result["decision_id"] = self._remember(rec, result)
        result["request_id"] = request_id
        return result

    def decide_batch(self, body: Any, request_id: str) -> dict[str, Any]:
        """``{"applications": [...]}``: one decision per application, in order."""
        if not isinstance(body, Mapping) or "applications" not in body:
            raise RequestError('the body must be a JSON object {"applications": [...]}', field="applications")
        apps = body["applications"]
        if not isinstance(apps, list):
            raise RequestError("applications must be a list of objects", field="applications")
        if len(apps) > self.max_rows:
            raise RequestError(f"applications has {len(apps)} rows; at most {self.max_rows} per request",
                               field="applications", status=413)
        recs = [_check_application(a, f"applications[{i}]") for i, a in enumerate(apps)]
        model = self.current
        out = []
        for i, rec in enumerate(recs):
            result = model.compiled.decide(rec)
            result["model_version"] = model.version
            self._shadow(f"{request_id}:{i}", rec, result)
            result["decision_id"] = self._remember(rec, result)
            out.append(result)
        return {"request_id": request_id, "model_version": model.version,
                "policy_version": model.compiled.policy_version, "decisions": out}

    def redecide(self, body: Any, request_id: str) -> dict[str, Any]:
        """An earlier decision completed with new data: new terms and the audit trail."""
        if not isinstance(body, Mapping):
            raise RequestError('the body must be a JSON object {"decision_id": ..., "data": {...}}')
        did = body.get("decision_id")
        if not isinstance(did, str):
            raise RequestError("decision_id must be the text id of an earlier decision", field="decision_id")
        data = _check_application(body.get("data", {}), "data")
        with self._lock:
            found = self._store.get(did)
        if found is None:
            raise RequestError(f"decision_id {did!r} is unknown (or expired)", field="decision_id", status=404)
        old_rec, old = found
        rec = {**old_rec, **data}
        changed = sorted(k for k in data if k not in old_rec or old_rec[k] != data[k])
        model = self.current
        new = model.compiled.decide(rec)
        new["model_version"] = model.version
        rule = "policy"
        if (not self.allow_limit_decrease and old["decision"] == "approve" and new["decision"] == "approve"
                and new["limit"] < old["limit"]):
            new["limit"] = old["limit"]
            rule = "limit_kept"
        new["audit"] = {
            "previous_decision_id": did,
            "changed_fields": changed,
            "previous": {k: old.get(k) for k in ("decision", "limit", "apr", "completeness_tier", "model_version",
                                                 "policy_version")},
            "new": {k: new.get(k) for k in ("decision", "limit", "apr", "completeness_tier", "model_version",
                                            "policy_version")},
            "rule": rule,
        }
        new["decision_id"] = self._remember(rec, new)
        new["request_id"] = request_id
        return new


def create_app(service: DecisionService) -> Any:
    """The Starlette app of a :class:`DecisionService`.

    Examples
    --------
    See the module docstring.
    """
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    def reply(payload: dict[str, Any], status: int, request_id: str) -> JSONResponse:
        return JSONResponse(payload, status_code=status, headers={"x-request-id": request_id})

    async def read_json(request: Request) -> Any:
        size = request.headers.get("content-length")
        if size is not None and size.isdigit() and int(size) > service.max_body_bytes:
            raise RequestError(f"the body has {size} bytes; at most {service.max_body_bytes}", status=413)
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > service.max_body_bytes:
                raise RequestError(f"the body is above {service.max_body_bytes} bytes", status=413)
        try:
            return json.loads(body)
        except (ValueError, RecursionError) as exc:  # JSONDecodeError, bad UTF-8, integers of > 4300 digits
            raise RequestError(f"the body is not valid JSON ({type(exc).__name__} at position "
                               f"{getattr(exc, 'pos', '?')})", status=400) from None

    def handler(fn: Any, needs_body: bool = True) -> Any:
        async def endpoint(request: Request) -> JSONResponse:
            rid = request.headers.get("x-request-id") or uuid.uuid4().hex
            rid = rid[:64]
            t0 = time.perf_counter()
            status, payload = 200, None
            try:
                body = await read_json(request) if needs_body else None
                payload = fn(body, rid)
            except RequestError as exc:
                status = exc.status
                payload = {"error": {"message": str(exc), "field": exc.field}, "request_id": rid}
            except DataError as exc:
                status = 422
                payload = {"error": {"message": str(exc), "field": None}, "request_id": rid}
            except Exception as exc:  # noqa: BLE001 - logged without values; the client gets a 500
                status = 500
                logger.exception("unexpected error on %s (request %s)", request.url.path, rid)
                payload = {"error": {"message": f"internal error ({type(exc).__name__})", "field": None},
                           "request_id": rid}
            if isinstance(payload, dict):
                payload.setdefault("request_id", rid)
                payload.setdefault("model_version", service.current.version)
            logger.info(json.dumps({
                "request_id": rid, "path": request.url.path, "status": status,
                "ms": round((time.perf_counter() - t0) * 1e3, 3),
                "decision": payload.get("decision") if status == 200 else None,
                "model_version": service.current.version,
            }))
            return reply(payload, status, rid)

        return endpoint

    def health(_: Any, rid: str) -> dict[str, Any]:
        return {"status": "ok", "model_version": service.current.version}

    def version(_: Any, rid: str) -> dict[str, Any]:
        return service.versions()

    def reload(_: Any, rid: str) -> dict[str, Any]:
        return {"changed": service.reload(), **service.versions()}

    routes = [
        Route("/health", handler(health, False), methods=["GET"]),
        Route("/version", handler(version, False), methods=["GET"]),
        Route("/decide", handler(service.decide), methods=["POST"]),
        Route("/decide/batch", handler(service.decide_batch), methods=["POST"]),
        Route("/redecide", handler(service.redecide), methods=["POST"]),
        Route("/admin/reload", handler(reload, False), methods=["POST"]),
    ]
    @contextlib.asynccontextmanager
    async def lifespan(app: Any) -> Any:
        service.start_polling()
        try:
            yield
        finally:
            service.stop_polling()

    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.service = service
    return app


def main(argv: list[str] | None = None) -> int:
    """``python -m scorecard.service --model URI [...]``: serve with uvicorn."""
    parser = argparse.ArgumentParser(prog="python -m scorecard.service", description=__doc__.split("\n")[0])
    parser.add_argument("--model", required=True, help="models:/name@alias, runs:/..., or a decision model JSON file")
    parser.add_argument("--shadow", default=None, help="a model scored in the shadow (e.g. models:/name@challenger)")
    parser.add_argument("--shadow-share", type=float, default=0.0)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--tracking-uri", default=None)
    parser.add_argument("--max-rows", type=int, default=1000)
    parser.add_argument("--max-body-bytes", type=int, default=1_000_000)
    parser.add_argument("--poll-seconds", type=float, default=30.0)
    parser.add_argument("--allow-limit-decrease", action="store_true")
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(message)s")
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    import uvicorn

    service = DecisionService(args.model, shadow=args.shadow, shadow_share=args.shadow_share,
                              tracking_uri=args.tracking_uri, max_body_bytes=args.max_body_bytes,
                              max_rows=args.max_rows, allow_limit_decrease=args.allow_limit_decrease,
                              poll_seconds=args.poll_seconds)
    uvicorn.run(create_app(service), host=args.host, port=args.port, log_level=args.log_level, access_log=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
