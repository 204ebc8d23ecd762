"""The visualizer's controls, read from the parameter schema and the shipped scenarios.

Nothing here holds a default or a range: sliders take their bounds and units from
``sim.params``, the scenario selector loads ``scenarios/*.toml`` through
``sim.scenario``, and a strategy fills its switches from ``STRATEGY_PRESETS``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sim.i18n import LABELS, t
from sim.model import VillageModel
from sim.params import EXIT_MODES, MANAGEMENT, NETWORKS, STRATEGIES, STRATEGY_PRESETS, Params, bounds, fields
from sim.scenario import load_scenario, resolve_scenario, shipped

# The switches a student flips and the numbers a student slides (MODEL.md §5).
CHOICES: dict[str, tuple[str, ...]] = {
    "strategy": STRATEGIES,
    "exit_mode": EXIT_MODES,
    "project_management": MANAGEMENT,
}
TOGGLES = ("patron_engagement", "knowledge_manager")
SLIDERS = (
    "n_facilitators",
    "capacity",
    "programme_months",
    "exit_taper_months",
    "months",
    "extraction",
    "openness_mean",
    "pressure",
    "shock_rate",
    "width",
    "height",
    "density",
    "n_hamlets",
)
# The seed a new page starts from: `berdaya run`'s default, so the first village is the one it runs.
FIRST_SEED = 1
# What the households on the map can be coloured by.
MEASURES = ("awareness", "dependency", "self_reliance", "wealth")


@dataclass(frozen=True)
class Slider:
    """One slider: the schema's bounds and unit, a step that gives about a hundred notches."""

    name: str
    lo: float
    hi: float
    step: float
    unit: str
    integer: bool


def slider(name: str) -> Slider:
    lo, hi = bounds(name)
    field = fields()[name]
    integer = field.annotation is int
    step = 1 if integer else 10.0 ** round(math.log10((hi - lo) / 100))
    return Slider(name, lo, hi, step, field.json_schema_extra["unit"], integer)


def label(key: str, lang: str) -> str:
    """A translated label; a scenario added after the table was written shows its file name."""
    return t(key, lang) if key in LABELS else key.replace("_", " ")


def scenario_label(name: str, lang: str) -> str:
    return label(name if name in STRATEGIES else f"scenario.{name}", lang)


def scenarios() -> list[str]:
    """The shipped scenario files, the four strategies first."""
    names = shipped()
    return [s for s in STRATEGIES if s in names] + [s for s in names if s not in STRATEGIES]


def first_scenario() -> str:
    """The scenario that matches the schema's default strategy."""
    return fields()["strategy"].default


def scenario_settings(name: str) -> dict[str, Any]:
    """Every parameter of a shipped scenario, as the controls start from it."""
    return load_scenario(resolve_scenario(name)).params.model_dump()


def with_strategy(settings: dict[str, Any], strategy: str) -> dict[str, Any]:
    """A new strategy brings its preset switches (project management, knowledge manager, networks)."""
    preset = {k: list(v) if isinstance(v, list) else v for k, v in STRATEGY_PRESETS[strategy].items()}
    return {**settings, "strategy": strategy, **preset}


def with_network(settings: dict[str, Any], network: str, on: bool) -> dict[str, Any]:
    chosen = set(settings["networks"]) | {network} if on else set(settings["networks"]) - {network}
    return {**settings, "networks": [k for k in NETWORKS if k in chosen]}


def build(settings: dict[str, Any], seed: int) -> VillageModel:
    """A fresh village from the settings; a bad combination raises ``ValueError`` with the reason."""
    return VillageModel(Params(**settings), seed=seed)
