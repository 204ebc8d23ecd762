"""How fast the village model runs, against Mesa's own BoltzmannWealth example, and how it scales.

Part 1, ratios measured in one process: the default village (40 x 40 cells, about 960
households) and a large one (200 x 200, about 24,000 households), 120 months, strategy
``hybrid`` (every process works), against BoltzmannWealth with as many agents on a grid
of the same size for as many steps. Rates are agent-steps (household-months) per
second; "construction included" counts building the model, as an experiment pays it.
Each figure is the median over a few seeds after one warm-up run (which also loads any
compiled kernel from its cache); times are CPU seconds of the process (``timed``).

Part 2, scale: 1k, 10k, 100k and 1M households (square grids at the default density),
120 months each, every size in a fresh subprocess so that its peak resident memory
(``ru_maxrss``) is its own.

Part 3, the field's fastest (issue 26): at 960, 24,000 and 1M agents, our village (120
months, construction and burn-in included) against Starsim's SIR on a random network of 4
contacts per agent (121 steps, ``sim.init()`` counted as construction), and, given
``--mesa-frames PYTHON`` (an interpreter with mesa-frames, which pins NumPy 1.x), its polars
BoltzmannWealth (``mesa_frames_boltzmann.py``). Each run in its own subprocess, after a
warm-up in it; rates are agent-steps per CPU second. Starsim is a benchmark dependency
only (``pip install -e '.[bench]'``).

    .venv/bin/python benchmarks/bench_model.py [--repeats 5] [--large-repeats 3] [--mesa-large-repeats 1]
                                               [--sizes 1000,10000,100000,1000000] [--strategy hybrid]
                                               [--field-sizes 960,24000,1000000] [--mesa-frames PYTHON]
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannWealth
from rich.console import Console
from rich.table import Table

from sim import VillageModel
from sim.params import Params

MONTHS = 120
CONFIGS = {"default": (40, 40), "large": (200, 200)}
DENSITY = Params.model_fields["density"].default
SIZES = (1_000, 10_000, 100_000, 1_000_000)
FIELD_SIZES = (960, 24_000, 1_000_000)
STARSIM_STEPS = 121  # start 0, stop 120, dt 1
STARSIM_CONTACTS = 4
MESA_FRAMES = Path(__file__).with_name("mesa_frames_boltzmann.py")


def timed(build: Callable[[int], object], advance: Callable[[object], None], seed: int) -> tuple[float, float, int]:
    """CPU seconds to construct, CPU seconds to run, and the number of agents.

    CPU time of this process, not wall time: both models run in one thread, so on an idle
    machine the two agree, and on a shared one the CPU time leaves out the waits that other
    users' load adds to the wall clock (and that would fall unevenly on short and long runs).
    """
    start = time.process_time()
    model = build(seed)
    built = time.process_time()
    advance(model)
    done = time.process_time()
    return built - start, done - built, agents_of(model)


def agents_of(model) -> int:
    if isinstance(model, VillageModel):
        return model.n_households
    return model.n_agents if hasattr(model, "n_agents") else model.num_agents


def village(width: int, height: int, strategy: str) -> tuple[Callable, Callable]:
    def build(seed: int) -> VillageModel:
        return VillageModel(seed=seed, strategy=strategy, width=width, height=height, months=MONTHS)

    return build, lambda model: model.run_model()


def boltzmann(width: int, height: int, n: int) -> tuple[Callable, Callable]:
    def build(seed: int) -> BoltzmannWealth:
        return BoltzmannWealth(n=n, width=width, height=height, seed=seed)

    def advance(model: BoltzmannWealth) -> None:
        for _ in range(MONTHS):
            model.step()

    return build, advance


def median_times(build: Callable, advance: Callable, repeats: int, warm_up: bool = True) -> dict[str, float]:
    """Median construction, run and total seconds over ``repeats`` seeds (after one warm-up)."""
    if warm_up:
        timed(build, advance, seed=10_000)
    runs = [timed(build, advance, seed) for seed in range(repeats)]
    return {
        "agents": runs[0][2],
        "construct": statistics.median(r[0] for r in runs),
        "run": statistics.median(r[1] for r in runs),
        "total": statistics.median(r[0] + r[1] for r in runs),
    }


def ratios(args, console: Console) -> None:
    table = Table(
        title=f"{MONTHS} months, strategy {args.strategy}, median of repeats; "
        "rate = agent-steps (household-months) per second"
    )
    for column in ("config", "model", "agents", "construct s", "run s", "total s", "rate, total", "rate, run only"):
        table.add_column(column, justify="left" if column in ("config", "model") else "right")
    summary = Table(title=f"rate ratio, VillageModel ({args.strategy}) / BoltzmannWealth (density {DENSITY:g})")
    for column in ("config", "ratio (construction included)", "ratio (run only)"):
        summary.add_column(column, justify="left" if column == "config" else "right")
    for name, (width, height) in CONFIGS.items():
        default = name == "default"
        ours = median_times(*village(width, height, args.strategy), args.repeats if default else args.large_repeats)
        mesa = median_times(
            *boltzmann(width, height, ours["agents"]),
            args.repeats if default else args.mesa_large_repeats,
            warm_up=default,
        )
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
        summary.add_row(name, f"{ours_rate[0] / mesa_rate[0]:.1f}x", f"{ours_rate[1] / mesa_rate[1]:.1f}x")
    console.print(table)
    console.print(summary)


def side(households: int) -> int:
    """Side of the square grid that holds about ``households`` at the default density."""
    return max(5, round(math.sqrt(households / DENSITY)))


def starsim_sir(agents: int) -> tuple[Callable, Callable]:
    """Starsim's SIR on a random network of ``STARSIM_CONTACTS`` contacts, ``STARSIM_STEPS`` steps."""
    import starsim as ss

    def build(seed: int):
        sim = ss.Sim(
            n_agents=agents,
            diseases=ss.SIR(),
            networks=ss.RandomNet(n_contacts=STARSIM_CONTACTS),
            start=0,
            stop=STARSIM_STEPS - 1,
            dt=1,
            rand_seed=seed,
            verbose=0,
        )
        sim.init()
        sim.n_agents = agents
        return sim

    return build, lambda sim: sim.run()


def one_size(households: int, strategy: str, framework: str = "berdaya") -> None:
    """In a subprocess: build and run one village (or Starsim's SIR), print its figures as JSON."""
    if framework == "starsim":
        build, advance = starsim_sir(households)
        timed(*starsim_sir(100), seed=10_000)
    else:
        build, advance = village(side(households), side(households), strategy)
        if households <= 100_000:  # load compiled kernels outside the timing, as a worker does once
            timed(*village(20, 20, strategy), seed=10_000)
    construct, run, agents = timed(build, advance, seed=1)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"agents": agents, "construct": construct, "run": run, "peak": peak}))


def scale(args, console: Console) -> None:
    table = Table(title=f"scale: {MONTHS} months, strategy {args.strategy}, one run per size in its own process")
    for column in ("households", "grid", "construct s", "run s", "total s", "us / household-month", "peak memory"):
        table.add_column(column, justify="right")
    for households in args.sizes:
        width = side(households)
        done = subprocess.run(
            [sys.executable, __file__, "--one-size", str(households), "--strategy", args.strategy],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            table.add_row(
                f"{households:,}", f"{width}x{width}", "failed", done.stderr.strip().splitlines()[-1], "", "", ""
            )
            continue
        f = json.loads(done.stdout.strip().splitlines()[-1])
        total = f["construct"] + f["run"]
        table.add_row(
            f"{f['agents']:,}",
            f"{width}x{width}",
            f"{f['construct']:.2f}",
            f"{f['run']:.2f}",
            f"{total:.2f}",
            f"{total / (f['agents'] * MONTHS) * 1e6:.2f}",
            f"{f['peak'] / 2**30:.2f} GiB",
        )
    console.print(table)


def subprocess_figures(command: list[str]) -> dict | str:
    """The JSON line a benchmark subprocess prints, or its last error line."""
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return (done.stderr.strip().splitlines() or ["failed"])[-1]
    return json.loads(done.stdout.strip().splitlines()[-1])


def field(args, console: Console) -> None:
    """Part 3: our village against Starsim's SIR (and mesa-frames' Boltzmann) at each field size."""
    table = Table(
        title="against the field: agent-steps per CPU second, construction included; each run its own process"
    )
    for column in ("agents", "model", "steps", "construct s", "run s", "rate", "ours / it", "peak memory"):
        table.add_column(column, justify="left" if column == "model" else "right")
    me = [sys.executable, __file__, "--strategy", args.strategy, "--one-size"]
    for n in args.field_sizes:
        ours = subprocess_figures([*me, str(n)])
        runs = [("VillageModel " + args.strategy, MONTHS, ours)]
        runs.append(("Starsim SIR", STARSIM_STEPS, subprocess_figures([*me, str(n), "--framework", "starsim"])))
        if args.mesa_frames:
            frames = subprocess_figures([args.mesa_frames, str(MESA_FRAMES), str(n), str(MONTHS)])
            runs.append(("mesa-frames Boltzmann", MONTHS, frames))
        ours_rate = ours["agents"] * MONTHS / (ours["construct"] + ours["run"]) if isinstance(ours, dict) else None
        for label, steps, f in runs:
            if not isinstance(f, dict):
                table.add_row(f"{n:,}", label, str(steps), "failed", f, "", "", "")
                continue
            rate = f["agents"] * steps / (f["construct"] + f["run"])
            wall = f" (wall {f['agents'] * steps / f['wall'] / 1e6:.2f} M)" if "wall" in f else ""
            table.add_row(
                f"{f['agents']:,}",
                label,
                str(steps),
                f"{f['construct']:.2f}",
                f"{f['run']:.2f}",
                f"{rate / 1e6:.2f} M{wall}",
                "" if label.startswith("VillageModel") or ours_rate is None else f"{ours_rate / rate:.2f}x",
                f"{f['peak'] / 2**30:.2f} GiB" if "peak" in f else "",
            )
    console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="repeats of the default configuration")
    parser.add_argument("--large-repeats", type=int, default=3, help="repeats of our large configuration")
    parser.add_argument("--mesa-large-repeats", type=int, default=1, help="repeats of Mesa's large configuration")
    parser.add_argument("--strategy", default="hybrid", help="strategy of our village (default: hybrid)")
    parser.add_argument(
        "--sizes",
        type=lambda s: [int(v) for v in s.split(",") if v],
        default=list(SIZES),
        help="households per scale run, comma-separated (empty: skip part 2)",
    )
    parser.add_argument(
        "--field-sizes",
        type=lambda s: [int(v) for v in s.split(",") if v],
        default=list(FIELD_SIZES),
        help="agents per run against Starsim (and mesa-frames), comma-separated (empty: skip part 3)",
    )
    parser.add_argument("--mesa-frames", help="a Python interpreter with mesa-frames installed (part 3)")
    parser.add_argument("--skip-ratios", action="store_true", help="skip part 1")
    parser.add_argument("--one-size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--framework", default="berdaya", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one_size:
        one_size(args.one_size, args.strategy, args.framework)
        return
    console = Console(width=120)
    if not args.skip_ratios:
        ratios(args, console)
    if args.sizes:
        scale(args, console)
    if args.field_sizes:
        field(args, console)


if __name__ == "__main__":
    main()
