"""Benchmark of the compiled decision path: one application through two models and a channel policy.

Run (about 3 minutes on 2 shared cores)::

    OMP_NUM_THREADS=1 .venv/bin/python bench/decision.py            # writes bench/results/decision.json / .md
    OMP_NUM_THREADS=1 .venv/bin/python bench/decision.py --calls 500 --rows 20000 --check-rows 20000  # quicker

What is measured, all in one process and one run, on one thread:

- the decision model, built as ``notebooks/06_cross_credit.ipynb`` builds it:
  an application :class:`~scorecard.LogisticScorecard` and a LightGBM
  :class:`~scorecard.challenger.GBMChallenger` on the bureau features with
  **300 trees** (no early stopping), five and four score bands, a policy
  optimised per channel (api, h5, app) with three completeness tiers, and
  **four reason codes per model**; fitted on 12,000 rows of
  :func:`scorecard.datasets.make_applications`, untimed;
- **one application** (p50 and p99 over ``--calls`` calls after a warm-up,
  the three callables taken in turn on the same records, so they share the
  machine's load): the scorecard alone through the scoring core's
  :meth:`~scorecard.export.CompiledScorer.score_record` (dict in, dict out,
  four reason codes), the whole decision through
  :meth:`~scorecard.strategy.compiled.CompiledDecision.decide` (dict in,
  dict out), and today's :meth:`DecisionModel.predict` on a one-row frame
  (over ``max(100, calls // 10)`` calls: it takes milliseconds);
- **batch**: :meth:`CompiledDecision.decide_batch` on ``--rows`` fresh
  applications (best of three), and :meth:`DecisionModel.predict` once;
  decisions per minute;
- **load on loopback** (``--load-seconds`` per step, 0 to skip): the
  service (``python -m scorecard.service`` on 127.0.0.1, uvicorn, one
  process) under fixed request rates (``--rates``, requests per second, each
  step a fixed duration; requests sent on schedule by a pool of client
  threads, one keep-alive connection each): achieved rate, p50 / p99 and
  errors per step; the highest step held with p99 <= 10 ms and no error is
  the sustained rate. Then every request of the bad-input corpus once: no
  5xx. The client shares the two cores with the server, so these are a
  floor.
- **identity**: the compiled batch against :meth:`DecisionModel.predict` on
  ``--check-rows`` rows, and the record path on the first
  ``--check-records`` of them: every column equal (mismatching cells
  counted).

Targets (issue 16): compiled p99 <= 1 ms, within 40 times ``score_record``
(p50 and p99), batch >= 1,000,000 decisions per minute.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import time
import warnings
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
logger = logging.getLogger("bench.decision")

APP = ["age", "monthly_income", "debt_to_income", "requested_amount", "loan_term_months", "years_at_employer",
       "employment_type", "housing", "education", "loan_purpose", "device_os"]
BUREAU = ["credit_utilization", "n_inquiries_6m", "months_since_last_delinquency", "bureau_score", "n_open_accounts"]


def build_decision_model(n_trees: int = 300, random_state: int = 3):
    """The benchmark's decision model (scorecard + 300-tree challenger + optimised policy, 4 reasons each)."""
    from scorecard import LogisticScorecard, WOEBinner
    from scorecard.challenger import GBMChallenger
    from scorecard.datasets import CHANNELS, SPECIAL_CODES, make_applications
    from scorecard.strategy import CompletenessTier, DecisionModel, RiskGrade, ScoreBands, optimize

    dev = make_applications(12_000, random_state=random_state)
    codes = {f: list(c) for f, c in SPECIAL_CODES.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sc = LogisticScorecard(binner=WOEBinner(special_codes={k: v for k, v in codes.items() if k in APP}))
        sc.fit(dev[APP], dev["bad"])
        gbm = GBMChallenger(special_codes={k: v for k, v in codes.items() if k in BUREAU}, n_estimators=n_trees,
                            early_stopping_rounds=None, learning_rate=0.05, random_state=0)
        gbm.fit(dev[BUREAU], dev["bad"])
    s_sc, s_gbm = sc.predict_score(dev[APP]), gbm.predict_proba(dev[BUREAU])[:, 1]
    bands = {"scorecard": ScoreBands(5, name="scorecard").fit(s_sc),
             "bureau": ScoreBands(4, higher_is_safer=False, name="bureau").fit(s_gbm)}
    grades = [RiskGrade("P1", 0.03, 0.12, 50000), RiskGrade("P2", 0.07, 0.18, 20000), RiskGrade("P3", 1.0, 0.24, 8000)]
    res = optimize(dev.assign(score_scorecard=s_sc, score_bureau=s_gbm), bands,
                   max_bad_rate={"api": 0.08, "h5": 0.06, "app": 0.04}, grades=grades)
    tiers = [CompletenessTier("full", {"bureau_hit": 1, "income_proof": 1}, 1.2),
             CompletenessTier("bureau", {"bureau_hit": 1}, 1.0), CompletenessTier("thin", {}, 0.5, cap=5000)]
    policy = res.to_policy("cross_credit", "bench.1", completeness=tiers, known_channels=CHANNELS, limit_step=100)
    return DecisionModel({"scorecard": sc, "bureau": gbm}, policy, n_reasons=4).fit(), sc


def _pct(times: list[float]) -> dict[str, float]:
    a = np.asarray(times) * 1e3
    return {"p50_ms": float(np.percentile(a, 50)), "p99_ms": float(np.percentile(a, 99)), "calls": len(a)}


def mismatches(a: pd.DataFrame, b: pd.DataFrame, columns: list[str]) -> dict[str, int]:
    """Cells that differ per column (NaN / None / "" equal each other)."""
    out = {}
    for c in columns:
        x, y = a[c].reset_index(drop=True), b[c].reset_index(drop=True)
        if pd.api.types.is_numeric_dtype(x.dtype) and pd.api.types.is_numeric_dtype(y.dtype):
            xv, yv = x.to_numpy(dtype=float), y.to_numpy(dtype=float)
            eq = (xv == yv) | (np.isnan(xv) & np.isnan(yv))
        else:
            xs = x.astype(object).where(x.notna(), "").astype(str)
            ys = y.astype(object).where(y.notna(), "").astype(str)
            eq = (xs == ys).to_numpy()
        out[c] = int((~eq).sum())
    return out


BAD_INPUTS = [b"", b"not json", b"[1, 2]", b"42", b'"text"', b"\xff\xfe", b'{"age": [1, 2]}', b'{"age": {"a": 1}}',
              b"[" * 5000 + b"]" * 5000, b'{"requested_amount": -10000}', b'{"requested_amount": 1e308}',
              b'{"requested_amount": Infinity}', b'{"age": "abc", "channel": 7}', b"{}"]


def load_test(dm, records: list, rates: list[float], seconds: float) -> dict:
    """Fixed-rate steps against the service on 127.0.0.1 (a child process), then the bad-input corpus."""
    import socket
    import subprocess
    import sys
    import tempfile
    import threading
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    tmp = tempfile.TemporaryDirectory(prefix="scorecard-bench-")
    path = Path(tmp.name) / "dm.json"
    dm.to_json(str(path))
    proc = subprocess.Popen([sys.executable, "-m", "scorecard.service", "--model", str(path), "--port", str(port),
                             "--poll-seconds", "0", "--log-level", "warning"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    local = threading.local()

    def client() -> httpx.Client:
        if not hasattr(local, "c"):
            local.c = httpx.Client(base_url=base, timeout=10)
        return local.c

    bodies = [json.dumps(r, default=str).encode() for r in records]
    out: dict = {"steps": [], "sustained_rps": 0.0}
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("the service did not start")
            time.sleep(0.3)
        for body in bodies[:100]:  # warm the server (imports, first allocations) before the steps
            client().post("/decide", content=body, headers={"content-type": "application/json"})
        for rate in rates:
            n = int(rate * seconds)
            lat: list[float] = []
            errors = [0]

            def send(i: int, t0: float) -> None:
                wait = t0 + i / rate - time.perf_counter()
                if wait > 0:
                    time.sleep(wait)
                t = time.perf_counter()
                try:
                    r = client().post("/decide", content=bodies[i % len(bodies)],
                                      headers={"content-type": "application/json"})
                    ok = r.status_code == 200
                except httpx.HTTPError:
                    ok = False
                lat.append(time.perf_counter() - t)
                if not ok:
                    errors[0] += 1

            with ThreadPoolExecutor(max_workers=16) as pool:
                t0 = time.perf_counter() + 0.05
                list(pool.map(lambda i: send(i, t0), range(n)))
                took = time.perf_counter() - t0
            step = {"target_rps": rate, "achieved_rps": n / took, **_pct(lat), "errors": errors[0]}
            out["steps"].append(step)
            if step["errors"] == 0 and step["p99_ms"] <= 10 and step["achieved_rps"] >= 0.95 * rate:
                out["sustained_rps"] = max(out["sustained_rps"], rate)
        codes = [httpx.post(f"{base}/decide", content=b, headers={"content-type": "application/json"},
                            timeout=10).status_code for b in BAD_INPUTS]
        out["bad_input_requests"] = len(codes)
        out["bad_input_5xx"] = sum(c >= 500 for c in codes)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        tmp.cleanup()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the batch (default 100,000)")
    parser.add_argument("--calls", type=int, default=2000, help="single-application calls (default 2,000)")
    parser.add_argument("--check-rows", type=int, default=100_000, help="rows of the identity check")
    parser.add_argument("--check-records", type=int, default=10_000, help="records of the record-path check")
    parser.add_argument("--load-seconds", type=float, default=5.0, help="seconds per load step (0: no load test)")
    parser.add_argument("--rates", default="50,100,200,400", help="request rates of the load steps")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore")

    from scorecard.datasets import make_applications
    from scorecard.export import CompiledScorer
    from scorecard.strategy.compiled import CompiledDecision

    dm, sc = build_decision_model()
    n_trees = dm._scorers[1].model.booster_.num_trees()
    logger.info("decision model built: challenger with %d trees", n_trees)
    scorer = CompiledScorer.from_model(sc, n_reasons=4)
    fast = CompiledDecision(dm)
    apps = make_applications(max(args.rows, args.check_rows), random_state=11).drop(columns=["bad"])
    records = apps.head(1000).to_dict("records")
    frames = [apps.iloc[[i]] for i in range(200)]
    fast.decide_batch(apps.head(2000))  # compile the kernels before timing
    res_load = os.getloadavg()

    res: dict = {"trees": int(n_trees), "reason_codes_per_model": 4, "load_average_at_start": list(res_load),
                 "single": {}, "batch": {}, "identity": {}}
    # one application: the callables in turn on the same record
    t_rec, t_fast, t_dm = [], [], []
    every = max(1, args.calls // max(100, args.calls // 10))
    for r in records[:50]:
        scorer.score_record(r)
        fast.decide(r)
    for i in range(args.calls):
        r = records[i % len(records)]
        t = time.perf_counter()
        scorer.score_record(r)
        t_rec.append(time.perf_counter() - t)
        t = time.perf_counter()
        fast.decide(r)
        t_fast.append(time.perf_counter() - t)
        if i % every == 0:
            f = frames[i % len(frames)]
            t = time.perf_counter()
            dm.predict(f)
            t_dm.append(time.perf_counter() - t)
    s = res["single"]
    s["score_record_scorecard"] = _pct(t_rec)
    s["compiled_decision"] = _pct(t_fast)
    s["decision_model_predict"] = _pct(t_dm)
    s["ratio_compiled_to_score_record"] = {
        "p50": s["compiled_decision"]["p50_ms"] / s["score_record_scorecard"]["p50_ms"],
        "p99": s["compiled_decision"]["p99_ms"] / s["score_record_scorecard"]["p99_ms"],
    }
    logger.info("single: %s", json.dumps(s))

    batch = apps.head(args.rows)
    best = np.inf
    for _ in range(3):
        t = time.perf_counter()
        fast.decide_batch(batch)
        best = min(best, time.perf_counter() - t)
    best_nr = np.inf
    for _ in range(3):
        t = time.perf_counter()
        fast.decide_batch(batch, reasons=False)
        best_nr = min(best_nr, time.perf_counter() - t)
    t = time.perf_counter()
    dm.predict(batch)
    t_ref = time.perf_counter() - t
    res["batch"] = {"rows": int(len(batch)), "compiled_seconds": float(best),
                    "compiled_decisions_per_minute": float(len(batch) / best * 60),
                    "compiled_no_reasons_seconds": float(best_nr),
                    "compiled_no_reasons_decisions_per_minute": float(len(batch) / best_nr * 60),
                    "decision_model_seconds": float(t_ref),
                    "decision_model_decisions_per_minute": float(len(batch) / t_ref * 60)}
    logger.info("batch: %s", json.dumps(res["batch"]))

    if args.load_seconds > 0:
        res["load"] = load_test(dm, records, [float(r) for r in args.rates.split(",")], args.load_seconds)
        logger.info("load: %s", json.dumps(res["load"]))

    check = apps.head(args.check_rows)
    ref = dm.predict(check)
    got = fast.decide_batch(check)
    cols = list(ref.columns)
    res["identity"]["batch_rows"] = int(len(check))
    res["identity"]["batch_mismatches"] = mismatches(ref, got, cols)
    recs = check.head(args.check_records).to_dict("records")
    one = pd.DataFrame([fast.decide(r) for r in recs])
    res["identity"]["record_rows"] = len(recs)
    res["identity"]["record_mismatches"] = mismatches(ref.head(len(recs)), one, cols)
    logger.info("identity: %s", json.dumps(res["identity"]))

    ok = {
        "p99 <= 1 ms": s["compiled_decision"]["p99_ms"] <= 1.0,
        "within 40x of score_record (p50 and p99)": max(s["ratio_compiled_to_score_record"].values()) <= 40,
        ">= 1,000,000 decisions per minute (with reason codes)": res["batch"]["compiled_decisions_per_minute"] >= 1e6,
        ">= 1,000,000 decisions per minute (without)": res["batch"]["compiled_no_reasons_decisions_per_minute"] >= 1e6,
        "identical to DecisionModel.predict": not any(res["identity"]["batch_mismatches"].values())
        and not any(res["identity"]["record_mismatches"].values()),
    }
    if "load" in res:
        ok["loopback: p99 <= 10 ms at a sustained rate, no error"] = res["load"]["sustained_rps"] > 0
        ok["no 5xx in the bad-input corpus"] = res["load"]["bad_input_5xx"] == 0
    res["targets"] = ok
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "decision.json").write_text(json.dumps(res, indent=1))
    lines = [
        "# Compiled decision path", "",
        f"Two models (scorecard + {n_trees}-tree LightGBM), channel policy, 4 reason codes per model; one thread; "
        f"load average at start {res_load[0]:.1f} on {os.cpu_count()} cores.", "",
        "| one application | p50 ms | p99 ms | calls |", "|---|---:|---:|---:|",
    ]
    for k in ("score_record_scorecard", "compiled_decision", "decision_model_predict"):
        v = s[k]
        lines.append(f"| {k} | {v['p50_ms']:.3f} | {v['p99_ms']:.3f} | {v['calls']} |")
    r = s["ratio_compiled_to_score_record"]
    lines += ["", f"compiled / score_record: p50 {r['p50']:.1f}x, p99 {r['p99']:.1f}x", "",
              f"batch ({res['batch']['rows']:,} rows): compiled {res['batch']['compiled_decisions_per_minute']:,.0f} "
              f"decisions/min with reason codes, {res['batch']['compiled_no_reasons_decisions_per_minute']:,.0f} without; "
              f"DecisionModel.predict {res['batch']['decision_model_decisions_per_minute']:,.0f}/min", "",
              f"identity on {res['identity']['batch_rows']:,} rows (batch) and {res['identity']['record_rows']:,} "
              f"(records): mismatching cells {sum(res['identity']['batch_mismatches'].values())} and "
              f"{sum(res['identity']['record_mismatches'].values())}", ""]
    if "load" in res:
        lines += ["| loopback step (req/s) | achieved | p50 ms | p99 ms | errors |", "|---:|---:|---:|---:|---:|"]
        for st in res["load"]["steps"]:
            lines.append(f"| {st['target_rps']:g} | {st['achieved_rps']:.0f} | {st['p50_ms']:.2f} | {st['p99_ms']:.2f} "
                         f"| {st['errors']} |")
        lines += ["", f"sustained (p99 <= 10 ms, no error): {res['load']['sustained_rps']:g} req/s; bad-input corpus: "
                  f"{res['load']['bad_input_requests']} requests, {res['load']['bad_input_5xx']} 5xx", ""]
    lines += ["| target | met |", "|---|---|"]
    lines += [f"| {k} | {'yes' if v else 'NO'} |" for k, v in ok.items()]
    (RESULTS / "decision.md").write_text("\n".join(lines) + "\n")
    logger.info("wrote %s", RESULTS / "decision.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
