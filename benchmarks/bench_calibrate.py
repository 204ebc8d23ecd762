"""Seconds per ABC-SMC evaluation (the four scenarios on one village, twins included), and 2,000 of them.

Times ``analysis.studies.smc.Simulator`` on particles drawn from the prior, at the default
village and at a small one, in one process, and prints the time 2,000 evaluations would take
on ``--workers`` processes (evaluation time only; pyabc's own work between generations is
small beside it). Usage: ``python benchmarks/bench_calibrate.py --evaluations 6 --workers 2``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from analysis.studies.smc import simulator
from sim.params import calibration_priors

SIZES = {"default village (40 x 40)": {}, "small village (20 x 20)": {"village.width": 20, "village.height": 20}}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--evaluations", type=int, default=6)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--budget", type=int, default=2000)
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    priors = calibration_priors()
    particles = [{k: float(rng.uniform(lo, hi)) for k, (lo, hi) in priors.items()} for _ in range(args.evaluations)]
    for label, overrides in SIZES.items():
        model = simulator(1, overrides, None, ())
        model(particles[0])  # compile and warm up
        wall, cpu = time.perf_counter(), time.process_time()
        for particle in particles:
            model(particle)
        wall = (time.perf_counter() - wall) / len(particles)
        cpu = (time.process_time() - cpu) / len(particles)
        minutes = args.budget * wall / args.workers / 60
        print(
            f"{label}: {wall:.2f} s wall ({cpu:.2f} s CPU) per evaluation; "
            f"{args.budget} evaluations on {args.workers} workers ~ {minutes:.0f} min"
        )


if __name__ == "__main__":
    main()
