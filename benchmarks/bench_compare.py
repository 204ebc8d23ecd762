"""The default ``berdaya compare`` end to end, with the burn-in shared and with every run building its own.

    .venv/bin/python benchmarks/bench_compare.py [--rounds 2] [--workers N]

Each round runs the whole command (the four strategies, 30 paired replicates, the factorial
decomposition, the report) once each way, alternating, in fresh output folders, after one
warm-up run that compiles or loads every numba kernel. "Whole" swaps the runner's
``VillageModel.shared`` for a plain ``VillageModel(params, seed)``, as before issue 26; the
worker processes are forked from this one and inherit the swap. Prints, for each run, its
wall seconds and its CPU seconds (this process and its workers: on a shared machine the wall
clock carries other users' load, the CPU time much less), and the ratios of the medians
(target, issue 26: the shared compare <= 10 s warm on 2 cores). First, the runs alone in this
process: the four strategies of 30 replicates through the runner, CPU seconds, both ways.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

from berdaya.cli import main as berdaya
from experiments.engine import cpu_count
from experiments.runner import simulate
from sim.model import VillageModel
from sim.params import STRATEGIES, dotted, make_params


def whole(params, seed: int) -> VillageModel:
    """The runner's model as before the shared burn-in: every run draws and burns in its own village."""
    return VillageModel(params, seed=seed)


def cpu() -> float:
    """CPU seconds of this process and of its finished children (the pool's workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def compare(out: Path, workers: int, shared: bool) -> tuple[float, float]:
    """Wall and CPU seconds of one default ``berdaya compare`` into ``out``."""
    original = VillageModel.__dict__["shared"]
    if not shared:
        VillageModel.shared = staticmethod(whole)
    try:
        start, used = time.perf_counter(), cpu()
        with contextlib.redirect_stdout(io.StringIO()):
            code = berdaya(["compare", "--out", str(out), "--workers", str(workers)])
        seconds, used = time.perf_counter() - start, cpu() - used
    finally:
        VillageModel.shared = original
    if code != 0:
        raise SystemExit(f"berdaya compare exited {code}")
    return seconds, used


def runs_alone(shared: bool, replicates: int = 30) -> float:
    """CPU seconds of the default comparison's runs (every strategy, each replicate's seed) in this process."""
    original = VillageModel.__dict__["shared"]
    if not shared:
        VillageModel.shared = staticmethod(whole)
    try:
        arms = [{dotted(k): v for k, v in make_params(strategy=s).model_dump().items()} for s in STRATEGIES]
        start = time.process_time()
        for seed in range(replicates):
            for params in arms:
                simulate(params, seed)
        return time.process_time() - start
    finally:
        VillageModel.shared = original


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="runs of each way, alternating (default 2)")
    parser.add_argument("--workers", type=int, default=cpu_count(), help="workers (default: one per core)")
    args = parser.parse_args()
    print(f"default berdaya compare, {args.workers} workers, {cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    runs_alone(True, 2)
    alone = {True: [], False: []}
    for _ in range(args.rounds):
        for shared in (False, True):
            alone[shared].append(runs_alone(shared))
    for shared in (False, True):
        shown = ", ".join(f"{v:.2f}" for v in alone[shared])
        print(f"  runs alone, {'shared burn-in' if shared else 'whole':14s} CPU {shown} s")
    ratio = statistics.median(alone[False]) / statistics.median(alone[True])
    print(f"speed-up of the shared burn-in, the 120 runs alone: {ratio:.2f}x")
    times: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        compare(root / "warm-up", args.workers, True)
        for k in range(args.rounds):
            for shared in (False, True):
                times[shared].append(compare(root / f"{'shared' if shared else 'whole'}-{k}", args.workers, shared))
    medians = {}
    for shared, label in ((False, "whole (each run its own burn-in)"), (True, "shared burn-in")):
        for k, what in enumerate(("wall", "CPU")):
            values = [t[k] for t in times[shared]]
            medians[shared, what] = statistics.median(values)
            shown = ", ".join(f"{v:.1f}" for v in values)
            print(f"  {label:34s} {what:4s} {shown} s   median {medians[shared, what]:.1f} s")
    for what in ("wall", "CPU"):
        print(f"speed-up of the shared burn-in, {what}: {medians[False, what] / medians[True, what]:.2f}x")
    print(f"load {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
