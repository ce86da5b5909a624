"""Benchmark: the whole scorecard fit against optbinning's and toad's pipelines (``make bench``).

One command runs every configuration and writes ``bench/results/fit.md`` and ``fit.json``::

    make bench                                   # runs bench/run.py, bench/fit.py, bench/report.py ...
    .venv/bin/python bench/fit.py                # every configuration below
    .venv/bin/python bench/fit.py --rows 100000 --features 60            # one size, the three tools
    .venv/bin/python bench/fit.py --rows 100000 --features 60 --only ours toad
    .venv/bin/python bench/fit.py --only duckdb report                    # the 10M DuckDB fit, the report

What is measured (data: ``bench/data.py``, ``make_wide`` widened by
``make_wider`` beyond 60 features; target ``bad``):

- **ours**: ``LogisticScorecard(binner=WOEBinner(special_codes=...)).fit(X, y)``
  with every other default: binning, selection, logistic regression, points;
- **optbinning**: ``Scorecard(binning_process=BinningProcess(...),
  estimator=LogisticRegression(max_iter=1000), scaling_method="pdo_odds")``
  ``.fit(X, y)`` (the binning process of ``bench/run.py``: monotone trend
  ``auto_asc_desc``, special codes per feature, empirical WOE for missing
  and special bins);
- **toad**: ``Combiner().fit(X, y, method="dt", min_samples=0.05)``,
  ``WOETransformer``, ``toad.selection.select(iv=0.02, corr=0.7,
  empty=0.95)`` on the WOE frame, ``ScoreCard(pdo=20, base_odds=50,
  base_score=600).fit`` on the kept features;

at 100,000 x 60, 1,000,000 x 60 and 100,000 x 1,000, each tool in its own
process (same data file, same run), one fit each. Recorded per case: the fit
time, the peak resident memory of the process (``getrusage`` ``ru_maxrss``)
and the growth of resident memory during the fit (psutil, every 5 ms) next
to the frame's size, the number of features in the model and the AUC on a
held-out 50,000-row sample (another seed). A case that runs past its
timeout is killed and recorded as "did not finish in N s".

Then, when ``LogisticScorecard.fit`` accepts a Parquet path (the DuckDB
path; checked on a small file first, else "not available"), the whole fit of
a 10,000,000-row Parquet dataset (10 files, ``bench/run.py``'s data) through
DuckDB, with the peak resident memory of that process; and the validation
report at 1,000,000 rows (``bench/report.py``).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))  # this checkout's code (bench/run.py, imported below, does the same)

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")

from run import DATA, PeakRSS, _maxrss_mb, _optb_process, big_dataset  # noqa: E402  (bench/run.py)

logger = logging.getLogger("bench.fit")

#: (rows, features) of the whole-fit comparison.
CONFIGS: tuple[tuple[int, int], ...] = ((100_000, 60), (1_000_000, 60), (100_000, 1_000))
TOOLS: tuple[str, ...] = ("ours", "optbinning", "toad")
HOLDOUT_ROWS = 50_000
DUCKDB_ROWS = 10_000_000
REPORT_ROWS = 1_000_000


# ---------------------------------------------------------------------------
# data
# ---------------------------------------------------------------------------


def data_file(n_rows: int, n_features: int, random_state: int = 0) -> Path:
    """The benchmark frame as Parquet (generated once, then reused)."""
    from data import make_wider

    name = f"wide_{n_rows}.parquet" if n_features == 60 and random_state == 0 else (
        f"wide_{n_rows}x{n_features}_s{random_state}.parquet"
    )
    path = DATA / name
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        make_wider(n_rows, n_features, random_state=random_state).to_parquet(path, index=False)
        logger.info("  generated %s in %.0f s", path.name, time.perf_counter() - t)
    return path


def _load(n_rows: int, n_features: int, random_state: int = 0):
    import pandas as pd

    from data import TARGET, extra_special_codes

    df = pd.read_parquet(data_file(n_rows, n_features, random_state))
    y = df.pop(TARGET).to_numpy()
    cats = [c for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])]
    return df, y, cats, extra_special_codes(list(df.columns))


def _auc(y, risk) -> float:
    from scorecard.metrics import auc

    return float(auc(y, risk))


# ---------------------------------------------------------------------------
# the cases (each runs in its own subprocess)
# ---------------------------------------------------------------------------


def _timed_fit(fit):
    with PeakRSS() as mem:
        t = time.perf_counter()
        out = fit()
        seconds = time.perf_counter() - t
    return out, {"fit_s": seconds, "fit_mem_delta_mb": mem.delta_mb, "fit_peak_rss_mb": mem.peak_mb}


def case_ours(n_rows: int, n_features: int) -> dict:
    import warnings

    from scorecard import LogisticScorecard, WOEBinner

    warnings.filterwarnings("ignore")
    X, y, _, specials = _load(n_rows, n_features)
    res = {"frame_mb": X.memory_usage(deep=True).sum() / 2**20}
    model, timing = _timed_fit(
        lambda: LogisticScorecard(binner=WOEBinner(special_codes=specials, progress=False)).fit(X, y)
    )
    res.update(timing)
    del X
    Xh, yh, _, _ = _load(HOLDOUT_ROWS, n_features, random_state=1)
    res["n_model_features"] = len(model.features_)
    res["holdout_auc"] = _auc(yh, model.predict_proba(Xh)[:, 1])
    return res


def case_optbinning(n_rows: int, n_features: int) -> dict:
    import warnings

    from optbinning import Scorecard
    from sklearn.linear_model import LogisticRegression

    warnings.filterwarnings("ignore")
    X, y, cats, specials = _load(n_rows, n_features)
    res = {"frame_mb": X.memory_usage(deep=True).sum() / 2**20}

    def fit():
        sc = Scorecard(
            binning_process=_optb_process(X, cats, specials),
            estimator=LogisticRegression(max_iter=1000),
            scaling_method="pdo_odds",
            scaling_method_params={"pdo": 20, "odds": 50, "scorecard_points": 600},
        )
        return sc.fit(X, y, metric_special="empirical", metric_missing="empirical")

    sc, timing = _timed_fit(fit)
    res.update(timing)
    del X
    Xh, yh, _, _ = _load(HOLDOUT_ROWS, n_features, random_state=1)
    coef = sc.estimator_.coef_.ravel()
    res["n_model_features"] = int((coef != 0).sum())
    res["holdout_auc"] = _auc(yh, sc.predict_proba(Xh)[:, 1])
    return res


def case_toad(n_rows: int, n_features: int) -> dict:
    import warnings

    import pandas as pd
    import toad

    warnings.filterwarnings("ignore")
    X, y, _, _ = _load(n_rows, n_features)
    res = {"frame_mb": X.memory_usage(deep=True).sum() / 2**20}

    def fit():
        comb = toad.transform.Combiner()
        comb.fit(X, y, method="dt", min_samples=0.05, empty_separate=True)
        transer = toad.transform.WOETransformer()
        woe = transer.fit_transform(comb.transform(X), y)
        woe["__target__"] = y
        # toad 0.1.7 indexes the column names with a NumPy array, which pandas 3's Arrow-backed string
        # index refuses: plain object column names
        woe.columns = pd.Index(list(woe.columns), dtype=object)
        kept = toad.selection.select(woe, target="__target__", empty=0.95, iv=0.02, corr=0.7)
        feats = [c for c in kept.columns if c != "__target__"]
        card = toad.ScoreCard(combiner=comb, transer=transer, pdo=20, base_odds=50, base_score=600)
        card.fit(kept[feats], y)
        return card, feats

    (card, feats), timing = _timed_fit(fit)
    res.update(timing)
    del X
    Xh, yh, _, _ = _load(HOLDOUT_ROWS, n_features, random_state=1)
    res["n_model_features"] = len(feats)
    res["holdout_auc"] = _auc(yh, -card.predict(Xh[feats]))  # toad's score: higher = safer
    return res


def _duckdb_fit_available() -> tuple[bool, str]:
    """Whether ``LogisticScorecard.fit`` takes a Parquet path and a target name (tried on 5,000 rows)."""
    import warnings

    from data import TARGET, make_wide
    from scorecard import LogisticScorecard

    warnings.filterwarnings("ignore")
    path = DATA / "probe_5000.parquet"
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        make_wide(5_000, random_state=3).to_parquet(path, index=False)
    try:
        LogisticScorecard().fit(str(path), TARGET)
    except Exception as exc:  # any refusal means the path is not there
        return False, f"{type(exc).__name__}: {str(exc)[:200]}"
    return True, ""


def case_duckdb_probe(n_rows: int, n_features: int) -> dict:
    ok, why = _duckdb_fit_available()
    return {"available": ok, "why": why}


def case_duckdb(n_rows: int, n_features: int) -> dict:
    """The whole fit of a Parquet dataset through DuckDB (ours); the data are generated by the parent."""
    import warnings

    from data import BENCH_SPECIAL_CODES, TARGET
    from scorecard import LogisticScorecard, WOEBinner

    warnings.filterwarnings("ignore")
    source = big_dataset(n_rows)
    glob = str(source / "*.parquet")
    with PeakRSS() as mem:
        t = time.perf_counter()
        model = LogisticScorecard(binner=WOEBinner(special_codes=BENCH_SPECIAL_CODES, progress=False))
        model.fit(glob, TARGET)
        fit_s = time.perf_counter() - t
    return {"rows": n_rows, "fit_s": fit_s, "fit_peak_rss_mb": mem.peak_mb, "n_model_features": len(model.features_)}


def case_report(n_rows: int, n_features: int) -> dict:
    """The validation report at ``n_rows`` (``bench/report.py``)."""
    import report

    return report.run(n_rows)


CASES = {"ours": case_ours, "optbinning": case_optbinning, "toad": case_toad, "duckdb": case_duckdb,
         "duckdb_probe": case_duckdb_probe, "report": case_report}


def run_case(name: str, n_rows: int, n_features: int, timeout: float) -> dict:
    """Run one case in a fresh interpreter; its JSON result, or the error, or the timeout."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--case", name, "--rows", str(n_rows),
           "--features", str(n_features)]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()  # the case's own child, by its handle
        proc.communicate()
        return {"error": f"did not finish in {timeout:.0f} s"}
    wall = time.perf_counter() - t
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        return {"error": (err or out).strip()[-2000:] or f"exit code {proc.returncode}"}
    res = json.loads(lines[-1])
    res["wall_s"] = wall
    return res


# ---------------------------------------------------------------------------
# the summary
# ---------------------------------------------------------------------------

_LABELS = {
    "ours": "scorecard `LogisticScorecard().fit`",
    "optbinning": "optbinning `BinningProcess` + `LogisticRegression` + `Scorecard`",
    "toad": "toad `Combiner` + `WOETransformer` + `select` + `ScoreCard`",
}


def _fmt_s(v: float) -> str:
    return f"{v:.2f}" if v < 10 else f"{v:.0f}"


def _first_line(text: str) -> str:
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return (lines[-1] if lines else text)[:120].replace("|", "/")


def summary(results: dict, meta: dict) -> str:
    lines = [
        f"Machine: {meta['cpus']} cores, load average at start {meta['load']}; Python {meta['python']}; "
        f"{meta['date']}; code: {meta['code']}. Times in seconds, one fit per tool, each tool in its own "
        "process; ratio = tool time / our time (above 1: we are faster). Peak RSS = the process's peak "
        "resident memory (getrusage); fit memory = growth of resident memory during the fit, as a "
        "multiple of the frame in memory. AUC on a held-out 50,000-row sample.",
        "",
    ]
    for key, r in results.get("fits", {}).items():
        rows, feats = (int(x) for x in key.split("x"))
        frame = next((c["frame_mb"] for c in r.values() if "frame_mb" in c), float("nan"))
        lines += [
            f"### Whole fit: {rows:,} rows x {feats:,} features (frame {frame:.0f} MB in memory)",
            "",
            "| | fit (s) | ratio to ours | peak RSS (MB) | fit memory | features in model | held-out AUC |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        ours = r.get("ours", {})
        for tool in TOOLS:
            c = r.get(tool)
            if c is None:
                continue
            if "error" in c:
                lines.append(f"| {_LABELS[tool]} | {_first_line(c['error'])} | | | | | |")
                continue
            ratio = f"{c['fit_s'] / ours['fit_s']:.2f}x" if "fit_s" in ours and tool != "ours" else (
                "1" if tool == "ours" else "-")
            mem = f"+{c['fit_mem_delta_mb']:.0f} MB ({c['fit_mem_delta_mb'] / c['frame_mb']:.2f}x)"
            lines.append(
                f"| {_LABELS[tool]} | {_fmt_s(c['fit_s'])} | {ratio} | {c['maxrss_mb']:.0f} | {mem} | "
                f"{c['n_model_features']} | {c['holdout_auc']:.4f} |"
            )
        done = [c["fit_s"] for t, c in r.items() if t != "ours" and "fit_s" in c]
        if done and "fit_s" in ours:
            lines += ["", f"Ours against the fastest peer: {min(done) / ours['fit_s']:.2f}x."]
        lines.append("")
    d = results.get("duckdb")
    if d is not None:
        lines += [f"### Whole fit of a {meta['duckdb_rows']:,}-row Parquet dataset through DuckDB (ours)", ""]
        if "not_available" in d:
            lines.append(f"Not available: {d['not_available']}")
        elif "error" in d:
            lines.append(f"Failed: {_first_line(d['error'])}")
        else:
            lines.append(
                f"Fit {_fmt_s(d['fit_s'])} s; peak RSS of the process {d['maxrss_mb']:.0f} MB; "
                f"{d['n_model_features']} features in the model."
            )
        lines.append("")
    rep = results.get("report")
    if rep is not None:
        lines += [f"### Validation report at {meta['report_rows']:,} rows (`bench/report.py`)", ""]
        if "error" in rep:
            lines.append(f"Failed: {_first_line(rep['error'])}")
        else:
            lines.append(
                f"`ValidationReport` of the default scorecard on {rep['train_rows']:,} train and "
                f"{rep['test_rows']:,} test rows (n_boot {rep['n_boot']}, figures): {_fmt_s(rep['report_s'])} s "
                f"(build {_fmt_s(rep['build_s'])} s, HTML {_fmt_s(rep['save_s'])} s; CPU "
                f"{_fmt_s(rep.get('report_cpu_s', float('nan')))} s); peak RSS "
                f"{rep['peak_rss_mb']:.0f} MB; per section (s): "
                + ", ".join(f"{k} {v:.1f}" for k, v in rep["timings"].items())
                + "."
            )
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, help="rows of one whole-fit configuration (with --features)")
    ap.add_argument("--features", type=int, help="features of that configuration (default 60)")
    ap.add_argument("--only", nargs="+", choices=[*TOOLS, "duckdb", "report"],
                    help="run only these cases (default: all; with --rows only the three tools)")
    ap.add_argument("--timeout", type=float, default=1200, help="seconds per case (default 1200)")
    ap.add_argument("--duckdb-rows", type=int, default=DUCKDB_ROWS)
    ap.add_argument("--report-rows", type=int, default=REPORT_ROWS)
    ap.add_argument("--out", type=Path, default=RESULTS / "fit.md", help="the summary (Markdown); JSON beside it")
    ap.add_argument("--case", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)

    if args.case:  # inside a case's subprocess
        res = CASES[args.case](args.rows, args.features or 60)
        res["maxrss_mb"] = _maxrss_mb()
        sys.stdout.write(json.dumps(res) + "\n")
        return 0

    import scorecard

    if args.rows is not None or args.features is not None:
        configs = [(args.rows or 100_000, args.features or 60)]
        default_only = list(TOOLS)
    else:
        configs = list(CONFIGS)
        default_only = [*TOOLS, "duckdb", "report"]
    only = args.only or default_only
    meta = {
        "cpus": os.cpu_count(),
        "load": " ".join(f"{v:.1f}" for v in os.getloadavg()),
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "code": str(Path(scorecard.__file__).parent.parent),
        "duckdb_rows": args.duckdb_rows,
        "report_rows": args.report_rows,
        "timeout_s": args.timeout,
        "command": " ".join(sys.argv),
    }
    results: dict = {"fits": {}}
    for n_rows, n_features in configs:
        tools = [t for t in TOOLS if t in only]
        if not tools:
            continue
        data_file(n_rows, n_features)
        data_file(HOLDOUT_ROWS, n_features, random_state=1)
        key = f"{n_rows}x{n_features}"
        results["fits"][key] = {}
        for tool in tools:
            logger.info("%s rows x %s features: %s ...", f"{n_rows:,}", n_features, tool)
            res = run_case(tool, n_rows, n_features, args.timeout)
            results["fits"][key][tool] = res
            logger.info("    %s", res.get("error", "").splitlines()[-1:] or
                        {k: round(v, 3) for k, v in res.items() if isinstance(v, float)})
    if "duckdb" in only:
        logger.info("DuckDB whole fit, %s rows ...", f"{args.duckdb_rows:,}")
        probe = run_case("duckdb_probe", 5_000, 60, args.timeout)
        if not probe.get("available"):
            why = probe.get("why") or _first_line(probe.get("error", ""))
            results["duckdb"] = {"not_available": f"LogisticScorecard.fit does not take a Parquet path ({why})"}
        else:
            big_dataset(args.duckdb_rows)
            results["duckdb"] = run_case("duckdb", args.duckdb_rows, 60, args.timeout * 2)
        logger.info("    %s", results["duckdb"])
    if "report" in only:
        logger.info("validation report, %s rows ...", f"{args.report_rows:,}")
        results["report"] = run_case("report", args.report_rows, 60, args.timeout)
        logger.info("    %s", results["report"].get("error") or round(results["report"]["report_s"], 1))
    text = summary(results, meta)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n")
    args.out.with_suffix(".json").write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")
    sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
