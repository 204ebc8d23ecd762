"""A runner with a ``warm()``, for tests/test_experiments.py: each run says which process warmed the
runner's module and how often, as the run's own process sees it."""

from __future__ import annotations

import math
import os

WARMED_BY: list[int] = []


def warm() -> None:
    WARMED_BY.append(os.getpid())


def report_warm(params, seed):
    return {
        "warmed_by": float(WARMED_BY[0]) if WARMED_BY else math.nan,
        "warm_calls": float(len(WARMED_BY)),
        "pid": float(os.getpid()),
    }, None
