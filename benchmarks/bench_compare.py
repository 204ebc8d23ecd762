"""The default ``berdaya compare`` end to end, with the burn-in shared and with every run building its own.

    .venv/bin/python benchmarks/bench_compare.py [--rounds 2] [--workers N]

Each round runs the whole command (the four strategies, 30 paired replicates, the factorial
decomposition, the report) once each way, alternating, in fresh output folders, after one
warm-up run that compiles or loads every numba kernel. "Whole" swaps the runner's
``VillageModel.shared`` for a plain ``VillageModel(params, seed)``, as before issue 26; the
worker processes are forked from this one and inherit the swap. Prints wall seconds of each
run and the ratio of the medians (target, issue 26: the shared compare <= 10 s warm on 2 cores).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import tempfile
import time
from pathlib import Path

from berdaya.cli import main as berdaya
from experiments.engine import cpu_count
from sim.model import VillageModel


def whole(params, seed: int) -> VillageModel:
    """The runner's model as before the shared burn-in: every run draws and burns in its own village."""
    return VillageModel(params, seed=seed)


def compare(out: Path, workers: int, shared: bool) -> float:
    """Wall seconds of one default ``berdaya compare`` into ``out``."""
    original = VillageModel.__dict__["shared"]
    if not shared:
        VillageModel.shared = staticmethod(whole)
    try:
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            code = berdaya(["compare", "--out", str(out), "--workers", str(workers)])
        seconds = time.perf_counter() - start
    finally:
        VillageModel.shared = original
    if code != 0:
        raise SystemExit(f"berdaya compare exited {code}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="runs of each way, alternating (default 2)")
    parser.add_argument("--workers", type=int, default=cpu_count(), help="workers (default: one per core)")
    args = parser.parse_args()
    print(f"default berdaya compare, {args.workers} workers, {cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    times: dict[bool, list[float]] = {True: [], False: []}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        compare(root / "warm-up", args.workers, True)
        for k in range(args.rounds):
            for shared in (False, True):
                times[shared].append(compare(root / f"{'shared' if shared else 'whole'}-{k}", args.workers, shared))
    for shared, label in ((False, "whole (each run its own burn-in)"), (True, "shared burn-in")):
        shown = ", ".join(f"{t:.1f}" for t in times[shared])
        print(f"  {label:34s} {shown} s   median {statistics.median(times[shared]):.1f} s")
    ratio = statistics.median(times[False]) / statistics.median(times[True])
    print(f"speed-up of the shared burn-in: {ratio:.2f}x   (load {os.getloadavg()[0]:.1f} at the end)")


if __name__ == "__main__":
    main()
