"""No inert effect size: every parameter whose value is an effect (field, calibrated or assumed)
moves some output when it moves within its plausible range.

An assumption that changes nothing still counts among the drawn assumptions of the plausible
worlds and shows up as a spurious hinge (issue 24: the patrons' starting capital was one).
The village here is small and short, and set so that every mechanism runs within three years:
groups form, mature, grow internal facilitators and lose their facilitators; the ecotourism
network earns; group debt reaches its limit; a village without a programme starts groups of its
own (frequent prompts), so the joining threshold outside a rapid programme's places acts too.
"""

from __future__ import annotations

import numpy as np

from sim import Params, VillageModel
from sim.params import evidence, fields, group_of
from sim.state import GROUP, HOUSEHOLD

ACTIVE_VILLAGE = {
    "width": 20,
    "height": 20,
    "months": 36,
    "burn_in_months": 6,
    "programme_months": 14,
    "exit_taper_months": 4,
    "stage_months": 1,
    "awareness_mean": 0.3,
    "group_min_size": 4,
    "mature_management": 0.1,
    "mature_fund": 0.1,
    "mature_skills": 0.2,
    "ecotourism_min_members": 10,
    "group_credit_limit": 0.5,
    "spontaneous_founding": 0.05,
}
STRATEGIES = ("baseline", "area_based", "enterprise_based")


def outputs(strategy: str, **values) -> np.ndarray:
    """Every household's and group's final state and every monthly output, as one vector."""
    model = VillageModel(seed=3, strategy=strategy, **{**ACTIVE_VILLAGE, **values})
    model.run_model()
    h, g = model.households, model.groups
    parts = [getattr(h, s.name).astype(float) for s in HOUSEHOLD]
    parts += [getattr(g, s.name)[: g.n].astype(float) for s in GROUP]
    return np.concatenate([*parts, model.timeseries().to_numpy(dtype=float).ravel()])


def effect_parameters() -> list[str]:
    """Parameters whose value is an effect size: not a design choice, not a price."""
    return [n for n in fields() if evidence(n)["evidence"] != "design" and group_of(n) != "costs"]


def trial_values(name: str) -> list:
    """The ends of the plausible range (or 30% either side of the value) that differ from the value."""
    field = Params.model_fields[name]
    value = ACTIVE_VILLAGE.get(name, field.default)
    plausible = evidence(name)["plausible"]
    ends = list(plausible) if plausible else [value * 0.7, value * 1.3]
    if field.annotation is int:
        ends = [int(round(v)) for v in ends]
    return [v for v in ends if v != value]


def moves_an_output(name: str, reference: dict[str, np.ndarray]) -> bool:
    for value in trial_values(name):
        for strategy in STRATEGIES:
            out = outputs(strategy, **{name: value})
            if out.shape != reference[strategy].shape or not np.array_equal(out, reference[strategy], equal_nan=True):
                return True
    return False


def test_every_effect_parameter_moves_some_output():
    reference = {s: outputs(s) for s in STRATEGIES}
    names = effect_parameters()
    assert len(names) > 50  # the schema's effect sizes, not an empty list
    inert = [n for n in names if not moves_an_output(n, reference)]
    assert not inert, f"these parameters move no output within their plausible range: {inert}"
