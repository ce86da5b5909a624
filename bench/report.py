"""Benchmark: the validation report at 1,000,000 rows (``make bench``; ``bench/fit.py`` runs it too).

What is measured::

    .venv/bin/python bench/report.py                       # 1,000,000 rows, figures, n_boot 1000
    .venv/bin/python bench/report.py --rows 100000 --fit-rows 50000

- data: :func:`scorecard.datasets.make_applications` (``random_state=0``),
  split 70/30 (stratified, ``random_state=0``) into ``train`` and ``test``;
  every column but the target is passed, so the per-month
  (``application_month``) and per-channel parts of the report run too;
- the model: the default ``LogisticScorecard`` (binner with the generator's
  special codes) fitted on the training rows (``--fit-rows`` takes the first
  rows of ``train`` only, to save time when the fit is slow; the report
  always runs on all rows);
- timed: ``ValidationReport(model, {"train": ..., "test": ...})`` with its
  defaults (``n_boot=1000``, ``segment_n_boot=200``, figures) and then
  ``report.save(...)`` (rendering the HTML); the time per section comes from
  ``report.timings``; peak resident memory of the process during the report
  (psutil, every 5 ms); the process's CPU time during the report (one
  thread: on a shared machine a steadier figure than the wall time) and the
  load average at the end.

The result is one JSON line on stdout (last line) and, with ``--out``, a file.
Run it with another checkout first on ``PYTHONPATH`` to time that code
(``PYTHONPATH=/path/to/other/checkout python bench/report.py``): the script
itself imports only the public API.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if "PYTHONPATH" not in os.environ:  # this checkout's code, unless the caller names another
    sys.path.insert(0, str(HERE.parent))

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")

logger = logging.getLogger("bench.report")


from _memory import PeakRSS  # noqa: E402  (bench/_memory.py, beside this script)


def run(rows: int, *, fit_rows: int | None = None, n_boot: int = 1000, figures: bool = True,
        random_state: int = 0) -> dict:
    """Fit the default scorecard and time its validation report; a dict of the figures."""
    import warnings

    import scorecard
    from scorecard import LogisticScorecard, WOEBinner, datasets
    from scorecard.validation import ValidationReport
    from sklearn.model_selection import train_test_split

    warnings.filterwarnings("ignore")
    t = time.perf_counter()
    df = datasets.make_applications(rows, random_state=random_state)
    gen_s = time.perf_counter() - t
    target = datasets.TARGET
    tr, te = train_test_split(df, test_size=0.3, stratify=df[target], random_state=random_state)
    del df
    cols = [c for c in tr.columns if c != target]
    feats = list(datasets.FEATURE_COLUMNS)
    codes = {f: list(c) for f, c in datasets.SPECIAL_CODES.items()}
    fit_part = tr if fit_rows is None or fit_rows >= len(tr) else tr.iloc[:fit_rows]
    t = time.perf_counter()
    model = LogisticScorecard(binner=WOEBinner(special_codes=codes, progress=False)).fit(
        fit_part[feats], fit_part[target]
    )
    fit_s = time.perf_counter() - t
    samples = {"train": (tr[cols], tr[target]), "test": (te[cols], te[target])}
    with PeakRSS() as mem:
        cpu = time.process_time()
        t = time.perf_counter()
        report = ValidationReport(model, samples, n_boot=n_boot, figures=figures, random_state=random_state)
        build_s = time.perf_counter() - t
        with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
            t = time.perf_counter()
            path = report.save(Path(tmp) / "report.html")
            save_s = time.perf_counter() - t
            html_kb = path.stat().st_size / 1024
        cpu_s = time.process_time() - cpu
    disc = report.section("discrimination").tables["by_sample"].set_index("sample")
    return {
        "rows": rows,
        "train_rows": len(tr),
        "test_rows": len(te),
        "fit_rows": len(fit_part),
        "features": len(model.features_),
        "n_boot": n_boot,
        "figures": figures,
        "scorecard_file": scorecard.__file__,
        "generate_s": gen_s,
        "fit_s": fit_s,
        "report_s": build_s + save_s,
        "build_s": build_s,
        "save_s": save_s,
        "report_cpu_s": cpu_s,
        "load_average": list(os.getloadavg()),
        "timings": {k: round(v, 3) for k, v in report.timings.items()},
        "peak_rss_mb": mem.peak_mb,
        "report_mem_delta_mb": mem.delta_mb,
        "html_kb": html_kb,
        "overall": report.overall,
        "auc_test": float(disc.loc["test", "auc"]),
        "auc_test_ci": [float(disc.loc["test", "auc_low"]), float(disc.loc["test", "auc_high"])],
        "gini_train_ci": [float(disc.loc["train", "gini_low"]), float(disc.loc["train", "gini_high"])],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000, help="rows generated (train 70%%, test 30%%)")
    ap.add_argument("--fit-rows", type=int, default=None, help="fit on the first rows of train only")
    ap.add_argument("--n-boot", type=int, default=1000)
    ap.add_argument("--no-figures", action="store_true")
    ap.add_argument("--out", type=Path, help="also write the JSON result here")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    res = run(args.rows, fit_rows=args.fit_rows, n_boot=args.n_boot, figures=not args.no_figures)
    logger.info(
        "report on %s rows (%s features): %.1f s (build %.1f s, save %.1f s; CPU %.1f s), peak RSS %.0f MB; "
        "fit %.1f s", f"{res['rows']:,}", res["features"], res["report_s"], res["build_s"], res["save_s"],
        res["report_cpu_s"], res["peak_rss_mb"], res["fit_s"],
    )
    logger.info("per section: %s", res["timings"])
    text = json.dumps(res)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n")
    sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
