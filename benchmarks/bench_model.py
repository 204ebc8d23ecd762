"""How fast the village model runs, against Mesa's own BoltzmannWealth example in the same process.

Two configurations, as Mesa's benchmarks keep them: the default village (40 x 40 cells,
about 960 households) and a large one (200 x 200, about 24,000 households), 120 months
each. Construction and running are timed apart; each figure is the median of a few
repeats with different seeds. BoltzmannWealth runs with as many agents, on a grid of
the same size, for as many steps. Rates are household-months (agent-steps) per second.

    .venv/bin/python benchmarks/bench_model.py [--repeats 7] [--large-repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannWealth
from rich.console import Console
from rich.table import Table

from sim import VillageModel
from sim.params import Params

MONTHS = 120
CONFIGS = {"default": (40, 40), "large": (200, 200)}
DENSITY = Params.model_fields["density"].default


def timed(build: Callable[[int], object], advance: Callable[[object], None], seed: int) -> tuple[float, float, int]:
    """Seconds to construct, seconds to run, and the number of agents."""
    start = time.perf_counter()
    model = build(seed)
    built = time.perf_counter()
    advance(model)
    done = time.perf_counter()
    return built - start, done - built, agents_of(model)


def agents_of(model) -> int:
    return model.n_households if isinstance(model, VillageModel) else model.num_agents


def village(width: int, height: int) -> tuple[Callable, Callable]:
    def build(seed: int) -> VillageModel:
        return VillageModel(seed=seed, width=width, height=height, months=MONTHS)

    return build, lambda model: model.run_model()


def boltzmann(width: int, height: int, n: int) -> tuple[Callable, Callable]:
    def build(seed: int) -> BoltzmannWealth:
        return BoltzmannWealth(n=n, width=width, height=height, seed=seed)

    def advance(model: BoltzmannWealth) -> None:
        for _ in range(MONTHS):
            model.step()

    return build, advance


def median_times(build: Callable, advance: Callable, repeats: int) -> dict[str, float]:
    """Median construction, run and total seconds over ``repeats`` seeds (after one warm-up)."""
    timed(build, advance, seed=10_000)
    runs = [timed(build, advance, seed) for seed in range(repeats)]
    agents = runs[0][2]
    return {
        "agents": agents,
        "construct": statistics.median(r[0] for r in runs),
        "run": statistics.median(r[1] for r in runs),
        "total": statistics.median(r[0] + r[1] for r in runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="repeats of the default configuration")
    parser.add_argument("--large-repeats", type=int, default=3, help="repeats of the large configuration")
    args = parser.parse_args()

    console = Console(width=120)
    table = Table(title=f"{MONTHS} months, median of repeats; rate = household-months (agent-steps) per second")
    for column in ("config", "model", "agents", "construct s", "run s", "total s", "rate, total", "rate, run only"):
        table.add_column(column, justify="left" if column in ("config", "model") else "right")
    ratios = Table(title=f"rate ratio, VillageModel / BoltzmannWealth (density {DENSITY:g})")
    for column in ("config", "ratio (construction included)", "ratio (run only)"):
        ratios.add_column(column, justify="left" if column == "config" else "right")

    for name, (width, height) in CONFIGS.items():
        repeats = args.repeats if name == "default" else args.large_repeats
        ours = median_times(*village(width, height), repeats)
        mesa = median_times(*boltzmann(width, height, ours["agents"]), repeats)
        rates = {}
        for label, figures in (("VillageModel", ours), ("BoltzmannWealth", mesa)):
            steps = figures["agents"] * MONTHS
            rates[label] = (steps / figures["total"], steps / figures["run"])
            table.add_row(
                f"{name} {width}x{height}",
                label,
                f"{figures['agents']:,}",
                f"{figures['construct']:.4f}",
                f"{figures['run']:.4f}",
                f"{figures['total']:.4f}",
                f"{rates[label][0]:,.0f}",
                f"{rates[label][1]:,.0f}",
            )
        ours_rate, mesa_rate = rates["VillageModel"], rates["BoltzmannWealth"]
        ratios.add_row(name, f"{ours_rate[0] / mesa_rate[0]:.1f}x", f"{ours_rate[1] / mesa_rate[1]:.1f}x")
    console.print(table)
    console.print(ratios)


if __name__ == "__main__":
    main()
