"""Logistic regression and WOE statistics on sufficient statistics, one pass over the rows each.

The scorecard's fit never needs the rows themselves, only a few sums over
them:

* the **Gram pass** -- ``n``, ``sum x`` and ``X'X`` of the WOE matrix -- gives
  the correlation matrix of the features (:meth:`Design.correlation`), and
  the variance inflation factors are the diagonal of its inverse
  (:func:`vif_from_corr`);
* a **Newton pass** at coefficients ``b`` -- ``X'WX``, ``X'(y - p)`` and the
  log-likelihood, with ``p = expit(Xb)`` and ``W = diag(p (1 - p))`` -- is one
  iteration of Newton's method (iteratively reweighted least squares) for the
  unpenalised logistic regression (:func:`fit_logit`);
* a **score pass** at a fitted model gives, for every candidate feature at
  once, Rao's score test of adding it (:func:`score_tests`), which is how
  forward selection ranks candidates without fitting a model per candidate.

Each pass is a :class:`Design` method, so the same fit runs on a NumPy array
(:class:`ArrayDesign`, chunked over rows so that no row x feature copy is made
beyond one chunk) or as one ``SELECT`` of aggregates over a table in DuckDB or
Spark SQL (:class:`SqlDesign`, the WOE columns given as SQL expressions, e.g.
from :func:`scorecard.sql.bin_case`). The intercept is always column 0 of the
model; feature ``j`` of the design is model column ``j + 1``.

The fit equals statsmodels' ``Logit(...).fit(method="newton")`` (the
reference in the tests) to about 1e-12: Newton's method is iterated until the
largest step is below ``tol`` (1e-10) and the standard errors are read off the
inverse of ``X'WX`` at the final coefficients, computed by one more pass.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special, stats

from scorecard.errors import DataError

__all__ = [
    "ArrayDesign",
    "BinnedDesign",
    "SqlDesign",
    "LogitFit",
    "fit_logit",
    "score_tests",
    "vif_from_corr",
    "DEFAULT_CHUNK_ROWS",
]

logger = logging.getLogger(__name__)

#: Rows per chunk of :class:`ArrayDesign` passes (bounds the temporary copies).
DEFAULT_CHUNK_ROWS = 65_536

#: Largest number of float64 cells of one chunk's temporary block (32 MB).
CHUNK_CELLS = 4_194_304

#: A correlation matrix whose smallest eigenvalue is at most this times its
#: largest is treated as singular by :func:`vif_from_corr`.
SINGULAR_RTOL = 1e-10


# --------------------------------------------------------------------------
# designs: where the passes run
# --------------------------------------------------------------------------


class Design:
    """Abstract source of the passes over ``(X, y)``; see :class:`ArrayDesign`."""

    names: list[str]
    n_rows: int
    n_bad: float

    def gram(self, cols: Sequence[int]) -> tuple[float, np.ndarray, np.ndarray]:  # pragma: no cover
        """``(n, sum x, X'X)`` of the given feature columns."""
        raise NotImplementedError

    def newton(self, cols: Sequence[int], beta: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:  # pragma: no cover
        """``(X'WX, X'(y - p), loglik)`` of the model ``[intercept] + cols`` at ``beta``."""
        raise NotImplementedError

    def score(
        self, cols: Sequence[int], beta: np.ndarray, cands: Sequence[int]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:  # pragma: no cover
        """``(X_c'(y - p), X_c'W X_model, diag(X_c'W X_c), X_model'W X_model, X_model'(y - p))``.

        The candidate columns' score statistics and the model's own Newton
        statistics at ``beta``, all from one pass.
        """
        raise NotImplementedError

    def correlation(self, cols: Sequence[int]) -> np.ndarray:
        """Pearson correlation matrix of the columns, from one Gram pass.

        A constant column gets correlation 0 with the others (1 with itself).
        """
        n, s, xx = self.gram(cols)
        mean = s / n
        cov = xx / n - np.outer(mean, mean)
        sd = np.sqrt(np.clip(np.diag(cov), 0.0, None))
        scale = np.where(sd > 1e-12 * np.maximum(1.0, np.abs(mean)), sd, np.inf)
        corr = cov / np.outer(scale, scale)
        np.fill_diagonal(corr, 1.0)
        return np.clip(corr, -1.0, 1.0)


class ArrayDesign(Design):
    """Passes over an in-memory float matrix ``X`` (rows x features) and a 0/1 target.

    ``X`` is used as it is (no copy; C order makes chunks contiguous); each
    pass walks it in chunks of ``chunk_rows`` rows, so the extra memory is one
    chunk of the model's columns.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 1.0], [3.0, 0.0]])
    >>> d = ArrayDesign(X, np.array([0, 0, 1, 1]), names=["a", "b"])
    >>> d.correlation([0, 1]).round(3).tolist()
    [[1.0, -0.447], [-0.447, 1.0]]
    """

    def __init__(
        self, X: np.ndarray, y: np.ndarray, *, names: Sequence[str] | None = None, chunk_rows: int = DEFAULT_CHUNK_ROWS
    ) -> None:
        X = np.asarray(X)
        if X.ndim != 2:
            raise DataError(f"X must be 2-D (rows x features), got {X.ndim} dimension(s)")
        if X.dtype not in (np.float64, np.float32):
            X = X.astype(np.float64)
        self.X = X
        self.y = np.asarray(y, dtype=np.float64).ravel()
        if self.y.shape[0] != X.shape[0]:
            raise DataError(f"y has {self.y.shape[0]} rows but X has {X.shape[0]}")
        self.names = [str(n) for n in names] if names is not None else [f"x{j}" for j in range(X.shape[1])]
        self.n_rows = int(X.shape[0])
        self.n_bad = float(self.y.sum())
        self.chunk_rows = max(1, int(chunk_rows))

    def _chunks(self, n_cols: int = 1) -> Any:
        """Row ranges of the passes: at most ``chunk_rows`` rows and about ``CHUNK_CELLS`` cells."""
        rows = max(1, min(self.chunk_rows, max(1024, CHUNK_CELLS // max(1, n_cols))))
        for a in range(0, self.n_rows, rows):
            yield a, min(a + rows, self.n_rows)

    def _block(self, a: int, b: int, cols: Sequence[int], intercept: bool) -> np.ndarray:
        cols = list(cols)
        out = np.empty((b - a, len(cols) + int(intercept)), dtype=np.float64, order="F")
        if intercept:
            out[:, 0] = 1.0
        if cols:
            out[:, int(intercept):] = self.X[a:b, cols]
        return out

    def gram(self, cols: Sequence[int]) -> tuple[float, np.ndarray, np.ndarray]:
        k = len(cols)
        s = np.zeros(k)
        xx = np.zeros((k, k))
        for a, b in self._chunks(k):
            blk = self._block(a, b, cols, False)
            s += blk.sum(axis=0)
            xx += blk.T @ blk
        return float(self.n_rows), s, xx

    def newton(self, cols: Sequence[int], beta: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
        k = len(cols) + 1
        h = np.zeros((k, k))
        g = np.zeros(k)
        llf = 0.0
        for a, b in self._chunks(k):
            blk = self._block(a, b, cols, True)
            eta = blk @ beta
            p = special.expit(eta)
            y = self.y[a:b]
            bw = blk * np.sqrt(p * (1.0 - p))[:, None]
            h += bw.T @ bw  # one symmetric rank-k update (BLAS syrk)
            g += blk.T @ (y - p)
            llf += float(np.sum(y * eta - np.logaddexp(0.0, eta)))
        return h, g, llf

    def score(
        self, cols: Sequence[int], beta: np.ndarray, cands: Sequence[int]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        m, k = len(cands), len(cols) + 1
        u = np.zeros(m)
        cross = np.zeros((m, k))
        diag = np.zeros(m)
        h = np.zeros((k, k))
        g = np.zeros(k)
        for a, b in self._chunks(m + k):
            blk = self._block(a, b, cols, True)
            p = special.expit(blk @ beta)
            w = p * (1.0 - p)
            r = self.y[a:b] - p
            c = self._block(a, b, cands, False)
            u += c.T @ r
            cw = c * w[:, None]
            cross += cw.T @ blk
            diag += np.einsum("ij,ij->j", cw, c)
            bw = blk * np.sqrt(w)[:, None]
            h += bw.T @ bw
            g += blk.T @ r
        return u, cross, diag, h, g


class BinnedDesign(ArrayDesign):
    """Passes over binned data: a bin-index matrix and each feature's WOE per bin.

    The rows x features matrix holds bin indices in the smallest unsigned
    integer type (one byte per cell for up to 256 bins), an eighth of a
    float64 WOE matrix; each chunk's WOE columns are looked up from the
    per-feature tables, so the values, and the fit, are exactly those of the
    float64 WOE matrix.

    Examples
    --------
    >>> import numpy as np
    >>> codes = np.array([[0, 1], [1, 0], [1, 1], [0, 0]], dtype=np.uint8)
    >>> woe = [np.array([0.5, -0.5]), np.array([1.0, -1.0])]
    >>> d = BinnedDesign(codes, woe, np.array([0, 1, 1, 0]))
    >>> d.gram([0, 1])[1].tolist()
    [0.0, 0.0]
    """

    def __init__(
        self,
        codes: np.ndarray,
        tables: Sequence[np.ndarray],
        y: np.ndarray,
        *,
        names: Sequence[str] | None = None,
        chunk_rows: int = DEFAULT_CHUNK_ROWS,
    ) -> None:
        codes = np.asarray(codes)
        if codes.ndim != 2 or codes.shape[1] != len(tables):
            raise DataError(f"codes must be rows x {len(tables)} features, got shape {codes.shape}")
        self.X = codes
        self.tables = [np.asarray(t, dtype=np.float64) for t in tables]
        self.y = np.asarray(y, dtype=np.float64).ravel()
        if self.y.shape[0] != codes.shape[0]:
            raise DataError(f"y has {self.y.shape[0]} rows but codes has {codes.shape[0]}")
        self.names = [str(n) for n in names] if names is not None else [f"x{j}" for j in range(codes.shape[1])]
        self.n_rows = int(codes.shape[0])
        self.n_bad = float(self.y.sum())
        self.chunk_rows = max(1, int(chunk_rows))

    def _block(self, a: int, b: int, cols: Sequence[int], intercept: bool) -> np.ndarray:
        cols = list(cols)
        off = int(intercept)
        out = np.empty((b - a, len(cols) + off), dtype=np.float64, order="F")
        if intercept:
            out[:, 0] = 1.0
        for i, c in enumerate(cols):
            np.take(self.tables[c], self.X[a:b, c], out=out[:, i + off], mode="clip")
        return out


def _sql_num(v: float) -> str:
    return f"CAST('{float(v)!r}' AS DOUBLE)"


class SqlDesign(Design):
    """Passes computed by one ``SELECT`` of aggregates in DuckDB or Spark SQL.

    Parameters
    ----------
    run : callable
        Runs a query and returns its rows as tuples (``SqlSource.run`` of
        :mod:`scorecard.counts`).
    table : str
        The FROM item holding the raw columns (a table, a view, ``read_parquet(...)``).
    exprs : dict of str to str
        Feature name -> SQL expression of its WOE over ``table``'s columns.
    target : str
        SQL expression of the 0/1 target (1 = bad).
    n_rows : int, optional
        Number of rows (counted with one query when omitted).

    Examples
    --------
    >>> import duckdb, numpy as np, pandas as pd
    >>> con = duckdb.connect()
    >>> df = pd.DataFrame({"a": [0.0, 1.0, 2.0, 3.0, 1.5], "y": [0, 1, 0, 1, 1]})
    >>> con.register("t", df)  # doctest: +ELLIPSIS
    <...>
    >>> d = SqlDesign(lambda q: con.execute(q).fetchall(), "t", {"a": '"a"'}, '"y"')
    >>> bool(np.allclose(fit_logit(d, [0]).params, fit_logit(ArrayDesign(df[["a"]].to_numpy(), df["y"]), [0]).params))
    True
    """

    def __init__(
        self,
        run: Callable[[str], list[tuple]],
        table: str,
        exprs: dict[str, str],
        target: str,
        *,
        n_rows: int | None = None,
    ) -> None:
        self.run = run
        self.table = table
        self.names = list(exprs)
        self.exprs = [exprs[n] for n in self.names]
        self.target = target
        inner = ", ".join(f"{e} AS c{j}" for j, e in enumerate(self.exprs))
        self.source = f"(SELECT {inner}, CAST({target} AS DOUBLE) AS y FROM {table}) AS w"
        n, bads = self.run(f"SELECT count(*), sum(CAST({target} AS DOUBLE)) FROM {table}")[0]
        self.n_rows = int(n if n_rows is None else n_rows)
        self.n_bad = float(bads or 0.0)

    def _one(self, sql: str) -> np.ndarray:
        row = self.run(sql)[0]
        return np.array([np.nan if v is None else float(v) for v in row], dtype=np.float64)

    def gram(self, cols: Sequence[int]) -> tuple[float, np.ndarray, np.ndarray]:
        cols = list(cols)
        k = len(cols)
        aggs = ["count(*)"] + [f"sum(c{c})" for c in cols]
        pairs = [(i, j) for i in range(k) for j in range(i, k)]
        aggs += [f"sum(c{cols[i]} * c{cols[j]})" for i, j in pairs]
        v = self._one(f"SELECT {', '.join(aggs)} FROM {self.source}")
        xx = np.zeros((k, k))
        for (i, j), val in zip(pairs, v[1 + k:]):
            xx[i, j] = xx[j, i] = val
        return float(v[0]), v[1:1 + k], xx

    def _eta(self, cols: Sequence[int], beta: np.ndarray) -> str:
        terms = [_sql_num(beta[0])] + [f"{_sql_num(b)} * c{c}" for b, c in zip(beta[1:], cols)]
        return " + ".join(terms)

    def newton(self, cols: Sequence[int], beta: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
        cols = list(cols)
        k = len(cols) + 1
        col = ["1.0"] + [f"c{c}" for c in cols]
        pairs = [(i, j) for i in range(k) for j in range(i, k)]
        aggs = [f"sum(w * {col[i]} * {col[j]})" if i else f"sum(w * {col[j]})" for i, j in pairs]
        aggs += [f"sum(r * {c})" if c != "1.0" else "sum(r)" for c in col]
        aggs.append("sum(y * eta - (greatest(eta, 0.0) + ln(1.0 + exp(-abs(eta)))))")
        sql = (
            f"SELECT {', '.join(aggs)} FROM (SELECT *, p * (1.0 - p) AS w, y - p AS r FROM "
            f"(SELECT *, 1.0 / (1.0 + exp(-eta)) AS p FROM (SELECT *, {self._eta(cols, beta)} AS eta FROM {self.source}) AS e) AS q) AS s"
        )
        v = self._one(sql)
        h = np.zeros((k, k))
        for (i, j), val in zip(pairs, v):
            h[i, j] = h[j, i] = val
        g = v[len(pairs):len(pairs) + k]
        return h, g, float(v[-1])

    def score(
        self, cols: Sequence[int], beta: np.ndarray, cands: Sequence[int]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        cols, cands = list(cols), list(cands)
        k, m = len(cols) + 1, len(cands)
        col = ["1.0"] + [f"c{c}" for c in cols]
        aggs = [f"sum(r * c{c})" for c in cands]
        aggs += [f"sum(w * c{c} * {x})" if x != "1.0" else f"sum(w * c{c})" for c in cands for x in col]
        aggs += [f"sum(w * c{c} * c{c})" for c in cands]
        pairs = [(i, j) for i in range(k) for j in range(i, k)]
        aggs += [f"sum(w * {col[i]} * {col[j]})" if i else f"sum(w * {col[j]})" for i, j in pairs]
        aggs += [f"sum(r * {c})" if c != "1.0" else "sum(r)" for c in col]
        sql = (
            f"SELECT {', '.join(aggs)} FROM (SELECT *, p * (1.0 - p) AS w, y - p AS r FROM "
            f"(SELECT *, 1.0 / (1.0 + exp(-({self._eta(cols, beta)}))) AS p FROM {self.source}) AS q) AS s"
        )
        v = self._one(sql)
        o = 2 * m + m * k
        h = np.zeros((k, k))
        for (i, j), val in zip(pairs, v[o:o + len(pairs)]):
            h[i, j] = h[j, i] = val
        return v[:m], v[m:m + m * k].reshape(m, k), v[m + m * k:o], h, v[o + len(pairs):]


# --------------------------------------------------------------------------
# the fit
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class LogitFit:
    """An unpenalised logistic regression fitted by :func:`fit_logit`.

    Attributes
    ----------
    params : ndarray
        Intercept first, then one coefficient per model column.
    cov : ndarray or None
        Inverse of ``X'WX`` at ``params`` (None when singular).
    llf : float
        Log-likelihood at ``params``.
    converged : bool
        Whether Newton's largest step fell below the tolerance with a
        finite, non-singular information matrix.
    n_iter : int
        Newton iterations (passes over the rows, besides the final one).
    problem : str
        Why the fit is not usable ("" when it is).
    """

    params: np.ndarray
    cov: np.ndarray | None
    llf: float
    converged: bool
    n_iter: int
    problem: str = ""

    @property
    def ok(self) -> bool:
        """True when converged with finite, positive standard errors."""
        return self.converged and not self.problem

    @property
    def bse(self) -> np.ndarray:
        """Standard errors: square roots of the diagonal of ``cov``."""
        if self.cov is None:
            return np.full(self.params.shape, np.nan)
        return np.sqrt(np.clip(np.diag(self.cov), 0.0, None))

    @property
    def z(self) -> np.ndarray:
        """Wald statistics ``params / bse``."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.params / self.bse

    @property
    def pvalues(self) -> np.ndarray:
        """Two-sided Wald p-values (normal)."""
        return 2.0 * stats.norm.sf(np.abs(self.z))

    def aic(self) -> float:
        """``-2 llf + 2 (number of parameters)``."""
        return -2.0 * self.llf + 2.0 * self.params.size


def _solve(h: np.ndarray, g: np.ndarray) -> np.ndarray | None:
    try:
        c = np.linalg.cholesky(h)
        step = np.linalg.solve(c.T, np.linalg.solve(c, g))
    except np.linalg.LinAlgError:
        try:  # not positive definite: LU with statsmodels' ridge of 1e-10 on the diagonal
            step = np.linalg.solve(h + 1e-10 * np.eye(h.shape[0]), g)
        except np.linalg.LinAlgError:
            return None
    return step if np.all(np.isfinite(step)) else None


def _inverse(h: np.ndarray) -> np.ndarray | None:
    try:
        cov = np.linalg.inv(h)
    except np.linalg.LinAlgError:  # exactly singular: the pseudo-inverse, as statsmodels reports
        cov = np.linalg.pinv(h)
    if not np.all(np.isfinite(cov)) or np.any(np.diag(cov) <= 0):
        return None
    return cov


def fit_logit(
    design: Design,
    cols: Sequence[int],
    start: np.ndarray | None = None,
    *,
    tol: float = 1e-10,
    max_iter: int = 100,
) -> LogitFit:
    """Fit ``logit P(y = 1) = b0 + sum_j b_j x_j`` over ``cols`` of ``design`` by Newton's method.

    Each iteration is one :meth:`Design.newton` pass (``X'WX``, ``X'(y - p)``
    and the log-likelihood); the step solves ``X'WX step = X'(y - p)`` and is
    halved while the log-likelihood would fall. Iteration stops when the
    largest step is below ``tol``; one more pass gives the log-likelihood and
    the covariance (inverse information) at the final coefficients.

    Non-convergence (perfect or quasi-complete separation: coefficients
    running off to infinity; a singular information matrix from a constant or
    collinear column) is reported in ``problem`` rather than raised.

    Parameters
    ----------
    design : Design
        Where the passes run (:class:`ArrayDesign`, :class:`SqlDesign`).
    cols : sequence of int
        Feature columns of the design in the model (the intercept is implied).
    start : ndarray, optional
        Starting coefficients (intercept first), e.g. the previous model's
        with a 0 appended (warm start). Default: zeros with the intercept at
        the log-odds of the mean.
    tol : float, default 1e-10
        Convergence tolerance on the largest Newton step.
    max_iter : int, default 100

    Returns
    -------
    LogitFit

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(500, 2))
    >>> y = (rng.random(500) < 1 / (1 + np.exp(-(0.5 + X[:, 0])))).astype(int)
    >>> fit = fit_logit(ArrayDesign(X, y), [0, 1])
    >>> fit.converged, fit.params.round(2).tolist()
    (True, [0.46, 0.86, 0.03])
    """
    cols = list(cols)
    k = len(cols) + 1
    if start is None:
        beta = np.zeros(k)
    else:
        beta = np.asarray(start, dtype=np.float64).copy()
        if beta.shape != (k,):
            raise ValueError(f"start has {beta.size} values for {k} parameters")
    if start is None:
        # start at the sample log-odds (the exact MLE of the intercept-only model)
        ybar = design.n_bad / design.n_rows if design.n_rows else 0.5
        if 0.0 < ybar < 1.0:
            beta[0] = math.log(ybar / (1.0 - ybar))
    h, g, llf = design.newton(cols, beta)
    n_iter = 0
    converged = False
    problem = ""
    while n_iter < max_iter:
        step = _solve(h, g)
        if step is None:
            if n_iter == 0:
                problem = "the information matrix is singular (a constant feature or an exact collinearity)"
            else:  # became singular on the way: fitted probabilities at 0 / 1
                problem = "the fit did not converge (perfect or quasi-complete separation?)"
            break
        n_iter += 1
        t = 1.0
        while True:
            cand = beta + t * step
            h2, g2, llf2 = design.newton(cols, cand)
            if math.isfinite(llf2) and llf2 >= llf - 1e-9 * max(1.0, abs(llf)) or t < 1e-3:
                break
            t *= 0.5
        small = float(np.max(np.abs(t * step))) < tol
        beta, h, g, llf = cand, h2, g2, llf2
        if small:
            converged = True
            break
    if not problem and not converged:
        problem = "the fit did not converge (perfect or quasi-complete separation?)"
    cov = _inverse(h) if not problem else None
    if cov is None and n_iter > 0 and "singular" not in problem:
        # unconverged: report the pseudo-inverse (finite, huge variances) as statsmodels does
        pinv = np.linalg.pinv(h)
        cov = pinv if np.all(np.isfinite(pinv)) else None
    if converged and cov is None:
        problem = "the information matrix is singular (a constant feature or an exact collinearity)"
    if converged and np.max(np.abs(beta)) > 50:
        problem = "the coefficients diverge (perfect or quasi-complete separation)"
    return LogitFit(beta, cov, float(llf), converged and not problem, n_iter, problem)


def score_tests(design: Design, cols: Sequence[int], fit: LogitFit, cands: Sequence[int]) -> np.ndarray:
    """Rao score statistics (chi-square, 1 d.f.) of adding each candidate to a fitted model.

    For candidate ``c`` with ``u = x_c'(y - p)``, information ``I_cc``,
    ``I_cm`` against the model's columns and ``I_mm`` the model's information,
    the statistic is ``u^2 / (I_cc - I_cm I_mm^-1 I_mc)``: all candidates from
    one :meth:`Design.score` pass at the fitted coefficients. A candidate in
    the span of the model (zero conditional variance) gets 0.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(800, 2))
    >>> y = (rng.random(800) < 1 / (1 + np.exp(-X[:, 0]))).astype(int)
    >>> d = ArrayDesign(X, y)
    >>> s = score_tests(d, [], fit_logit(d, []), [0, 1])
    >>> bool(s[0] > 50 and s[1] < 4)
    True
    """
    cands = list(cands)
    if not cands:
        return np.zeros(0)
    u, cross, diag, _, _ = design.score(list(cols), fit.params, cands)
    info = np.linalg.inv(fit.cov) if fit.cov is not None else None
    if fit.cov is None or info is None:
        raise DataError("score tests need a fitted model with a non-singular information matrix")
    cond = diag - np.einsum("ij,jk,ik->i", cross, fit.cov, cross)
    tiny = 1e-10 * np.maximum(diag, 1e-300)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(cond > tiny, u * u / np.where(cond > tiny, cond, 1.0), 0.0)
    return out


# --------------------------------------------------------------------------
# VIF
# --------------------------------------------------------------------------


def vif_from_corr(corr: np.ndarray) -> np.ndarray:
    """Variance inflation factors: the diagonal of the inverse correlation matrix.

    ``VIF_j = 1 / (1 - R_j^2)`` with ``R_j^2`` the centred R-squared of feature
    ``j`` on the others and an intercept, which is ``(R^-1)_jj`` for the
    correlation matrix ``R``. When ``R`` is singular (an exact linear relation
    among some features: smallest eigenvalue at most ``SINGULAR_RTOL`` times
    the largest), the features taking part in the relation (a non-negligible
    loading on the null space) get ``inf`` and the others the diagonal of the
    pseudo-inverse restricted to the non-null space. A single feature has VIF 1.

    Examples
    --------
    >>> import numpy as np
    >>> vif_from_corr(np.array([[1.0, 0.5], [0.5, 1.0]])).round(4).tolist()
    [1.3333, 1.3333]
    >>> vif_from_corr(np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 1.0]])).tolist()
    [inf, inf, 1.0]
    """
    r = np.asarray(corr, dtype=np.float64)
    k = r.shape[0]
    if k == 0:
        return np.zeros(0)
    if k == 1:
        return np.ones(1)
    w, v = np.linalg.eigh((r + r.T) / 2.0)
    top = float(w[-1])
    null = w <= SINGULAR_RTOL * top
    if not null.any():
        try:
            c = np.linalg.cholesky(r)
            ci = np.linalg.solve(c, np.eye(k))
            return np.einsum("ij,ij->j", ci, ci)
        except np.linalg.LinAlgError:  # pragma: no cover - eigh said positive definite
            pass
    keep = ~null
    out = (v[:, keep] ** 2 / w[keep]).sum(axis=1)
    loading = (v[:, null] ** 2).sum(axis=1)
    out[loading > 1e-8] = np.inf
    return out
