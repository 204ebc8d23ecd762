"""mesa-frames' polars BoltzmannWealth (its README's example), timed for ``bench_model.py``.

mesa-frames 0.1.0a0 pins NumPy 1.x, so it lives in a virtual environment of its own
(``python -m venv mf && mf/bin/pip install mesa-frames``) and ``bench_model.py --mesa-frames
mf/bin/python`` runs this file there:

    mf/bin/python benchmarks/mesa_frames_boltzmann.py AGENTS STEPS

Prints one JSON line: agents, construction and run CPU seconds, and the run's wall seconds
(polars runs on every core, so its CPU time is the sum over its threads).
"""

from __future__ import annotations

import json
import sys
import time

import polars as pl
from mesa_frames import AgentSetPolars, ModelDF


class MoneyAgents(AgentSetPolars):
    def __init__(self, n: int, model: ModelDF) -> None:
        super().__init__(model)
        self += pl.DataFrame({"unique_id": pl.arange(n, eager=True), "wealth": pl.ones(n, eager=True)})

    def step(self) -> None:
        self.do("give_money")

    def give_money(self) -> None:
        self.select(self.wealth > 0)
        other_agents = self.agents.sample(n=len(self.active_agents), with_replacement=True)
        self["active", "wealth"] -= 1
        new_wealth = other_agents.group_by("unique_id").len()
        self[new_wealth, "wealth"] += new_wealth["len"]


class MoneyModel(ModelDF):
    def __init__(self, n: int) -> None:
        super().__init__()
        self.agents += MoneyAgents(n, self)

    def step(self) -> None:
        self.agents.do("step")


def main() -> None:
    agents, steps = int(sys.argv[1]), int(sys.argv[2])
    MoneyModel(100).step()  # warm-up
    start = time.process_time()
    model = MoneyModel(agents)
    built, wall = time.process_time(), time.perf_counter()
    for _ in range(steps):
        model.step()
    done, wall = time.process_time(), time.perf_counter() - wall
    print(json.dumps({"agents": agents, "construct": built - start, "run": done - built, "wall": wall}))


if __name__ == "__main__":
    main()
