"""Throughput of the experiment executors, and the engine's overhead over its runs' own time.

    .venv/bin/python benchmarks/bench_experiments.py [--runs 200] [--workers N] [--scenario hybrid]

Prints runs per second for each executor and the speed-ups (targets, issue 5: processes
at least 1.7x serial on 2 cores; Dask within 15% of processes). Times are end to end, as
a user sees them: pool or cluster start-up, every run, every Parquet part written. The
Dask line is timed again on a LocalCluster already running, to show what start-up costs.

Overhead (issue 14, target < 10%): each stored run row carries the time its run took
inside the worker (``wall_time``: the model, its monthly table and summary); the
overhead is the share of the executor's worker-time not spent in runs,
1 - sum(wall_time) / (wall time x workers), measured within the same experiment so that
other load on a shared machine falls on both sides alike. It holds everything the engine
adds: scheduling, pickling, Parquet writes, pool start-up and a last batch that leaves a
worker idle.
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time
from pathlib import Path

from experiments.engine import EngineOptions, cpu_count, execute
from experiments.spec import make_experiment
from experiments.store import read_manifest, read_results


def timed(experiment, out: Path, **how) -> tuple[float, float]:
    """Runs per second, and the share of worker-time spent outside the runs (the engine's overhead)."""
    start = time.perf_counter()
    outcome = execute(experiment, out, EngineOptions(progress=False, **how))
    seconds = time.perf_counter() - start
    if outcome.failed:
        raise SystemExit(f"{outcome.failed} runs failed: {outcome.errors[:1]}")
    workers = read_manifest(out)["sessions"][-1]["workers"]
    in_runs = float(read_results(out).runs["wall_time"].sum())
    return experiment.n_runs / seconds, 1.0 - in_runs / (seconds * workers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="runs of the default village (default 200)")
    parser.add_argument("--workers", type=int, default=cpu_count(), help="workers (default: one per core)")
    parser.add_argument("--scenario", default="hybrid", help="scenario (default: hybrid, where every process works)")
    args = parser.parse_args()
    experiment = make_experiment([args.scenario], replicates=args.runs, seed=2026, name="bench")
    print(f"{args.runs} runs of {args.scenario}, {args.workers} workers, {cpu_count()} cores")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        serial, serial_over = timed(experiment, root / "serial", executor="serial")
        processes, processes_over = timed(experiment, root / "processes", executor="processes", workers=args.workers)
        dask, dask_over = timed(experiment, root / "dask", executor="dask", dask_address="local", workers=args.workers)
        from dask.distributed import LocalCluster

        with LocalCluster(
            n_workers=args.workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster:
            warm, warm_over = timed(
                experiment, root / "dask-warm", executor="dask", dask_address=cluster.scheduler_address
            )
    print("overhead: share of worker time outside the runs (target < 10%)")
    for name, share in (
        ("serial", serial_over),
        ("processes", processes_over),
        ("dask LocalCluster", dask_over),
        ("dask, cluster up", warm_over),
    ):
        print(f"  {name:18s} {share:6.1%}")
    print(f"serial               {serial:7.2f} runs/s")
    print(
        f"processes            {processes:7.2f} runs/s   {processes / serial:5.2f}x serial   "
        "(target >= 1.7x on 2 cores)"
    )
    print(
        f"dask LocalCluster    {dask:7.2f} runs/s   {dask / serial:5.2f}x serial   "
        f"{dask / processes:5.2f}x processes (target >= 0.85x)"
    )
    print(
        f"dask, cluster up     {warm:7.2f} runs/s   {warm / serial:5.2f}x serial   {warm / processes:5.2f}x processes"
    )


if __name__ == "__main__":
    main()
