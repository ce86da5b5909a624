"""Benchmark: WOE binning, WOE transform and scoring against optbinning and toad (``make bench``).

One command runs everything and writes ``bench/results/``::

    make bench                      # = .venv/bin/python bench/run.py
    .venv/bin/python bench/run.py --sizes 100000 --skip-10m   # a quick run

What is measured, per data size (``make_wide``: 60 features, 50 numeric with
missing values and special codes, 10 categorical; see ``bench/data.py``):

- **fit**: binning all 60 features with the same constraints everywhere
  (ours: best of three fits; the peers: one fit, which takes minutes)
  (monotone trend chosen per feature as ascending or descending, minimum bin
  size 5%, at most 20 CART pre-bins of at least 5%): our ``WOEBinner``
  (``n_jobs=1`` and ``n_jobs=2``), optbinning's ``BinningProcess``
  (``monotonic_trend="auto_asc_desc"`` per feature, special codes per
  feature), toad's decision-tree ``Combiner`` (``min_samples=0.05``, missing
  values separate; toad has no special codes);
- **transform**: WOE of every row and feature (optbinning with empirical WOE
  for missing and special bins; toad ``Combiner.transform`` +
  ``WOETransformer.transform``), best of three runs;
- **score**: points of every row from a scorecard on the same 15 features
  for all three (our 15 highest-IV features; each library fits its own
  scorecard -- binning, WOE, logistic regression, points -- on the first
  100,000 rows, untimed), best of three runs;
- **total IV**: the sum over features of the IV of each library's bins on the
  training rows, all computed by one formula (WOE with 0.5 added to every
  count, as in ``WOEBinner``), from each library's bin assignment;
- **peak memory**: the peak resident memory of the process during the fit,
  above the resident memory just before it (sampled every 5 ms with psutil;
  the frame is already loaded), next to the frame's own size.

Every case runs in its own subprocess (so memory peaks do not mix). Then a
10,000,000-row Parquet dataset (10 files written by this script) is binned
and scored through DuckDB (``memory_limit`` 1 GB, 2 threads) and the peak
resident memory of that whole process is recorded; the DuckDB fit of the
1,000,000-row file is checked against the in-memory fit (identical spec).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
DATA = RESULTS / "data"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

SCORE_SAMPLE = 100_000


# ---------------------------------------------------------------------------
# data
# ---------------------------------------------------------------------------


def data_file(n_rows: int) -> Path:
    """The benchmark frame of ``n_rows`` as Parquet (generated once, then reused)."""
    path = DATA / f"wide_{n_rows}.parquet"
    if not path.exists():
        from data import make_wide

        DATA.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        make_wide(n_rows, random_state=0).to_parquet(path, index=False)
        print(f"  generated {path.name} in {time.perf_counter() - t:.0f} s", flush=True)
    return path


def big_dataset(n_rows: int, chunk: int = 1_000_000) -> Path:
    """A directory of Parquet files with ``n_rows`` rows in all (one file per chunk, own seed)."""
    folder = DATA / f"wide_{n_rows}"
    n_files = -(-n_rows // chunk)
    done = sorted(folder.glob("part-*.parquet")) if folder.exists() else []
    if len(done) < n_files:
        from data import make_wide

        folder.mkdir(parents=True, exist_ok=True)
        for i in range(len(done), n_files):
            t = time.perf_counter()
            rows = min(chunk, n_rows - i * chunk)
            make_wide(rows, random_state=1000 + i).to_parquet(folder / f"part-{i:03d}.parquet", index=False)
            print(f"  generated part {i + 1}/{n_files} in {time.perf_counter() - t:.0f} s", flush=True)
    return folder


# ---------------------------------------------------------------------------
# memory and timing helpers (run inside the case's subprocess)
# ---------------------------------------------------------------------------


from _memory import PeakRSS  # noqa: E402,F401  (bench/_memory.py; re-exported for bench/fit.py)


def best_of(fn, repeat: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def total_iv(index_frame, y) -> float:
    """Sum over columns of the IV of the bins given by each column's codes (0.5 added to every count)."""
    import numpy as np
    import pandas as pd

    from scorecard.binning import _woe_iv

    y = np.asarray(y).astype(bool)
    total = 0.0
    for c in index_frame.columns:
        codes, _ = pd.factorize(index_frame[c], use_na_sentinel=False)
        k = int(codes.max()) + 1
        bad = np.bincount(codes[y], minlength=k).astype(float)
        good = np.bincount(codes, minlength=k) - bad
        total += float(_woe_iv(good, bad, 0.5)[1].sum())
    return total


# ---------------------------------------------------------------------------
# the cases
# ---------------------------------------------------------------------------


def _load(n_rows: int):
    import pandas as pd

    from data import BENCH_SPECIAL_CODES, TARGET

    df = pd.read_parquet(data_file(n_rows))
    y = df.pop(TARGET).to_numpy()
    cats = [c for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])]
    return df, y, cats, BENCH_SPECIAL_CODES


def _ours_binner(specials, n_jobs=1):
    from scorecard import WOEBinner

    return WOEBinner(
        special_codes=specials, monotonic_trend="auto_asc_desc", min_bin_size=0.05, n_jobs=n_jobs, progress=False
    )


N_SCORE_FEATURES = 15


def _score_features(X, y, specials) -> list[str]:
    """The scorecard features: given by the parent (``--features``), or our 15 highest-IV features."""
    given = os.environ.get("BENCH_SCORE_FEATURES")
    if given:
        return given.split(",")
    binner = _ours_binner(specials).fit(X.iloc[:SCORE_SAMPLE], y[:SCORE_SAMPLE])
    return list(binner.iv_.sort_values(ascending=False).index[:N_SCORE_FEATURES])


def case_ours(n_rows: int, n_jobs: int) -> dict:
    import pandas as pd

    from scorecard import LogisticScorecard

    X, y, cats, specials = _load(n_rows)
    frame_mb = X.memory_usage(deep=True).sum() / 2**20
    binner = _ours_binner(specials, n_jobs)
    with PeakRSS() as mem:
        t = time.perf_counter()
        binner.fit(X, y)
        first = time.perf_counter() - t
    # a fit takes seconds here (minutes for the peers, whose one run averages the machine's
    # load): best of three, the first run's memory peak
    fit_s, _ = best_of(lambda: _ours_binner(specials, n_jobs).fit(X, y), 2)
    out = {"fit_s": min(first, fit_s), "fit_first_s": first, "fit_mem_delta_mb": mem.delta_mb,
           "fit_peak_rss_mb": mem.peak_mb, "frame_mb": frame_mb}
    if n_jobs != 1:
        return out
    out["transform_s"], _ = best_of(lambda: binner.transform(X), 3)
    idx = pd.DataFrame(binner.transform(X, output="index"), columns=binner.features_)
    out["total_iv"] = total_iv(idx, y)
    out["n_features"] = len(binner.features_)
    feats = list(binner.iv_.sort_values(ascending=False).index[:N_SCORE_FEATURES])
    model = LogisticScorecard(binner=_ours_binner(specials)).fit(X[feats].iloc[:SCORE_SAMPLE], y[:SCORE_SAMPLE])
    Xs = X[feats]
    out["score_s"], _ = best_of(lambda: model.predict_score(Xs), 3)
    out["score_features"] = feats
    return out


def _optb_process(X, cats, specials):
    from optbinning import BinningProcess

    params = {f: {"monotonic_trend": "auto_asc_desc"} for f in X.columns}
    for f, codes in specials.items():
        if f in params:
            params[f]["special_codes"] = list(codes)
    return BinningProcess(
        variable_names=list(X.columns),
        categorical_variables=[c for c in cats if c in X.columns],
        max_n_prebins=20,
        min_prebin_size=0.05,
        min_bin_size=0.05,
        binning_fit_params=params,
    )


def case_optbinning(n_rows: int) -> dict:
    import warnings

    import pandas as pd
    from optbinning import Scorecard
    from sklearn.linear_model import LogisticRegression

    warnings.filterwarnings("ignore")
    X, y, cats, specials = _load(n_rows)
    frame_mb = X.memory_usage(deep=True).sum() / 2**20
    bp = _optb_process(X, cats, specials)
    with PeakRSS() as mem:
        t = time.perf_counter()
        bp.fit(X, y)
        fit_s = time.perf_counter() - t
    out = {"fit_s": fit_s, "fit_mem_delta_mb": mem.delta_mb, "fit_peak_rss_mb": mem.peak_mb, "frame_mb": frame_mb}
    kw = dict(metric="woe", metric_special="empirical", metric_missing="empirical")
    out["transform_s"], _ = best_of(lambda: bp.transform(X, **kw), 3 if n_rows <= 100_000 else 2)
    idx = bp.transform(X, metric="indices")
    out["total_iv"] = total_iv(pd.DataFrame(idx), y)
    feats = _score_features(X, y, specials)
    sc = Scorecard(
        binning_process=_optb_process(X[feats], cats, specials),
        estimator=LogisticRegression(max_iter=1000),
        scaling_method="pdo_odds",
        scaling_method_params={"pdo": 20, "odds": 50, "scorecard_points": 600},
    ).fit(X[feats].iloc[:SCORE_SAMPLE], y[:SCORE_SAMPLE], metric_special="empirical", metric_missing="empirical")
    Xs = X[feats]
    out["score_s"], _ = best_of(lambda: sc.score(Xs), 3 if n_rows <= 100_000 else 2)
    return out


def case_toad(n_rows: int) -> dict:
    import warnings

    import pandas as pd
    import toad

    warnings.filterwarnings("ignore")
    X, y, cats, specials = _load(n_rows)
    frame_mb = X.memory_usage(deep=True).sum() / 2**20
    comb = toad.transform.Combiner()
    with PeakRSS() as mem:
        t = time.perf_counter()
        comb.fit(X, y, method="dt", min_samples=0.05, empty_separate=True)
        fit_s = time.perf_counter() - t
    out = {"fit_s": fit_s, "fit_mem_delta_mb": mem.delta_mb, "fit_peak_rss_mb": mem.peak_mb, "frame_mb": frame_mb}
    bins = comb.transform(X)
    woe = toad.transform.WOETransformer()
    woe.fit(bins, y)

    def transform():
        return woe.transform(comb.transform(X))

    out["transform_s"], _ = best_of(transform, 3 if n_rows <= 100_000 else 2)
    out["total_iv"] = total_iv(pd.DataFrame(bins), y)
    feats = _score_features(X, y, specials)
    Xs_fit = X[feats].iloc[:SCORE_SAMPLE]
    c2 = toad.transform.Combiner().fit(Xs_fit, y[:SCORE_SAMPLE], method="dt", min_samples=0.05, empty_separate=True)
    b2 = c2.transform(Xs_fit)
    t2 = toad.transform.WOETransformer()
    w2 = t2.fit_transform(b2, y[:SCORE_SAMPLE])
    card = toad.ScoreCard(combiner=c2, transer=t2, pdo=20, base_odds=50, base_score=600).fit(w2, y[:SCORE_SAMPLE])
    Xs = X[feats]
    out["score_s"], _ = best_of(lambda: card.predict(Xs), 3 if n_rows <= 100_000 else 2)
    return out


def case_duckdb(n_rows: int) -> dict:
    """Bin and score a Parquet dataset through DuckDB; peak RSS of the whole process."""
    import duckdb

    from data import BENCH_SPECIAL_CODES, TARGET
    from scorecard import LogisticScorecard, WOEBinner
    from scorecard.sql import points_sql

    source = big_dataset(n_rows) if n_rows > 1_000_000 else data_file(n_rows)
    glob = str(source / "*.parquet") if source.is_dir() else str(source)
    tmp = RESULTS / "duckdb_tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(config={"memory_limit": "1GB", "threads": 2, "temp_directory": str(tmp)})
    rel = con.sql(f"SELECT * FROM read_parquet('{glob}')")
    with PeakRSS() as mem_fit:
        t = time.perf_counter()
        binner = WOEBinner(special_codes=BENCH_SPECIAL_CODES, monotonic_trend="auto_asc_desc", progress=False)
        binner.fit(rel, TARGET)
        fit_s = time.perf_counter() - t
    out = {"rows": n_rows, "fit_s": fit_s, "fit_peak_rss_mb": mem_fit.peak_mb}
    # WOE of every row and feature, streamed Parquet -> Parquet
    woe_path = RESULTS / f"woe_{n_rows}.parquet"
    with PeakRSS() as mem_woe:
        t = time.perf_counter()
        con.execute(f"COPY ({binner.to_sql(f'read_parquet({chr(39)}{glob}{chr(39)})')}) TO '{woe_path}' (FORMAT parquet)")
        out["woe_s"] = time.perf_counter() - t
    out["woe_peak_rss_mb"] = mem_woe.peak_mb
    # a scorecard (fitted on a 100,000-row sample) scored over every row by its SQL
    sample = con.sql(f"SELECT * FROM read_parquet('{glob}') USING SAMPLE {SCORE_SAMPLE} ROWS (reservoir, 7)").df()
    y = sample.pop(TARGET)
    model = LogisticScorecard(binner=WOEBinner(special_codes=BENCH_SPECIAL_CODES, progress=False)).fit(sample, y)
    del sample
    score_path = RESULTS / f"scores_{n_rows}.parquet"
    with PeakRSS() as mem_score:
        t = time.perf_counter()
        sql = points_sql(model, f"read_parquet('{glob}')")
        con.execute(f"COPY ({sql}) TO '{score_path}' (FORMAT parquet)")
        out["score_s"] = time.perf_counter() - t
    out["score_peak_rss_mb"] = mem_score.peak_mb
    out["scored_rows"] = con.execute(f"SELECT count(*) FROM read_parquet('{score_path}')").fetchone()[0]
    import psutil

    out["process_peak_rss_mb"] = max(mem_fit.peak_mb, mem_woe.peak_mb, mem_score.peak_mb)
    out["maxrss_mb"] = _maxrss_mb()
    del psutil
    return out


def case_parity(n_rows: int) -> dict:
    """The DuckDB fit of a Parquet file equals the in-memory fit of the same rows (spec byte for byte)."""
    import pandas as pd

    from data import BENCH_SPECIAL_CODES, TARGET
    from scorecard import WOEBinner

    path = data_file(n_rows)
    df = pd.read_parquet(path)
    y = df.pop(TARGET)
    params = dict(special_codes=BENCH_SPECIAL_CODES, monotonic_trend="auto_asc_desc", progress=False)
    a = WOEBinner(**params).fit(df, y)
    b = WOEBinner(**params).fit(str(path), TARGET)
    return {"identical_spec": a.to_json() == b.to_json(), "n_features": len(a.features_)}


def _maxrss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


CASES = {
    "ours": lambda n: case_ours(n, 1),
    "ours_2jobs": lambda n: case_ours(n, 2),
    "optbinning": case_optbinning,
    "toad": case_toad,
    "duckdb": case_duckdb,
    "parity": case_parity,
}


def run_case(name: str, n_rows: int, timeout: float, features: list[str] | None = None) -> dict:
    """Run one case in a fresh interpreter; its JSON result (or the error)."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--case", name, "--rows", str(n_rows)]
    env = dict(os.environ)
    if features:
        env["BENCH_SCORE_FEATURES"] = ",".join(features)
    t = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env)
    except subprocess.TimeoutExpired:
        return {"error": f"did not finish in {timeout:.0f} s"}
    wall = time.perf_counter() - t
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        return {"error": (proc.stderr or proc.stdout)[-2000:]}
    res = json.loads(lines[-1])
    res["wall_s"] = wall
    return res


# ---------------------------------------------------------------------------
# report
# ---------------------------------------------------------------------------


def _fmt_s(v: float | None) -> str:
    if v is None:
        return "-"
    return f"{v:.2f}" if v < 10 else f"{v:.0f}"


def report(results: dict, meta: dict) -> str:
    lines = [
        f"Machine: {meta['cpus']} cores, load average at start {meta['load']}; Python {meta['python']}; "
        f"{meta['date']}. Times in seconds; ratio = peer time / our time (n_jobs=1 unless said).",
        "",
    ]
    for n in meta["sizes"]:
        r = results.get(str(n), {})
        ours = r.get("ours", {})
        lines += [
            f"### {n:,} rows x 60 features (frame {ours.get('frame_mb', float('nan')):.0f} MB in memory)",
            "",
            "| | fit | fit ratio | transform | transform ratio | score | score ratio | total IV | peak memory during fit |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for lib, label in [
            ("ours", "scorecard `WOEBinner` (n_jobs=1)"),
            ("ours_2jobs", "scorecard `WOEBinner` (n_jobs=2)"),
            ("optbinning", "optbinning `BinningProcess`"),
            ("toad", "toad `Combiner` (dt) + `WOETransformer`"),
        ]:
            c = r.get(lib)
            if not c:
                continue
            if "error" in c:
                lines.append(f"| {label} | {c['error'].splitlines()[-1][:80]} | | | | | | | |")
                continue

            def ratio(key: str) -> str:
                if lib.startswith("ours") or key not in c or key not in ours:
                    return "1" if lib == "ours" and key in c else "-"
                text = f"{c[key] / ours[key]:.1f}x"
                two = r.get("ours_2jobs", {})
                if key == "fit_s" and "fit_s" in two:
                    text += f" ({c[key] / two['fit_s']:.0f}x vs n_jobs=2)"
                return text

            iv = c.get("total_iv")
            mem = f"+{c['fit_mem_delta_mb']:.0f} MB ({c['fit_mem_delta_mb'] / c['frame_mb']:.2f}x frame)"
            lines.append(
                f"| {label} | {_fmt_s(c.get('fit_s'))} | {ratio('fit_s')} | {_fmt_s(c.get('transform_s'))} | "
                f"{ratio('transform_s')} | {_fmt_s(c.get('score_s'))} | {ratio('score_s')} | "
                f"{'-' if iv is None else f'{iv:.3f}'} | {mem} |"
            )
        lines.append("")
    d = results.get("duckdb")
    if d and "error" not in d:
        lines += [
            f"### {d['rows']:,} rows through DuckDB (Parquet, memory_limit 1 GB, 2 threads)",
            "",
            "| step | time (s) | peak RSS of the process (MB) |",
            "|---|---:|---:|",
            f"| fit (count tables by SQL) | {_fmt_s(d['fit_s'])} | {d['fit_peak_rss_mb']:.0f} |",
            f"| WOE of every row, Parquet to Parquet | {_fmt_s(d['woe_s'])} | {d['woe_peak_rss_mb']:.0f} |",
            f"| scorecard points by SQL, Parquet to Parquet ({d['scored_rows']:,} rows) | {_fmt_s(d['score_s'])} | "
            f"{d['score_peak_rss_mb']:.0f} |",
            "",
            f"Peak resident memory of the whole process: {d['maxrss_mb']:.0f} MB (getrusage).",
            "",
        ]
    elif d:
        lines += ["DuckDB case failed: " + d["error"].splitlines()[-1], ""]
    p = results.get("parity")
    if p and "error" not in p:
        lines += [f"DuckDB fit of the {meta['parity_rows']:,}-row Parquet file = in-memory fit: "
                  f"{'identical spec' if p['identical_spec'] else 'DIFFERENT'} ({p['n_features']} features).", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--rows-10m", type=int, default=10_000_000, help="rows of the DuckDB out-of-core case")
    ap.add_argument("--skip-10m", action="store_true")
    ap.add_argument("--skip-peers", action="store_true")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per case")
    ap.add_argument("--case", help=argparse.SUPPRESS)
    ap.add_argument("--rows", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.case:  # inside a case's subprocess
        print(json.dumps(CASES[args.case](args.rows)))
        return 0

    import platform

    RESULTS.mkdir(parents=True, exist_ok=True)
    meta = {
        "cpus": os.cpu_count(),
        "load": " ".join(f"{v:.1f}" for v in os.getloadavg()),
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "sizes": args.sizes,
        "parity_rows": max(args.sizes),
    }
    results: dict = {}
    for n in args.sizes:
        data_file(n)
        results[str(n)] = {}
        libs = ["ours", "ours_2jobs"] + ([] if args.skip_peers else ["optbinning", "toad"])
        feats = None
        for lib in libs:
            print(f"{n:>10,} rows  {lib} ...", flush=True)
            res = run_case(lib, n, args.timeout, feats)
            if lib == "ours" and "score_features" in res:
                feats = res["score_features"]
            results[str(n)][lib] = res
            brief = {k: round(v, 3) for k, v in res.items() if isinstance(v, float)}
            print(f"{'':>16}{brief if 'error' not in res else res['error'].splitlines()[-1]}", flush=True)
    print("parity (DuckDB vs in-memory) ...", flush=True)
    results["parity"] = run_case("parity", meta["parity_rows"], args.timeout)
    if not args.skip_10m:
        print(f"DuckDB out-of-core, {args.rows_10m:,} rows ...", flush=True)
        big_dataset(args.rows_10m)
        results["duckdb"] = run_case("duckdb", args.rows_10m, args.timeout * 2)
        print(f"{'':>16}{results['duckdb']}", flush=True)
    (RESULTS / "results.json").write_text(json.dumps({"meta": meta, "results": results}, indent=2))
    text = report(results, meta)
    (RESULTS / "report.md").write_text(text + "\n")
    print()
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
