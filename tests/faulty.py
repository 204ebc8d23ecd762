"""Runners that misbehave on purpose, importable by Dask workers started as separate processes."""

from __future__ import annotations

import os
import signal
import time

import pandas as pd


def crash_on(params, seed):
    """Kills its own process (as the out-of-memory killer or a crashing library would) when ``crash`` is set."""
    if params.get("crash"):
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(params.get("sleep", 0.0))
    return {"y": float(seed % 1000)}, pd.DataFrame({"month": [0, 1], "v": [1.0, 2.0]})
