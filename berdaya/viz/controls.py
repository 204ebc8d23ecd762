"""The visualizer's controls, read from the parameter schema and the shipped scenarios.

The page (``berdaya/viz/page.py``) draws one input per name below and keeps their values as one
dict of settings, the keyword arguments of ``Params``.

Nothing here holds a default or a range: sliders take their bounds and units from
``sim.params``, the scenario selector loads ``scenarios/*.toml`` through
``sim.scenario``, and a strategy fills its switches from ``STRATEGY_PRESETS``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from analysis.fmt import number
from analysis.i18n import LABELS, t
from sim.params import EXIT_MODES, MANAGEMENT, STRATEGIES, STRATEGY_PRESETS, bounds, fields
from sim.scenario import load_scenario, resolve_scenario, shipped

# The switches a student flips and the numbers a student slides (MODEL.md §5).
CHOICES: dict[str, tuple[str, ...]] = {
    "strategy": STRATEGIES,
    "exit_mode": EXIT_MODES,
    "project_management": MANAGEMENT,
}
# The translation-table prefix of each choice's options.
CHOICE_PREFIX = {"strategy": "", "exit_mode": "exit_mode.", "project_management": "management."}
TOGGLES = ("patron_engagement", "knowledge_manager", "internal_facilitators")
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


def choice_labels(name: str, lang: str) -> dict[str, str]:
    """Option key -> its label in ``lang``."""
    prefix = CHOICE_PREFIX[name]
    return {key: label(prefix + key, lang) for key in CHOICES[name]}


def on_notch(spec: Slider, value: float) -> float | int:
    """A slider's value on its nearest notch (the browser sends floats such as 0.30000000000000004)."""
    notches = round((float(value) - spec.lo) / spec.step)
    if spec.integer:
        return int(round(spec.lo + notches * spec.step))
    return round(spec.lo + notches * spec.step, max(0, -math.floor(math.log10(spec.step))))


def value_label(name: str, value: float, lang: str) -> str:
    """A slider's value with its unit, as the reader writes numbers (decimal comma in Indonesian)."""
    spec = slider(name)
    digits = 0 if spec.integer else max(0, -math.floor(math.log10(spec.step)))
    return f"{number(value, lang, digits)} {label('unit.' + spec.unit, lang)}"


def seed_from(text: str) -> int:
    """The seed typed into its field; anything but a whole number is refused with what is allowed."""
    try:
        return int(str(text).strip())
    except ValueError:
        raise ValueError(f"seed {text!r} is not a whole number; allowed: an integer such as 1") from None
