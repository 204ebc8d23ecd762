"""Shared helpers for the model tests: small villages and the state invariants of MODEL.md §7."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import settings

from sim import VillageModel
from sim.collect import COLUMNS
from sim.extraction import effective_extraction
from sim.state import DISSOLVED, FORMING, MATURE, NEVER, ORGANISATION

# `make test` (and so CI, which decides whether a change lands) tries the same property cases every
# time, so that a case found by chance cannot block an unrelated change; a plain `pytest` explores
# new ones, and a failure it finds becomes an @example in tests/test_properties.py.
settings.register_profile("ci", derandomize=True)

# Small villages keep the suite fast; 25 x 25 at density 0.6 holds 375 households.
SMALL = {"width": 25, "height": 25}

UNIT_HOUSEHOLD = ("dependency", "awareness", "skills", "trust", "self_reliance")
UNIT_GROUP = ("cohesion", "management", "market_access", "support")
SHARES = (
    "dependency",
    "awareness",
    "skills",
    "trust",
    "self_reliance",
    "self_reliant_share",
    "in_group_share",
    "wealth_gini",
)
COUNTS = ("groups_forming", "groups_active", "groups_mature", "groups_dissolved", "internal_facilitators")


def small_model(seed: int, **overrides) -> VillageModel:
    """A small village (``SMALL`` unless the overrides say otherwise)."""
    return VillageModel(seed=seed, **{**SMALL, **overrides})


def run_small(seed: int, **overrides) -> VillageModel:
    """A small village run to its horizon."""
    model = small_model(seed, **overrides)
    model.run_model()
    return model


def state_violations(model) -> list[str]:
    """Every broken invariant of the model's current state, in words (empty when all hold)."""
    p, h, g, pt = model.p, model.households, model.groups, model.patrons
    bad = []

    def check(ok, what: str) -> None:
        if not np.all(ok):
            bad.append(what)

    for name in UNIT_HOUSEHOLD:
        values = getattr(h, name)
        check(np.isfinite(values) & (values >= 0.0) & (values <= 1.0), f"household {name} outside [0, 1]")
    for name in ("wealth", "debt", "group_debt", "assets", "assets_growing"):
        values = getattr(h, name)
        check(np.isfinite(values) & (values >= 0.0), f"household {name} negative or not finite")
    check(h.income > 0.0, "household income not positive")
    check(h.debt <= p.default_limit, "patron debt above the default limit after credit")
    check(h.group_debt <= p.group_credit_limit, "group debt above the group credit limit")

    check((pt.openness >= 0.0) & (pt.openness <= 1.0), "patron openness outside [0, 1]")
    extraction = effective_extraction(model)
    check((extraction >= 0.0) & (extraction <= pt.extraction_base), "effective extraction outside [0, base]")

    n = g.n
    check((h.group >= -1) & (h.group < n), "household group index out of range")
    member = h.group >= 0
    stage = g.stage[:n]
    check((stage >= FORMING) & (stage <= DISSOLVED), "group stage unknown")
    check(stage[h.group[member]] != DISSOLVED, "member of a dissolved group")
    size = np.bincount(h.group[member], minlength=n)
    check(size <= p.group_max_size, "group above group_max_size")
    check(g.size[:n] == size, "group size record differs from the membership")
    check(h.network[~member] == -1, "non-member in a network")
    check(h.network[member] == g.network[h.group[member]], "member's network differs from its group's")
    for name in UNIT_GROUP:
        values = g.live(name)
        check(np.isfinite(values) & (values >= 0.0) & (values <= 1.0), f"group {name} outside [0, 1]")
    for name in ("fund", "patron_loan"):
        values = g.live(name)
        check(np.isfinite(values) & (values >= 0.0), f"group {name} negative or not finite")
    dissolved = stage == DISSOLVED
    check(
        (g.live("fund")[dissolved] == 0.0) & (g.live("support")[dissolved] == 0.0),
        "dissolved group holds a fund or support",
    )
    since_start = dissolved & (g.live("dissolved") > 0)  # the burn-in ends with month 0
    check(model.groups_dissolved == int(since_start.sum()), "dissolved count differs from dissolved groups")
    check((model.places.stage >= 0) & (model.places.stage <= ORGANISATION), "organising stage out of range")
    internal = int(model.team.live("internal").sum())
    check(internal <= int((g.live("matured") != NEVER).sum()), "more internal facilitators than groups ever matured")
    check(g.live("internal") <= (g.live("matured") != NEVER), "internal facilitator in a group that never matured")
    check(model.modules >= 0.0, "training modules negative")

    row = model.records[model.month]
    for name in SHARES:
        value = row[COLUMNS.index(name)]
        check(0.0 <= value <= 1.0, f"output {name} outside [0, 1]")
    for name in COUNTS + ("patron_rent", "facilitator_months"):
        check(row[COLUMNS.index(name)] >= 0, f"output {name} negative")
    check(row[COLUMNS.index("groups_mature")] == int((stage == MATURE).sum()), "mature count differs from the groups")
    return bad


def step_checked(model) -> list[str]:
    """Run a model to its horizon, checking the state after every month; return the first problems."""
    problems = state_violations(model)
    if problems:
        return [f"month {model.month}: {p}" for p in problems]
    stage_before = model.places.stage.copy()
    while model.running:
        model.step()
        problems = state_violations(model)
        if np.any(model.places.stage < stage_before):
            problems.append("an organising stage went back")
        if problems:
            return [f"month {model.month}: {p}" for p in problems]
        stage_before = model.places.stage.copy()
    return []


@pytest.fixture
def small():
    return small_model


@pytest.fixture
def run():
    return run_small


@pytest.fixture
def violations():
    return state_violations


@pytest.fixture
def checked_run():
    return step_checked
