"""Compiled batch kernels of the exported scorecard (numba).

The batch path of :class:`scorecard.export.CompiledScorer` turns every
feature column into one byte per row, its *code* (the bin, or ``n_bins`` for
a value with no bin of its own), then sums each row's points and
``coef * WOE`` from small per-feature tables. The reference path does the
same in NumPy (several passes and temporaries per feature); these kernels
read each column once, without branches in their inner loops, so the
compiler vectorises them:

- :func:`numeric_codes`: a number's bin by the rule of
  :mod:`scorecard._binrule` (missing, then special codes, then ``+-inf``,
  then the count of splits ``<= x``), applied in reverse so that the earlier
  test overrides the later one;
- :func:`text_codes`: a pyarrow string column, read from its offsets and
  data buffers: each value's first 16 bytes, masked by its length, are
  looked up in a collision-free hash table of the feature's keys and
  compared whole with the key found (keys alike in their first 16 bytes
  and length: the caller keeps the reference path);
- :func:`totals`: points and the logit per row, summed in feature order
  (the same float additions as the reference path: identical results);
- :func:`top_ranks`: each row's ``m`` smallest reason ranks (its reason
  codes, best first).

Numba compiles them on first use (a few seconds, cached on disk with
``cache=True``; ``NUMBA_CACHE_DIR`` moves the cache). Nothing here holds
state: :class:`FeatureCodes` holds one feature's tables, all taken from
its :class:`scorecard._binrule.BinRule` (splits, special codes, keys, the
missing, fallback and empty bins).
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np
import pandas as pd

BLOCK = 2048  # rows per block: a block's codes, values and sums stay in L1
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
MAX_CODES = 64  # a feature's codes (its bins and the no-bin code) index one 64-bit fallback mask


@numba.njit(cache=True, nogil=True)
def numeric_codes(x, splits, specials, n_regular, missing, unseen, out):  # pragma: no cover - compiled
    """Bin code of every value of ``x`` into ``out`` (uint8), block by block.

    The rule of :mod:`scorecard._binrule`, its tests applied from last to
    first so that an earlier test overrides a later one: the regular bin
    (the count of splits ``<= x``), then ``+-inf`` -> the no-bin code
    ``unseen``, then the special codes (the first code wins), then missing.
    """
    n = x.shape[0]
    for start in range(0, n, BLOCK):
        stop = min(start + BLOCK, n)
        xs = x[start:stop]
        o = out[start:stop]
        m = stop - start
        for i in range(m):
            o[i] = 0
        for s in splits:
            for i in range(m):
                o[i] += np.uint8(xs[i] >= s)
        for i in range(m):  # +-inf: no bin
            o[i] = np.uint8(unseen) if abs(np.float64(xs[i])) == np.inf else o[i]
        for j in range(specials.shape[0] - 1, -1, -1):  # special codes, tested before +-inf
            sv = specials[j]
            code = np.uint8(n_regular + j)
            for i in range(m):
                o[i] = code if np.float64(xs[i]) == sv else o[i]
        for i in range(m):  # missing, tested first
            v = np.float64(xs[i])
            o[i] = np.uint8(missing) if v != v else o[i]


@numba.njit(cache=True, nogil=True)
def text_codes(
    offsets, data, words, valid, n_safe, mult, shift, table, key_w0, key_w1, key_len, key_tail_at, tails, key_code,
    missing, unseen, out,
):  # pragma: no cover - compiled
    """Code of every value of one Arrow string array into ``out`` (uint8).

    A value is its first 16 bytes (two little-endian words, masked to its
    length) and its length: hashed to the one key it can be (a
    collision-free table), then compared with that key. ``words[a]`` is the
    8 bytes at byte ``a`` of ``data`` (a strided view); the first ``n_safe``
    rows can read 16 bytes from their start (one branch-free loop the
    compiler vectorises), the rest are read byte by byte. Then, only where a
    key is longer than 16 bytes, the rest of its matches is compared byte by
    byte (the key's bytes beyond 16 are ``tails[key_tail_at[key]:]``), and
    nulls (``valid``: one byte per row, 0 = null; empty when the array has
    none) take the missing code.
    """
    n = out.shape[0]
    ones = np.uint64(0xFFFFFFFFFFFFFFFF)
    for i in range(n_safe):
        a = offsets[i]
        length = offsets[i + 1] - a
        # keep the value's own bytes: ~(ones << 8 * l) in two shifts (no branch, no shift by 64)
        h0 = np.uint64(4 * min(length, 8))
        h1 = np.uint64(4 * min(max(length - 8, 0), 8))
        w0 = words[a] & ~((ones << h0) << h0)
        w1 = words[a + 8] & ~((ones << h1) << h1)
        cand = table[_slot(w0, w1, length, mult, shift)]
        same = (key_w0[cand] == w0) & (key_w1[cand] == w1) & (key_len[cand] == length)
        out[i] = key_code[cand] if same else np.uint8(unseen)
    for i in range(n_safe, n):  # the last values of the buffer
        a = offsets[i]
        length = offsets[i + 1] - a
        w0, w1 = _head(data, a, length)
        cand = table[_slot(w0, w1, length, mult, shift)]
        same = (key_w0[cand] == w0) & (key_w1[cand] == w1) & (key_len[cand] == length)
        out[i] = key_code[cand] if same else np.uint8(unseen)
    if tails.shape[0] > 0:  # some key is longer than 16 bytes: compare the rest of its matches
        for i in range(n):
            a = offsets[i]
            length = offsets[i + 1] - a
            if length > 16 and out[i] != unseen:
                w0, w1 = _head(data, a, length)
                at = key_tail_at[table[_slot(w0, w1, length, mult, shift)]]
                for t in range(length - 16):
                    if data[a + 16 + t] != tails[at + t]:
                        out[i] = np.uint8(unseen)
                        break
    if valid.shape[0] > 0:
        for i in range(n):
            out[i] = out[i] if valid[i] else np.uint8(missing)


@numba.njit(cache=True, nogil=True, inline="always")
def _slot(w0, w1, length, mult, shift):  # pragma: no cover - compiled
    """The hash-table slot of a value (its two masked words and its length); also builds the table."""
    return (((w0 * mult) ^ (w1 * _GOLDEN) ^ np.uint64(length)) * mult) >> shift


@numba.njit(cache=True, nogil=True, inline="always")
def _head(data, a, length):  # pragma: no cover - compiled
    """The first 16 bytes of a value as two little-endian words (zero past its end), read byte by byte."""
    w0 = np.uint64(0)
    w1 = np.uint64(0)
    for t in range(min(length, 16)):
        if t < 8:
            w0 |= np.uint64(data[a + t]) << np.uint64(8 * t)
        else:
            w1 |= np.uint64(data[a + t]) << np.uint64(8 * (t - 8))
    return w0, w1


@numba.njit(cache=True, nogil=True)
def count_flagged(codes, mask):  # pragma: no cover - compiled
    """How many codes have their bit set in ``mask`` (codes < 64)."""
    total = np.uint64(0)
    for i in range(codes.shape[0]):
        total += (mask >> np.uint64(codes[i])) & np.uint64(1)
    return total


@numba.njit(cache=True, nogil=True)
def totals(codes, points_table, contrib_table, intercept, points, z):  # pragma: no cover - compiled
    """Per row: ``points = sum_j points_table[j, code]``, ``z = intercept + sum_j contrib_table[j, code]`` in order."""
    k, n = codes.shape
    for start in range(0, n, BLOCK):
        stop = min(start + BLOCK, n)
        m = stop - start
        p = points[start:stop]
        zz = z[start:stop]
        for i in range(m):
            p[i] = 0
            zz[i] = intercept
        for j in range(k):
            cj = codes[j, start:stop]
            pj = points_table[j]
            wj = contrib_table[j]
            for i in range(m):
                c = cj[i]
                p[i] += pj[c]
                zz[i] += wj[c]


@numba.njit(cache=True, nogil=True)
def top_ranks(codes, rank_table, out):  # pragma: no cover - compiled
    """Each row's ``m = out.shape[0]`` smallest ranks, ascending, into the columns of ``out`` (shape ``(m, n)``).

    Per block of rows, ``m`` sorted registers take every feature's rank
    through a chain of min/max exchanges (no branches: the compiler
    vectorises it across rows).
    """
    k, n = codes.shape
    m = out.shape[0]
    acc = np.empty((m, BLOCK), dtype=np.int32)
    x = np.empty(BLOCK, dtype=np.int32)
    big = np.int32(np.iinfo(np.int32).max)
    for start in range(0, n, BLOCK):
        stop = min(start + BLOCK, n)
        cnt = stop - start
        for t in range(m):
            for i in range(cnt):
                acc[t, i] = big
        for j in range(k):
            cj = codes[j, start:stop]
            rj = rank_table[j]
            for i in range(cnt):
                x[i] = rj[cj[i]]
            for t in range(m):
                at = acc[t]
                for i in range(cnt):
                    lo = min(at[i], x[i])
                    x[i] = max(at[i], x[i])
                    at[i] = lo
        for t in range(m):
            o = out[t, start:stop]
            at = acc[t]
            for i in range(cnt):
                o[i] = at[i]


# --------------------------------------------------------------------------- #
# per-feature tables
# --------------------------------------------------------------------------- #
def _text_table(keys: list[bytes], seed: int = 20261121) -> tuple[np.uint64, np.uint64, np.ndarray] | None:
    """A multiplier and shift giving every key its own slot, or None (keys alike in their first 16 bytes).

    Multipliers are tried from a fixed seed, so the table is the same on every run.
    """
    n_keys = len(keys)
    bits = max(4, (4 * n_keys).bit_length())
    rng = np.random.default_rng(seed)
    words = [_words(k) for k in keys]
    if len({(w, len(k)) for w, k in zip(words, keys)}) < n_keys:
        return None
    shift = np.uint64(64 - bits)
    for _ in range(1000):
        mult = np.uint64(int(rng.integers(1, 2**63, dtype=np.int64)) | 1)
        slots = [int(_slot(np.uint64(w0), np.uint64(w1), len(k), mult, shift)) for (w0, w1), k in zip(words, keys)]
        if len(set(slots)) == n_keys:
            table = np.full(1 << bits, n_keys, dtype=np.int64)  # n_keys: an entry no value matches
            table[slots] = np.arange(n_keys)
            return mult, shift, table
    return None  # not seen: a quarter of the slots are taken


def _words(key: bytes) -> tuple[int, int]:
    padded = key[:16].ljust(16, b"\0")
    return int.from_bytes(padded[:8], "little"), int.from_bytes(padded[8:], "little")


class FeatureCodes:
    """The code tables of one feature, from its bin rule.

    Parameters
    ----------
    rule : scorecard._binrule.BinRule
        The feature's bin rule (splits, special codes, keys, empty, missing
        and fallback bins).

    ``codes(series, out)`` fills ``out`` (uint8) and returns how many rows took
    the fallback, or None when the column's storage is not one the kernels
    read (numeric: a NumPy integer or float column; categorical: a pyarrow
    string column of a text feature): the caller then uses the rule's own
    assignment.
    """

    def __init__(self, rule: Any) -> None:
        rule = getattr(rule, "rule", rule)  # a _FeatureBins gives its rule
        self.n_bins = int(rule.n_bins)
        if self.n_bins + 1 > MAX_CODES:
            raise ValueError(f"feature {rule.name!r} has {self.n_bins} bins; the kernels take at most {MAX_CODES - 1}")
        self.unseen = self.n_bins
        self.missing = int(rule.missing)
        self.fallback = int(rule.fallback)
        flagged = np.append(rule.empty, True)  # empty bins and the no-bin code take the fallback
        self.fallback_mask = np.uint64(sum(1 << int(c) for c in np.flatnonzero(flagged)))
        self.final = np.where(flagged, self.fallback, np.arange(self.n_bins + 1))  # code -> bin it scores as
        self.numeric = rule.kind == "numeric"
        self.text = None
        if self.numeric:
            self.splits = np.asarray(rule.splits, dtype=np.float64)
            # a text code never equals a number: NaN never compares equal in the kernel
            self.specials = np.asarray([np.nan if c is None else c for c in rule.special_values], dtype=np.float64)
            self.n_regular = int(rule.n_regular)
        elif rule.keys and rule.value_type in (None, "text"):
            lookup = rule.keys
            keys = [k.encode("utf-8") for k in lookup]
            hashed = _text_table(keys)
            if hashed is not None:
                mult, shift, table = hashed
                w = np.array([_words(k) for k in keys] + [(0, 0)], dtype=np.uint64)  # the last key matches nothing
                tail_at = np.cumsum([0] + [max(len(k) - 16, 0) for k in keys]).astype(np.int64)
                self.text = (
                    mult, shift, table, np.ascontiguousarray(w[:, 0]), np.ascontiguousarray(w[:, 1]),
                    np.array([len(k) for k in keys] + [-1], dtype=np.int64), tail_at,
                    np.frombuffer(b"".join(k[16:] for k in keys), dtype=np.uint8).copy(),
                    np.array(list(lookup.values()) + [self.unseen], dtype=np.uint8),
                )

    def codes(self, series: pd.Series, out: np.ndarray) -> int | None:
        """Fill ``out`` with the codes of ``series``; the number of fallback rows, or None (not read here)."""
        if self.numeric:
            if not isinstance(series.dtype, np.dtype) or series.dtype.kind not in "iuf":
                return None  # nullable, boolean, text: the reference path (with its errors)
            numeric_codes(series.to_numpy(), self.splits, self.specials, self.n_regular, self.missing,
                          self.unseen, out)
        else:
            if self.text is None or not isinstance(series.dtype, pd.StringDtype) or series.dtype.storage != "pyarrow":
                return None
            import pyarrow as pa

            arr = series.array.__arrow_array__()
            chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
            if not all(pa.types.is_string(c.type) or pa.types.is_large_string(c.type) for c in chunks):
                return None
            pos = 0
            for chunk in chunks:
                self._text_chunk(chunk, out[pos: pos + len(chunk)])
                pos += len(chunk)
        return int(count_flagged(out, self.fallback_mask))

    def _text_chunk(self, chunk: Any, out: np.ndarray) -> None:
        import pyarrow as pa

        n = len(chunk)
        if n == 0:
            return
        validity, offsets_buf, data_buf = chunk.buffers()
        offsets = np.frombuffer(offsets_buf, dtype=np.int64 if pa.types.is_large_string(chunk.type) else np.int32)
        offsets = offsets[chunk.offset: chunk.offset + n + 1]
        data = np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else np.zeros(0, dtype=np.uint8)
        if data.size >= 16:
            words = np.ndarray((data.size - 7,), dtype=np.uint64, buffer=data, strides=(1,))
            # rows whose 16 bytes from their start lie inside the buffer (offsets never decrease)
            n_safe = int(np.searchsorted(offsets[:n], data.size - 16, side="right"))
        else:
            words = np.zeros(1, dtype=np.uint64)
            n_safe = 0
        if validity is not None and chunk.null_count:  # one byte per row: 1 = present
            bitmap = np.frombuffer(validity, dtype=np.uint8)
            valid = np.unpackbits(bitmap, count=chunk.offset + n, bitorder="little")[chunk.offset:]
        else:
            valid = np.zeros(0, dtype=np.uint8)
        text_codes(offsets, data, words, valid, n_safe, *self.text, self.missing, self.unseen, out)


def warm_up() -> None:
    """Compile (or load from numba's cache) every kernel for the column types they usually meet.

    Numba compiles one version per argument type: float64 and int64
    numbers, 32- and 64-bit Arrow string offsets, with and without nulls.
    """
    for x in (np.zeros(3, dtype=np.float64), np.zeros(3, dtype=np.int64)):
        numeric_codes(x, np.zeros(1), np.zeros(1), 2, 3, 4, np.empty(3, dtype=np.uint8))
    series = [pd.Series(["a", None, "bb"] * 8, dtype="str")]
    if hasattr(pd.arrays, "ArrowStringArray"):
        import pyarrow as pa

        large = pa.chunked_array([pa.array(["a", None, "bb"] * 8, type=pa.large_string())])
        series.append(pd.Series(pd.arrays.ArrowStringArray(large)).astype("str"))
    from scorecard._binrule import BinRule

    feat = FeatureCodes(BinRule("w", "categorical", groups=[["a"], ["bb"]], counts=[3.0, 3.0, 2.0]))
    out = np.empty(24, dtype=np.uint8)
    for s in series:
        feat.codes(s, out)
    codes = np.zeros((2, 3), dtype=np.uint8)
    totals(codes, np.zeros((2, 2), dtype=np.int64), np.zeros((2, 2)), 0.0, np.empty(3, dtype=np.int64), np.empty(3))
    top_ranks(codes, np.array([[0, 1], [2, 3]], dtype=np.int32), np.empty((1, 3), dtype=np.int32))
