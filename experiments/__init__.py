"""Experiments: many runs of the village model (replicates, sweeps) on serial, process or Dask executors.

``load_experiment`` reads a TOML experiment file, ``make_experiment`` builds one in
Python, ``run_experiment`` runs it into a folder of Parquet tables and ``read_results``
reads them back as pandas DataFrames. The names load on first use (PEP 562), so a light
submodule such as ``experiments.provenance`` does not load the engine.
"""

import importlib

_HOMES = {
    "Results": "experiments.engine",
    "read_results": "experiments.engine",
    "run_experiment": "experiments.engine",
    "Experiment": "experiments.spec",
    "load_experiment": "experiments.spec",
    "make_experiment": "experiments.spec",
    "sweep_points": "experiments.spec",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module 'experiments' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)
