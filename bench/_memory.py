"""Peak resident memory of the running process while a block runs: shared by the bench scripts.

Imported by ``bench/run.py`` (and through it ``bench/fit.py``) and ``bench/report.py``; it has no
side effect on import (no path or environment changes), so each script keeps its own.
"""

from __future__ import annotations

import threading
import time


class PeakRSS:
    """Peak resident memory of this process while the block runs (psutil, every 5 ms)."""

    def __init__(self) -> None:
        import psutil

        self._proc = psutil.Process()
        self.start = self.peak = self._proc.memory_info().rss
        self._stop = threading.Event()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._proc.memory_info().rss)
            time.sleep(0.005)

    def __enter__(self) -> PeakRSS:
        self.start = self.peak = self._proc.memory_info().rss
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._proc.memory_info().rss)

    @property
    def delta_mb(self) -> float:
        return (self.peak - self.start) / 2**20

    @property
    def peak_mb(self) -> float:
        return self.peak / 2**20
