"""Throughput of the experiment executors: the same runs serially, on local processes and on Dask.

    .venv/bin/python benchmarks/bench_experiments.py [--runs 200] [--workers N] [--scenario area_based]

Prints runs per second for each executor and the speed-ups (targets, issue 5: processes
at least 1.7x serial on 2 cores; Dask within 15% of processes). Times are end to end, as
a user sees them: pool or cluster start-up, every run, every Parquet part written. The
last line times Dask again on a LocalCluster already running, to show what start-up costs.
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time
from pathlib import Path

from experiments.engine import cpu_count, execute
from experiments.spec import make_experiment


def timed(experiment, out: Path, **how) -> float:
    start = time.perf_counter()
    outcome = execute(experiment, out, progress=False, **how)
    seconds = time.perf_counter() - start
    if outcome.failed:
        raise SystemExit(f"{outcome.failed} runs failed: {outcome.errors[:1]}")
    return experiment.n_runs / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="runs of the default village (default 200)")
    parser.add_argument("--workers", type=int, default=cpu_count(), help="workers (default: one per core)")
    parser.add_argument("--scenario", default="area_based", help="scenario (default: area_based, the defaults)")
    args = parser.parse_args()
    experiment = make_experiment([args.scenario], replicates=args.runs, seed=2026, name="bench")
    print(f"{args.runs} runs of {args.scenario}, {args.workers} workers, {cpu_count()} cores")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        serial = timed(experiment, root / "serial", executor="serial")
        processes = timed(experiment, root / "processes", executor="processes", workers=args.workers)
        dask = timed(experiment, root / "dask", executor="dask", dask_address="local", workers=args.workers)
        from dask.distributed import LocalCluster

        with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None,
                          silence_logs=logging.ERROR) as cluster:
            warm = timed(experiment, root / "dask-warm", executor="dask", dask_address=cluster.scheduler_address)
    print(f"serial               {serial:7.2f} runs/s")
    print(f"processes            {processes:7.2f} runs/s   {processes / serial:5.2f}x serial   "
          "(target >= 1.7x on 2 cores)")
    print(f"dask LocalCluster    {dask:7.2f} runs/s   {dask / serial:5.2f}x serial   "
          f"{dask / processes:5.2f}x processes (target >= 0.85x)")
    print(f"dask, cluster up     {warm:7.2f} runs/s   {warm / serial:5.2f}x serial   "
          f"{warm / processes:5.2f}x processes")


if __name__ == "__main__":
    main()
