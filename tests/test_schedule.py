"""A run's months in one compiled loop: the same run, bit for bit, as its months step by step (issue 26, item 2)."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

import sim.schedule
from sim import VillageModel
from sim.collect import BINNED_FROM
from sim.params import STRATEGIES
from sim.schedule import DONE, GROUPS_OUTGROWN, TEAM_GROWN
from sim.state import Store
from tests.test_burn_in import TINY

# Groups of two that everyone joins and that dissolve after a month of low cohesion: the store of
# groups is outgrown in the programme's months.
CROWDED = {
    **TINY,
    "strategy": "area_based",
    "group_min_size": 2,
    "join_rate": 1.0,
    "join_awareness": 0.05,
    "dissolve_months": 1,
    "dissolve_cohesion": 0.9,
}

# Each run, and what in it the loop must meet (checked on the run stepped through).
RUNS = [
    *[({"strategy": s}, 1, None) for s in STRATEGIES],
    ({"strategy": "hybrid", "mobilisation": "rapid", "exit_mode": "phased"}, 2, None),
    (
        {"strategy": "hybrid", "project_management": "ngo", "knowledge_manager": True, "patron_engagement": True},
        3,
        lambda m: m.modules > 0,
    ),
    ({"strategy": "enterprise_based", "radio_gain": -0.004}, 1, None),
    ({"strategy": "enterprise_based", "radio_close": 0.5}, 2, lambda m: not m.radio_on),
    ({"strategy": "hybrid", "exit_mode": "none"}, 1, lambda m: m.records[-1, -1] > 0 and m.team.n > 4),
    ({"strategy": "area_based", "width": 100, "height": 100}, 1, lambda m: len(m.households) >= BINNED_FROM),
    (CROWDED, 1, lambda m: m.groups_dissolved > 0),
]


def value(v) -> object:
    """An attribute as comparable bytes: an array by its type, shape and contents (not by the identity of
    its dtype object, which differs between an array numba returned and one it filled), a store array
    by array."""
    if isinstance(v, np.ndarray):
        return v.dtype.str, v.shape, v.tobytes()
    if isinstance(v, Store):
        return {name: value(getattr(v, name)) for name in v.names} | {"n": getattr(v, "n", None)}
    return pickle.dumps(v)


def state(model) -> dict[str, object]:
    """Every attribute of a model, generators' states included (the parameters and Mesa's bookkeeping of
    methods and agents left out)."""
    skip = {"p", "step", "_user_step", "_all_agents", "_agents", "_agents_by_type", "_views"}
    values = {k: value(v) for k, v in vars(model).items() if k not in skip}
    values["rng"] = pickle.dumps(model.rng.bit_generator.state)
    values["random"] = pickle.dumps(model.random.getstate())
    return values


def stepped(overrides: dict, seed: int) -> VillageModel:
    model = VillageModel(seed=seed, **overrides)
    while model.running:
        model.step()
    return model


@pytest.mark.parametrize(("overrides", "seed", "meets"), RUNS)
def test_a_run_in_one_compiled_loop_is_its_months_step_by_step_bit_for_bit(monkeypatch, overrides, seed, meets):
    """``run_model`` (the compiled loop) leaves the model exactly as ``step`` month by month does: every
    attribute (the outputs' rows, every store's arrays, spare rows included, the run's counters) and
    the generators' states.

    Catches: a draw skipped or made out of turn, an argument wired to the wrong array or parameter, a
    submodel or a reporter left out, a month that outgrows a store finished otherwise than the
    submodels' functions finish it."""
    stops = []
    loop = sim.schedule.months_loop

    def counted(*args):
        out = loop(*args)
        stops.append(out[2])
        return out

    monkeypatch.setattr(sim.schedule, "months_loop", counted)
    by_step = stepped(overrides, seed)
    compiled = VillageModel(seed=seed, **overrides)
    compiled.run_model()
    assert state(compiled) == state(by_step)
    assert DONE in stops or stops[-1] == TEAM_GROWN  # a run whose last month grows a facilitator ends there
    if meets is not None:
        assert meets(by_step)
    if overrides is CROWDED:
        assert GROUPS_OUTGROWN in stops
    if overrides.get("exit_mode") == "none":
        assert TEAM_GROWN in stops


def test_a_run_taken_up_after_some_steps_ends_as_one_stepped_through():
    """``run_model`` goes on from the month a run has reached, as the visualizer's pause and resume need."""
    overrides = {"strategy": "hybrid", "months": 60}
    by_step = stepped(overrides, 4)
    resumed = VillageModel(seed=4, **overrides)
    for _ in range(17):
        resumed.step()
    resumed.run_model()
    assert resumed.steps == resumed.month == 60 and not resumed.running
    assert state(resumed) == state(by_step)


def test_a_run_past_its_rows_fails_as_a_step_would():
    """A run whose horizon was moved past the rows it was built with, or a finished run restarted, raises
    (as ``step`` does) rather than writing past its outputs."""
    model = VillageModel(seed=1, width=16, height=16, burn_in_months=0, months=3)
    model.p.months = 6
    with pytest.raises(IndexError):
        model.run_model()
    finished = VillageModel(seed=1, width=16, height=16, burn_in_months=0, months=3)
    finished.run_model()
    finished.running = True
    with pytest.raises(IndexError):
        finished.run_model()


def test_with_the_agents_built_a_run_steps_so_they_follow_it():
    """Once the Mesa views exist, ``run_model`` steps month by month so the views follow the arrays."""
    model = VillageModel(seed=2, strategy="hybrid", exit_mode="none")
    assert len(model.agents) > 0  # builds the views
    model.run_model()
    assert len(model.group_agents) == model.groups.n
    assert len(model.facilitators) == model.team.n > 4
    assert state(model) == state(stepped({"strategy": "hybrid", "exit_mode": "none"}, 2))
