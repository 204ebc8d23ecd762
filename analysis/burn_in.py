"""How long the burn-in must be: the drift of the baseline village from its drawn start.

``make burn-in`` (or ``python -m analysis.burn_in``) runs the default village with no
programme and no burn-in for ``--months`` months, for several seeds, and prints the mean over
seeds of dependency, awareness, consumption, patron debt and the share in (spontaneous) groups,
by blocks of ``--block`` months, with each block's change from the one before. A quantity has
settled from the month on which the mean over every later window of ``--block`` months lies
within its tolerance of the mean of the last ``--tail`` months; the burn-in the village needs is
the latest such month over the quantities
(docs/ODD.md §5 quotes the run behind ``burn_in_months``).
"""

from __future__ import annotations

import argparse

import numpy as np

from sim import VillageModel

# Quantity -> how close to its long-run level it must stay (absolute; consumption relative).
TOLERANCE = {
    "dependency": 0.001,
    "awareness": 0.002,
    "consumption": 0.005,
    "patron_debt": 0.003,
    "in_group_share": 0.002,
}


def trajectories(seeds: int, months: int) -> dict[str, np.ndarray]:
    """Mean over seeds of each quantity, month by month, from the drawn village (month 0) on."""
    runs = []
    for seed in range(seeds):
        model = VillageModel(seed=seed, strategy="baseline", burn_in_months=0, months=months)
        model.run_model()
        runs.append(model.timeseries()[list(TOLERANCE)].to_numpy())
    mean = np.mean(runs, axis=0)
    return {name: mean[:, k] for k, name in enumerate(TOLERANCE)}


def settled(series: np.ndarray, block: int, tail: int, name: str) -> int:
    """The first month from which the mean over every later window of ``block`` months stays within
    tolerance of the mean of the last ``tail`` months."""
    level = series[-tail:].mean()
    limit = TOLERANCE[name] * (abs(level) if name == "consumption" else 1.0)
    windows = np.convolve(series, np.ones(block) / block, mode="valid")  # windows[t]: months t .. t + block - 1
    far = np.flatnonzero(np.abs(windows - level) > limit)
    return int(far[-1]) + 1 if len(far) else 0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=32)
    parser.add_argument("--months", type=int, default=600)
    parser.add_argument("--block", type=int, default=60)
    parser.add_argument("--tail", type=int, default=240)
    args = parser.parse_args(argv)
    series = trajectories(args.seeds, args.months)
    names = list(TOLERANCE)
    print(f"baseline village, no burn-in, mean over seeds 0-{args.seeds - 1}; by blocks of {args.block} months")
    print("months     " + "".join(f"{n:>22}" for n in names))
    previous = None
    for start in range(0, args.months - args.block + 1, args.block):
        means = [series[n][start + 1 : start + args.block + 1].mean() for n in names]
        change = [m - p for m, p in zip(means, previous)] if previous else [0.0] * len(names)
        cells = "".join(f"{m:>12.4f} ({c:+.4f})" for m, c in zip(means, change))
        print(f"{start:>4}-{start + args.block:<5}{cells}")
        previous = means
    where = {n: settled(series[n][1:], args.block, args.tail, n) for n in names}
    print("settled by month: " + ", ".join(f"{n} {m}" for n, m in where.items()))
    print(f"burn-in needed: {max(where.values())} months (tolerances {TOLERANCE})")


if __name__ == "__main__":
    main()
