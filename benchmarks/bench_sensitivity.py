"""Time the default Morris screening and estimate what a full Sobol' analysis would take.

    .venv/bin/python benchmarks/bench_sensitivity.py [--trajectories 10] [--workers N] [--out DIR]

Runs exactly what ``berdaya sensitivity`` runs by default (every parameter with a range,
10 trajectories, 1 replicate, the default strategy's shipped scenario) and prints the
wall time, the number of runs and runs per second. From the mean time of one run (as
the engine records it in each row) it estimates the time of Sobol' analyses: on this
machine's cores at the measured throughput, and on a 32-worker Dask cluster assuming
the same time per run and no scheduling overhead (batches of up to 32 runs keep it small).

    .venv/bin/python benchmarks/bench_sensitivity.py --sobol-sample 200 [--workers N]

instead plans the Sobol' analysis of ``berdaya sensitivity --method sobol --params all`` (N = 256,
every parameter with a range, the default strategy), runs a random sample of its runs in this
process and prints where a run's CPU time goes (the drawn village with its burn-in, the 120
months, the tables) and the whole analysis's time projected on this machine's cores (CPU seconds
of all its runs over the workers; the engine's own overhead, a few per cent, left out). It also
counts how many burn-ins the design would need if the runs of one Saltelli block shared a seed
(they do not: every point has its own seed), the most sharing burn-ins could save.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.studies.sensitivity import (
    DEFAULT_SAMPLES,
    DEFAULT_TOP,
    block_size,
    design,
    points_of,
    repair,
    run_sensitivity,
    schema_factors,
)
from experiments.engine import EngineOptions, cpu_count, plan
from experiments.spec import make_experiment
from sim import model as village
from sim.model import VillageModel
from sim.params import burn_in_key, dotted, fields, make_params
from sim.scenario import load_scenario, resolve_scenario


def hours(seconds: float) -> str:
    return f"{seconds / 3600:.1f} h" if seconds >= 3600 else f"{seconds / 60:.1f} min"


def sobol_sample(sample: int, workers: int) -> None:
    """Time a random sample of the runs of the default Sobol' analysis over every parameter; project the whole."""
    factors = schema_factors(None)
    scenario = resolve_scenario(fields()["strategy"].default)
    samples, seed = DEFAULT_SAMPLES["sobol"], 1
    points = points_of(design("sobol", factors, samples, seed), factors)
    resolved = {dotted(k): v for k, v in load_scenario(scenario).params.model_dump().items()}
    repair(points, resolved)
    runs, _ = plan(make_experiment([scenario], points=points, swept=[f.name for f in factors], seed=seed))
    picked = np.random.default_rng(0).choice(len(runs), size=min(sample, len(runs)), replace=False)
    VillageModel(seed=0, strategy="hybrid").run_model()  # kernels loaded, as in a warmed worker
    spent = np.zeros((len(picked), 3))
    months = np.zeros(len(picked))
    for row, index in enumerate(picked):
        run = runs[index]
        village._VILLAGES.clear()  # every point has its own seed: nothing to share
        start = time.process_time()
        burned = VillageModel.burned_in(run.params, run.seed)
        built = time.process_time()
        model = burned.fork(run.params)
        model.run_model()
        ran = time.process_time()
        model.summary(), model.timeseries()
        spent[row] = built - start, ran - built, time.process_time() - ran
        months[row] = burned.p.burn_in_months
    mean = spent.mean(axis=0)
    total = len(runs) * mean.sum()
    print(
        f"Sobol' N={samples}, {len(factors)} parameters + the dummy: {len(runs)} runs; {len(picked)} of them timed "
        f"in this process (CPU, load average {os.getloadavg()[0]:.1f})"
    )
    print(
        f"  per run: village and burn-in {1000 * mean[0]:.1f} ms (burn-in months drawn 0-600, mean "
        f"{months.mean():.0f}), fork and 120 months {1000 * mean[1]:.1f} ms, tables {1000 * mean[2]:.1f} ms"
    )
    print(f"  projected: {hours(total)} of CPU, {hours(total / workers)} on {workers} workers (target: 5 min)")
    keys = [(burn_in_key(make_params(r.params))) for r in runs]
    block = block_size("sobol", len(factors) + 1)
    shared = sum(len(set(keys[i : i + block])) for i in range(0, len(keys), block))
    saved = (len(runs) - shared) * mean[0]
    print(
        f"  with one seed per Saltelli block the runs would need {shared} burn-ins, not {len(runs)}: at most "
        f"{hours(saved / workers)} less on {workers} workers ({hours((total - saved) / workers)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trajectories", type=int, default=DEFAULT_SAMPLES["morris"])
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: a temporary one)")
    parser.add_argument(
        "--sobol-sample", type=int, default=0, metavar="R", help="time R runs of the Sobol' analysis instead"
    )
    args = parser.parse_args()
    if args.sobol_sample:
        sobol_sample(args.sobol_sample, args.workers or cpu_count())
        return
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
