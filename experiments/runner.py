"""One run: fully resolved parameters and a seed in, summary metrics and monthly table out.

The engine calls a runner by its name (``"module:function"``) inside a worker, so any
importable function with this signature can stand in for the model (a test function for
a sensitivity analysis, a runner that fails on purpose in the tests).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from sim.model import VillageModel


def simulate(params: dict[str, Any], seed: int) -> tuple[dict[str, float], pd.DataFrame | None]:
    """Run the village model to its horizon; ``params`` are dotted names, every one given.

    Besides the model's summary, the counts the cost table prices (``analysis.costs``):
    households, training modules written and stimulant paid into group funds. A drawn village is
    forked from its burn-in, shared with the other runs of this process that have the same seed
    and burn-in parameters (bit-identical to building it whole).
    """
    model = VillageModel.shared(params, seed)
    model.run_model()
    counts = {
        "n_households": float(model.n_households),
        "modules_written": float(model.modules),
        "stimulant_paid": float(model.stimulant_paid),
    }
    return {**model.summary(), **counts}, model.timeseries()


def warm() -> None:
    """One default run, discarded, its first month stepped through: loads the compiled kernels of a run
    (its burn-in, its months' loop) and of the submodels' functions, which finish a month that outgrows
    a store, from numba's cache (about 0.2 s; on a machine's first run the loop compiles them all). The
    engine does it once before it forks its workers, so none of them loads them again."""
    model = VillageModel(seed=0, strategy="hybrid")
    model.step()
    model.run_model()


__all__ = ["simulate", "warm"]
