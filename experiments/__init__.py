"""Experiments: many runs of the village model (replicates, sweeps) on serial, process or Dask executors.

``load_experiment`` reads a TOML experiment file, ``make_experiment`` builds one in
Python, ``run_experiment`` runs it into a folder of Parquet tables and ``read_results``
reads them back as pandas DataFrames.
"""

from experiments.engine import Results, read_results, run_experiment
from experiments.spec import Experiment, load_experiment, make_experiment, sweep_points

__all__ = [
    "Experiment",
    "Results",
    "load_experiment",
    "make_experiment",
    "read_results",
    "run_experiment",
    "sweep_points",
]
