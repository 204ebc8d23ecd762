"""The default ``berdaya compare`` end to end: before and after issue 26's work outside the model, and where its time goes.

    .venv/bin/python benchmarks/bench_compare.py [--rounds 2] [--workers N]

First, the runs alone in this process: the four strategies of 30 replicates through the runner,
CPU seconds, with the burn-in shared and with every run building its own village.

Then the whole command (the four strategies, 30 paired replicates, the factorial decomposition,
the switch points, the report), each in a fresh process (as a user runs it: nothing loaded or
drawn before), after one warm-up run that compiles or loads every numba kernel, each round once
each way, in fresh output folders, the order alternating from round to round (so a load that
rises or falls during the benchmark falls on both ways alike):

- "before": the report draws its figures after its statistics in its own process, and every
  worker process loads the model's compiled kernels itself (``asides`` and the engine's
  ``_warm`` swapped for what they replaced, in the command's process);
- "now": the code as it is.

Prints each run's wall seconds and CPU seconds (the command and its workers: on a shared
machine the wall clock carries other users' load, the CPU time much less), the ratios of the
medians (target, issue 26: the default compare <= 10 s warm on 2 cores), and then the time of
each stage of one more "now" run in this process: its own CPU, its children's CPU and the wall
clock.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from analysis import report
from berdaya.cli import main as berdaya
from berdaya.commands import compare as command
from experiments.engine import cpu_count
from experiments.runner import simulate
from sim.model import VillageModel
from sim.params import STRATEGIES, dotted, make_params

STAGES = (
    (command, "execute", "runs (engine: the three experiments)"),
    (command, "load", "reading stored runs between experiments"),
    (report, "load", "report: reading the runs"),
    (report, "summarise", "report: summary table"),
    (report, "_decide", "report: decision analysis"),
    (report, "compare_pairs", "report: pairs of strategies"),
    (report, "_switch_points", "report: switch points"),
    (report, "_decomposition", "report: decomposition"),
    (report, "draw", "report: figures drawn here"),
    (report, "compute", "report: all of compute"),
    (command, "build", "report: all (compute and writing)"),
)


def cpu() -> tuple[float, float]:
    """CPU seconds of this process and of its finished children (the pool's workers, the figures' process)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


# The command as before: figures drawn inline, no warm-up of the runner before forking the workers.
BEFORE = (
    "import sys; from concurrent.futures import Future; from analysis import report; from experiments import engine\n"
    "def inline(function, calls):\n"
    "    futures = [Future() for _ in calls]\n"
    "    for future, args in zip(futures, calls): future.set_result(function(*args))\n"
    "    return futures\n"
    "report.asides = inline; engine._warm = lambda runner: None\n"
    "from berdaya.cli import main; sys.exit(main(sys.argv[1:]))"
)
NOW = "import sys; from berdaya.cli import main; sys.exit(main(sys.argv[1:]))"


def children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def command_run(way: str, out: Path, workers: int) -> tuple[float, float]:
    """Wall and CPU seconds of one default ``berdaya compare`` into ``out`` in a fresh process, ``way`` before or now."""
    start, used = time.perf_counter(), children_cpu()
    code = BEFORE if way == "before" else NOW
    subprocess.run(
        [sys.executable, "-c", code, "compare", "--out", str(out), "--workers", str(workers)],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start, children_cpu() - used


@contextlib.contextmanager
def timed_stages(found: dict[str, list[float]]):
    """Wrap each of ``STAGES`` to add its wall, own CPU and children's CPU seconds to ``found``."""
    kept = []
    for module, name, label in STAGES:
        original = getattr(module, name)
        kept.append((module, name, original))

        @functools.wraps(original)
        def wrapper(*args, _original=original, _label=label, **kwargs):
            wall, (own, children) = time.perf_counter(), cpu()
            try:
                return _original(*args, **kwargs)
            finally:
                own2, children2 = cpu()
                row = found[_label]
                row[0] += time.perf_counter() - wall
                row[1] += own2 - own
                row[2] += children2 - children

        setattr(module, name, wrapper)
    try:
        yield
    finally:
        for module, name, original in kept:
            setattr(module, name, original)


def compare(out: Path, workers: int) -> tuple[float, float]:
    """Wall and CPU seconds (this process and its children) of one default ``berdaya compare`` into ``out``."""
    start, (own, children) = time.perf_counter(), cpu()
    with contextlib.redirect_stdout(io.StringIO()):
        code = berdaya(["compare", "--out", str(out), "--workers", str(workers)])
    seconds, (own2, children2) = time.perf_counter() - start, cpu()
    if code != 0:
        raise SystemExit(f"berdaya compare exited {code}")
    return seconds, own2 - own + children2 - children


def whole(params, seed: int) -> VillageModel:
    """The runner's model as before the shared burn-in: every run draws and burns in its own village."""
    return VillageModel(params, seed=seed)


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
        print(f"  the 120 runs alone, {'shared burn-in' if shared else 'whole':14s} CPU {shown} s")
    ratio = statistics.median(alone[False]) / statistics.median(alone[True])
    print(f"speed-up of the shared burn-in, the 120 runs alone: {ratio:.2f}x")
    times: dict[str, list[tuple[float, float]]] = {"before": [], "now": []}
    stages: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        command_run("now", root / "warm-up", args.workers)
        for k in range(args.rounds):
            for way in ("before", "now") if k % 2 == 0 else ("now", "before"):
                times[way].append(command_run(way, root / f"{way}-{k}", args.workers))
        with timed_stages(stages):
            compare(root / "stages", args.workers)
    medians = {}
    for way in ("before", "now"):
        for k, what in enumerate(("wall", "CPU")):
            values = [t[k] for t in times[way]]
            medians[way, what] = statistics.median(values)
            shown = ", ".join(f"{v:.1f}" for v in values)
            print(f"  {way:6s} {what:4s} {shown} s   median {medians[way, what]:.1f} s")
    for what in ("wall", "CPU"):
        print(f"speed-up, before / now, {what}: {medians['before', what] / medians['now', what]:.2f}x")
    print(
        "stages of one more 'now' run in this process (seconds; a stage's children are its worker or figure processes):"
    )
    for _, _, label in STAGES:
        if label in stages:
            wall, own, children = stages[label]
            print(f"  {label:42s} wall {wall:6.2f}   CPU here {own:6.2f}   CPU children {children:6.2f}")
    print(f"load {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
