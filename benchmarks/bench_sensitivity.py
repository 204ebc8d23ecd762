"""Time the default Morris screening and estimate what a full Sobol' analysis would take.

    .venv/bin/python benchmarks/bench_sensitivity.py [--trajectories 10] [--workers N] [--out DIR]

Runs exactly what ``berdaya sensitivity`` runs by default (every parameter with a range,
10 trajectories, 1 replicate, the default strategy's shipped scenario) and prints the
wall time, the number of runs and runs per second. From the mean time of one run (as
the engine records it in each row) it estimates the time of Sobol' analyses: on this
machine's cores at the measured throughput, and on a 32-worker Dask cluster assuming
the same time per run and no scheduling overhead (batches of up to 32 runs keep it small).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import pandas as pd

from analysis.studies.sensitivity import DEFAULT_SAMPLES, DEFAULT_TOP, block_size, run_sensitivity, schema_factors
from experiments.engine import EngineOptions, cpu_count
from sim.params import fields
from sim.scenario import resolve_scenario


def hours(seconds: float) -> str:
    return f"{seconds / 3600:.1f} h" if seconds >= 3600 else f"{seconds / 60:.1f} min"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trajectories", type=int, default=DEFAULT_SAMPLES["morris"])
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: a temporary one)")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="bench-sensitivity-"))
    factors = schema_factors(None)
    scenario = resolve_scenario(fields()["strategy"].default)
    workers = args.workers or cpu_count()
    load = os.getloadavg()[0]
    start = time.perf_counter()
    analysis = run_sensitivity(
        factors,
        out,
        method="morris",
        samples=args.trajectories,
        scenario=scenario,
        engine=EngineOptions(workers=workers, progress=False),
    )
    wall = time.perf_counter() - start
    runs = analysis.runs
    per_run = float(pd.read_parquet(analysis.out / "runs")["wall_time"].mean())
    rate = runs / wall
    print(
        f"Morris screening: {len(factors)} parameters + noise dummy, {args.trajectories} trajectories, "
        f"scenario {scenario.stem}, {workers} workers (cores here: {cpu_count()}, load average before: {load:.1f})"
    )
    print(
        f"  runs: {runs} ({analysis.failed} failed)   wall time: {wall:.1f} s (analysis and figures included)   "
        f"throughput: {rate:.2f} runs/s   mean time of one run: {per_run:.3f} s"
    )
    print("Estimated Sobol' analyses (base samples N; runs = N x (k + 3), k parameters + the dummy):")
    cases = [(DEFAULT_TOP, DEFAULT_SAMPLES["sobol"]), (len(factors), DEFAULT_SAMPLES["sobol"]), (len(factors), 1024)]
    for k, n in cases:
        total = n * block_size("sobol", k + 1)
        here = total / rate
        dask = total * per_run / 32
        print(
            f"  k={k:3d} N={n:5d}: {total:7d} runs   here ({workers} workers): {hours(here):>9}   "
            f"32 Dask workers: {hours(dask):>9}"
        )
    print(f"results kept in {out}")


if __name__ == "__main__":
    main()
