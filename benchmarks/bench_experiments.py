"""Throughput of the experiment executors, and the engine's overhead over the model's own time.

    .venv/bin/python benchmarks/bench_experiments.py [--runs 200] [--workers N] [--scenario hybrid]

Prints runs per second for each executor and the speed-ups (targets, issue 5: processes
at least 1.7x serial on 2 cores; Dask within 15% of processes). Times are end to end, as
a user sees them: pool or cluster start-up, every run, every Parquet part written. The
Dask line is timed again on a LocalCluster already running, to show what start-up costs.

Overhead (issue 14, target < 10%): the same runs' models are first timed alone in this
process (build and run, nothing else); the overhead is the share of an executor's
worker-time not spent in them: 1 - model time / (wall time x workers). It holds
everything the engine adds: the monthly table, scheduling, pickling, Parquet writes,
pool start-up and a last batch that leaves a worker idle.
"""

from __future__ import annotations

import argparse
import logging
import resource
import tempfile
import time
from pathlib import Path

from experiments.engine import cpu_count, execute, plan
from experiments.spec import make_experiment
from sim.model import VillageModel


def cpu() -> float:
    """CPU seconds of this process and of its children that have ended (pool and cluster workers)."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def timed(experiment, out: Path, **how) -> tuple[float, float]:
    """Runs per second (wall time) and CPU seconds spent, pool or cluster start-up included."""
    start, used = time.perf_counter(), cpu()
    outcome = execute(experiment, out, progress=False, **how)
    seconds, used = time.perf_counter() - start, cpu() - used
    if outcome.failed:
        raise SystemExit(f"{outcome.failed} runs failed: {outcome.errors[:1]}")
    return experiment.n_runs / seconds, used


def model_seconds(experiment) -> tuple[float, float]:
    """Wall and CPU seconds of the experiment's models alone: construction and months, no tables, no storage."""
    runs, _ = plan(experiment)
    VillageModel(runs[0].params, seed=runs[0].seed).run_model()  # warm-up: imports, compiled kernels
    start, used = time.perf_counter(), time.process_time()
    for run in runs:
        VillageModel(run.params, seed=run.seed).run_model()
    return time.perf_counter() - start, time.process_time() - used


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="runs of the default village (default 200)")
    parser.add_argument("--workers", type=int, default=cpu_count(), help="workers (default: one per core)")
    parser.add_argument("--scenario", default="hybrid", help="scenario (default: hybrid, where every process works)")
    args = parser.parse_args()
    experiment = make_experiment([args.scenario], replicates=args.runs, seed=2026, name="bench")
    print(f"{args.runs} runs of {args.scenario}, {args.workers} workers, {cpu_count()} cores")
    alone, alone_cpu = model_seconds(experiment)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        serial, serial_cpu = timed(experiment, root / "serial", executor="serial")
        processes, processes_cpu = timed(experiment, root / "processes", executor="processes", workers=args.workers)
        dask, _ = timed(experiment, root / "dask", executor="dask", dask_address="local", workers=args.workers)
        from dask.distributed import LocalCluster

        with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None,
                          silence_logs=logging.ERROR) as cluster:
            warm, _ = timed(experiment, root / "dask-warm", executor="dask", dask_address=cluster.scheduler_address)
    per_run = alone / args.runs
    print(f"model alone          {1 / per_run:7.2f} runs/s   ({per_run * 1e3:.1f} ms a run, "
          f"{alone_cpu / args.runs * 1e3:.1f} ms CPU)")
    print("overhead: share of worker time not spent in the models (target < 10%); by wall time, and by CPU time "
          "(robust to other load on the machine)")
    for name, rate, workers, used in (("serial", serial, 1, serial_cpu), ("processes", processes, args.workers,
                                      processes_cpu), ("dask, cluster up", warm, args.workers, None)):
        by_cpu = f"   by CPU {1 - alone_cpu / used:6.1%}" if used else ""
        print(f"  {name:17s} by wall {1 - per_run * rate / workers:6.1%}{by_cpu}")
    print(f"serial               {serial:7.2f} runs/s")
    print(f"processes            {processes:7.2f} runs/s   {processes / serial:5.2f}x serial   "
          "(target >= 1.7x on 2 cores)")
    print(f"dask LocalCluster    {dask:7.2f} runs/s   {dask / serial:5.2f}x serial   "
          f"{dask / processes:5.2f}x processes (target >= 0.85x)")
    print(f"dask, cluster up     {warm:7.2f} runs/s   {warm / serial:5.2f}x serial   "
          f"{warm / processes:5.2f}x processes")


if __name__ == "__main__":
    main()
