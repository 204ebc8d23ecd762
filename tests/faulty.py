"""Runners that misbehave on purpose, importable by Dask workers started as separate processes
(they put this folder on PYTHONPATH), for the tests of tests/test_reliability.py."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pandas as pd

from experiments.runner import simulate


def crash_on(params, seed):
    """Kills its own process, as the out-of-memory killer or a crashing library would, when ``crash`` is set;
    sleeps ``sleep`` seconds first (so a test can act while runs are out)."""
    time.sleep(params.get("sleep", 0.0))
    if params.get("crash"):
        os.kill(os.getpid(), signal.SIGKILL)
    return {"y": float(seed % 1000)}, pd.DataFrame({"month": [0, 1], "v": [1.0, 2.0]})


def fail_while_marked(params, seed):
    """Fails while the file ``marker`` exists (a fault the user then fixes), else returns like ``crash_on``."""
    if Path(params["marker"]).exists():
        raise RuntimeError("marker present")
    return crash_on(params, seed)


def fail_hybrid(params, seed):
    """The model, except that every hybrid run fails."""
    if params["programme.strategy"] == "hybrid":
        raise RuntimeError("hybrid broke")
    return simulate(params, seed)
