"""Monitoring at scale: N months x M rows per month in Parquet, counted through DuckDB.

Writes ``--months`` Parquet files of ``--rows`` synthetic applications each
(``make_applications``, one month per file, written once and reused), fits a
scorecard on 20,000 development rows, then, in a fresh child process, times
``Monitor.observe`` over the Parquet glob read through DuckDB in chunks of
``--chunk`` rows (no frame of a whole month is ever built) and reports the
wall time, rows per second and the child's peak resident memory.

Usage::

    .venv/bin/python bench/monitoring.py --months 12 --rows 1000000
    .venv/bin/python bench/monitoring.py --months 12 --rows 200000 --chunk 100000
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

logger = logging.getLogger("bench.monitoring")

_CHILD = r"""
import json, sys, time, warnings
sys.path.insert(0, sys.argv[1])
warnings.simplefilter("ignore")


def hwm_mb():  # peak resident memory of this process (VmHWM), in MB
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024


from scorecard.monitoring import Monitor
spec, glob, chunk = sys.argv[2], sys.argv[3], int(sys.argv[4])
mon = Monitor.from_json(spec)
mon._compiled().warm_up()
before = hwm_mb()
with open("/proc/self/clear_refs", "w") as f:  # reset the peak: measure the pass alone
    f.write("5")
t = time.perf_counter()
mon.observe(glob, date="application_date", chunk_rows=chunk)
seconds = time.perf_counter() - t
table = mon.period_table()
print(json.dumps({"seconds": seconds, "rows": int(table["volume"].sum()), "periods": len(table),
                  "peak_rss_mb_after_setup": before, "peak_rss_mb_during_observe": hwm_mb(),
                  "max_psi": float(table["score_psi"].max())}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=200_000)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "monitoring"))
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    warnings.simplefilter("ignore")
    import pandas as pd

    from scorecard import LogisticScorecard
    from scorecard.datasets import FEATURE_COLUMNS, make_applications
    from scorecard.monitoring import Monitor

    out = Path(args.out) / f"{args.months}x{args.rows}"
    out.mkdir(parents=True, exist_ok=True)
    for m in range(args.months):
        path = out / f"month_{m:02d}.parquet"
        if path.exists():
            continue
        month = str(pd.Period("2025-01", "M") + m)
        frame = make_applications(args.rows, 100 + m, start_month=month, n_months=1)
        frame["application_date"] = pd.Timestamp(month + "-15")
        frame[["application_id", "application_date", "channel", *FEATURE_COLUMNS]].to_parquet(path, index=False)
        del frame
        logger.info("wrote %s", path.name)
    dev = make_applications(20_000, 1)
    model = LogisticScorecard().fit(dev[list(FEATURE_COLUMNS)], dev["bad"])
    spec = out / "monitor.json"
    Monitor(model).fit_baseline(dev, dev["bad"]).to_json(spec)
    res = subprocess.run(
        [sys.executable, "-c", _CHILD, str(ROOT), str(spec), str(out / "month_*.parquet"), str(args.chunk)],
        capture_output=True, text=True, check=True, env=dict(os.environ, OMP_NUM_THREADS="1"),
    )
    result = json.loads(res.stdout.strip().splitlines()[-1])
    result.update(months=args.months, rows_per_month=args.rows, chunk_rows=args.chunk,
                  rows_per_second=result["rows"] / result["seconds"],
                  parquet_mb=sum(p.stat().st_size for p in out.glob("month_*.parquet")) / 2**20)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
