"""SQL for scoring: WOE, bin index and scorecard points as plain ``CASE`` expressions.

Everything is generated from a fitted :class:`~scorecard.binning.WOEBinner`
(or its JSON spec) and, for points, a fitted
:class:`~scorecard.model.LogisticScorecard`; nothing else is needed at
scoring time. The SQL runs in DuckDB (``dialect="duckdb"``) and Spark SQL
(``dialect="spark"``) and gives the same numbers as ``transform`` /
``predict_points`` in Python (tested), including the documented rules:
missing values and special codes go to their own bins, values without a bin
of their own (unseen categories, +-inf, a missing value when training had
none) go to the fallback bin.

Numbers are written as ``CAST('<repr>' AS DOUBLE)``, which both engines
parse to the same double as Python, so WOE values match bit for bit.

Example
-------
>>> import duckdb
>>> from scorecard import WOEBinner
>>> from scorecard.datasets import load_german_credit
>>> X, y = load_german_credit()
>>> binner = WOEBinner().fit(X, y)
>>> con = duckdb.connect()
>>> con.register("applications", X)  # doctest: +ELLIPSIS
<...>
>>> woe = con.sql(binner.to_sql("applications")).df().to_numpy()
>>> bool((woe == binner.transform(X)).all())
True
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from scorecard._binrule import sql_literal

if TYPE_CHECKING:  # pragma: no cover
    from scorecard.binning import WOEBinner, _FeatureBins
    from scorecard.model import LogisticScorecard

__all__ = ["bin_case", "woe_sql", "index_sql", "points_sql", "score_duckdb"]

_DIALECTS = ("duckdb", "spark")


def quote(name: str, dialect: str = "duckdb") -> str:
    """An identifier quoted for the dialect (``"x"`` in DuckDB, ```x``` in Spark)."""
    if dialect == "spark":
        return "`" + str(name).replace("`", "``") + "`"
    return '"' + str(name).replace('"', '""') + '"'


_num = sql_literal


def _check_dialect(dialect: str) -> None:
    if dialect not in _DIALECTS:
        raise ValueError(f"dialect must be one of {_DIALECTS}, got {dialect!r}")


def bin_case(fb: _FeatureBins, values: Sequence[Any] | None = None, *, dialect: str = "duckdb", column: str | None = None) -> str:
    """A ``CASE`` expression mapping a column to ``values[bin]`` of one feature.

    Parameters
    ----------
    fb : the feature's bins (``binner.bins_[feature]``)
    values : sequence, optional
        One value per bin (regular, special codes, missing); default the WOE.
        Empty bins and values without a bin take ``values[fallback bin]``.
    dialect : {"duckdb", "spark"}
    column : str, optional
        The SQL expression of the input column; default the quoted feature name.
    """
    _check_dialect(dialect)
    vals = list(fb.woe if values is None else values)
    if len(vals) != fb.n_bins:
        raise ValueError(f"feature {fb.name!r} has {fb.n_bins} bins but {len(vals)} values were given")
    lit = (lambda v: str(int(v))) if all(isinstance(v, (int, np.integer)) for v in vals) else _num
    return fb.rule.case_sql([lit(v) for v in vals], column or quote(fb.name, dialect), dialect)


def _select(exprs: dict[str, str], table: str, keep: Sequence[str], dialect: str) -> str:
    cols = [quote(k, dialect) for k in keep] + [f"{e} AS {quote(name, dialect)}" for name, e in exprs.items()]
    return "SELECT " + ",\n       ".join(cols) + f"\nFROM {table}"


def woe_sql(
    binner: WOEBinner,
    table: str,
    *,
    features: Sequence[str] | None = None,
    keep: Sequence[str] = (),
    dialect: str = "duckdb",
) -> str:
    """``SELECT`` of every feature's WOE (columns named as the features), as ``transform`` gives.

    ``table`` is any FROM item (a table, a view, ``read_parquet('...')``);
    ``keep`` are columns copied through (an ID, the month).
    """
    feats = list(binner.features_ if features is None else features)
    return _select({f: bin_case(binner.bins_[f], dialect=dialect) for f in feats}, table, keep, dialect)


def index_sql(
    binner: WOEBinner, table: str, *, features: Sequence[str] | None = None, keep: Sequence[str] = (), dialect: str = "duckdb"
) -> str:
    """``SELECT`` of every feature's bin index, as ``transform(output="index")`` gives."""
    feats = list(binner.features_ if features is None else features)
    exprs = {f: bin_case(binner.bins_[f], list(range(binner.bins_[f].n_bins)), dialect=dialect) for f in feats}
    return _select(exprs, table, keep, dialect)


def points_sql(
    model: LogisticScorecard,
    table: str,
    *,
    keep: Sequence[str] = (),
    rounded: bool = True,
    total: str = "score",
    dialect: str = "duckdb",
) -> str:
    """``SELECT`` of a scorecard's points per model feature and their total, as ``predict_points`` gives.

    Columns: ``keep``, one ``points_<feature>`` per model feature, and
    ``total`` (the score: higher = lower risk).
    """
    pts = model.points_table()
    col = "points" if rounded else "points_unrounded"
    exprs = {}
    for f in model.features_:
        vals = pts.loc[pts["feature"] == f, col].tolist()
        if rounded:
            vals = [int(v) for v in vals]
        exprs[f"points_{f}"] = bin_case(model.binner_.bins_[f], vals, dialect=dialect)
    inner = _select(exprs, table, keep, dialect)
    total_expr = " + ".join(quote(c, dialect) for c in exprs)
    outer = [quote(k, dialect) for k in keep] + [quote(c, dialect) for c in exprs] + [f"{total_expr} AS {quote(total, dialect)}"]
    return "SELECT " + ", ".join(outer) + f"\nFROM ({inner}) AS points"


def score_duckdb(
    model: LogisticScorecard,
    source: Any,
    destination: str | os.PathLike[str] | None = None,
    *,
    keep: Sequence[str] = (),
    rounded: bool = True,
    connection: Any = None,
) -> Any:
    """Score Parquet files (or a DuckDB relation / table) with :func:`points_sql`.

    With ``destination`` the scores are streamed into a Parquet file by
    ``COPY ... TO`` (memory bounded by DuckDB's ``memory_limit``, however many
    rows) and the number of rows written is returned; without it the result
    of the query (fetch it with ``fetchdf()`` / ``fetchnumpy()``).

    Parameters
    ----------
    model : fitted LogisticScorecard
    source : Parquet path / directory / glob / list, DuckDB relation, or table name
    destination : path, optional
    keep : columns to copy through (an application ID)
    rounded : integer points (the published scorecard) or unrounded
    connection : duckdb connection, optional (default: a new in-memory one)
    """
    import duckdb

    from scorecard.counts import duckdb_source

    if isinstance(source, duckdb.DuckDBPyRelation) or isinstance(source, (list, tuple)) or os.path.exists(
        os.fspath(source)
    ) or "*" in os.fspath(source):
        src = duckdb_source(source, connection)
        execute, table = src.execute, src.from_sql  # type: ignore[attr-defined]
    else:  # a table of the connection
        con = connection if connection is not None else duckdb.connect()
        execute, table = con.execute, quote(os.fspath(source))
    sql = points_sql(model, table, keep=keep, rounded=rounded)
    if destination is None:
        return execute(sql)
    dest = os.fspath(destination).replace("'", "''")
    res = execute(f"COPY ({sql}) TO '{dest}' (FORMAT parquet)").fetchall()
    return int(res[0][0]) if res and res[0] else None
