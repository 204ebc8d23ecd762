"""The visualizer's controls, read from the parameter schema and the shipped scenarios.

They become Mesa SolaraViz's ``model_params`` (``model_params``) and come back as its Reset's
keyword arguments (``settings_from``).

Nothing here holds a default or a range: sliders take their bounds and units from
``sim.params``, the scenario selector loads ``scenarios/*.toml`` through
``sim.scenario``, and a strategy fills its switches from ``STRATEGY_PRESETS``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sim.i18n import LABELS, t
from sim.params import EXIT_MODES, MANAGEMENT, NETWORKS, STRATEGIES, STRATEGY_PRESETS, bounds, fields
from sim.scenario import load_scenario, resolve_scenario, shipped

# The switches a student flips and the numbers a student slides (MODEL.md §5).
CHOICES: dict[str, tuple[str, ...]] = {
    "strategy": STRATEGIES,
    "exit_mode": EXIT_MODES,
    "project_management": MANAGEMENT,
}
# The translation-table prefix of each choice's options.
CHOICE_PREFIX = {"strategy": "", "exit_mode": "exit_mode.", "project_management": "management."}
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


def _choice_labels(name: str, lang: str) -> dict[str, str]:
    """Option key -> its label in ``lang`` (SolaraViz's selects show their values, so the values are labels)."""
    prefix = CHOICE_PREFIX[name]
    return {key: label(prefix + key, lang) for key in CHOICES[name]}


def network_input(network: str) -> str:
    """The keyword of one network's checkbox (SolaraViz has one input per keyword)."""
    return f"network_{network}"


def model_params(settings: dict[str, Any], seed: int, lang: str) -> dict[str, Any]:
    """SolaraViz ``model_params`` showing ``settings``: inputs from the schema, labels in ``lang``.

    ``base`` (every setting, fixed) carries what no control shows, and tells ``settings_from``
    which switches the student left alone when the strategy changed.
    """
    inputs: dict[str, Any] = {"base": dict(settings), "lang": lang}
    for name in CHOICES:
        labels = _choice_labels(name, lang)
        inputs[name] = {"type": "Select", "label": t(f"viz.{name}", lang), "value": labels[settings[name]],
                        "values": list(labels.values())}
    for name in TOGGLES:
        inputs[name] = {"type": "Checkbox", "label": t(f"viz.{name}", lang), "value": settings[name]}
    for network in NETWORKS:
        inputs[network_input(network)] = {"type": "Checkbox", "label": f"{t('viz.networks', lang)}: "
                                          f"{t(f'network.{network}', lang)}", "value": network in settings["networks"]}
    for name in SLIDERS:
        spec = slider(name)
        inputs[name] = {"type": "SliderInt" if spec.integer else "SliderFloat",
                        "label": f"{label(f'param.{name}', lang)} ({label(f'unit.{spec.unit}', lang)})",
                        "value": settings[name], "min": spec.lo, "max": spec.hi, "step": spec.step}
    inputs["seed"] = {"type": "InputText", "label": t("viz.seed", lang), "value": str(seed)}
    return inputs


def settings_from(base: dict[str, Any], lang: str, values: dict[str, Any]) -> dict[str, Any]:
    """Every setting from SolaraViz's input values; a new strategy brings the preset switches left as shown."""
    chosen = {name: value for name, value in values.items() if name in SLIDERS or name in TOGGLES}
    for name in CHOICES:
        keys = {text: key for key, text in _choice_labels(name, lang).items()}
        chosen[name] = keys[values[name]]
    chosen["networks"] = [k for k in NETWORKS if values[network_input(k)]]
    if chosen["strategy"] != base["strategy"]:
        for name, preset in with_strategy(base, chosen["strategy"]).items():
            if name in STRATEGY_PRESETS[chosen["strategy"]] and _same(chosen[name], base[name]):
                chosen[name] = preset
    return {**base, **chosen}


def _same(a: Any, b: Any) -> bool:
    return sorted(a) == sorted(b) if isinstance(a, list) else a == b


def seed_from(text: str) -> int:
    """The seed typed into its field; anything but a whole number is refused with what is allowed."""
    try:
        return int(str(text).strip())
    except ValueError:
        raise ValueError(f"seed {text!r} is not a whole number; allowed: an integer such as 1") from None
