"""The model's structure: village, agents as views, schedule, outputs and their definitions."""

from __future__ import annotations

import math
import random

import mesa
import numpy as np
import pandas as pd
import pytest

from sim import Facilitator, Household, KSMGroup, Patron, VillageModel
from sim.collect import COLUMNS, SUMMARY, gini
from sim.state import MATURE

STRATEGIES = ("baseline", "area_based", "enterprise_based", "hybrid")

EXPECTED_COLUMNS = [
    "month",
    "dependency",
    "awareness",
    "skills",
    "trust",
    "self_reliance",
    "self_reliant_share",
    "in_group_share",
    "groups_forming",
    "groups_active",
    "groups_mature",
    "groups_dissolved",
    "patron_rent",
    "wealth_gini",
    "facilitator_months",
    "internal_facilitators",
    "consumption",
    "consumption_gini",
    "poverty_share",
    "patron_debt",
    "high_cost_debt_share",
    "coverage",
    "assets",
]

EXPECTED_SUMMARY = [
    "self_reliant_share_programme_end",
    "self_reliant_share_horizon",
    "sustainability",
    "facilitator_months_per_self_reliant",
    "months_to_half_gain",
    "consumption_horizon",
    "poverty_share_horizon",
    "consumption_poorest40_horizon",
    "assets_horizon",
]


def test_village_layout(small):
    """Households fill round(W x H x density) distinct cells; hamlets are vertical strips;
    every household is the client of a patron of its own hamlet."""
    model = small(2, width=30, height=20, density=0.5, n_hamlets=3, patrons_per_hamlet=3)
    h, pt = model.households, model.patrons
    assert model.n_households == len(h.x) == 300
    assert len(set(zip(h.x.tolist(), h.y.tolist()))) == 300
    assert ((h.x >= 0) & (h.x < 30) & (h.y >= 0) & (h.y < 20)).all()
    np.testing.assert_array_equal(h.hamlet, h.x * 3 // 30)
    assert len(pt) == 9
    np.testing.assert_array_equal(pt.hamlet[h.patron], h.hamlet)
    assert set(np.bincount(pt.hamlet).tolist()) == {3}


def test_neighbour_matrix_is_moore_and_row_normalised(small):
    model = small(4)
    h, w = model.households, model.neighbours.tocsr()
    np.testing.assert_allclose(np.asarray(w.sum(axis=1)).ravel(), 1.0)
    for i in range(0, model.n_households, 37):
        cols = w.indices[w.indptr[i] : w.indptr[i + 1]]
        ring = (np.abs(h.x - h.x[i]) <= 1) & (np.abs(h.y - h.y[i]) <= 1) & (np.arange(len(h.x)) != i)
        expected = np.nonzero(ring)[0] if ring.any() else np.array([i])
        np.testing.assert_array_equal(np.sort(cols), expected)


def test_mesa_agents_and_grid(small):
    model = small(5, strategy="hybrid", n_facilitators=6)
    assert isinstance(model, mesa.Model)
    assert len(model.household_agents) == model.n_households
    assert all(isinstance(a, Household) for a in model.household_agents)
    assert len(model.patron_agents) == len(model.patrons) and all(isinstance(a, Patron) for a in model.patron_agents)
    assert len(model.facilitators) == 6 and all(isinstance(f, Facilitator) for f in model.facilitators)
    for agent in model.household_agents[::25]:
        assert agent.cell.coordinate == (model.households.x[agent.index], model.households.y[agent.index])
        assert agent in agent.cell.agents
    for agent in model.patron_agents:
        hosts = [a for a in agent.cell.agents if isinstance(a, Household)]
        assert len(hosts) == 1 and hosts[0].hamlet == agent.hamlet
    counted = {type(a) for a in model.agents}
    assert {Household, Patron, Facilitator} <= counted


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_same_numbers_with_and_without_the_mesa_agents(small, strategy):
    """The arrays alone run the model: building the grid and agents at the start, or never,
    draws nothing and changes nothing (every state array and every monthly row equal)."""
    overrides = dict(
        strategy=strategy,
        exit_mode="abrupt",
        programme_months=40,
        months=50,
        internal_awareness=0.3,
        internal_skills=0.3,
    )
    bare, viewed = small(21, **overrides), small(21, **overrides)
    assert len(viewed.agents) > 0
    bare.run_model()
    viewed.run_model()
    assert bare._views is None, "a plain run built the Mesa agents"
    np.testing.assert_array_equal(bare.records, viewed.records)
    for store in ("households", "patrons", "places"):
        for name in getattr(bare, store).names:
            np.testing.assert_array_equal(getattr(getattr(bare, store), name), getattr(getattr(viewed, store), name))
    for store in ("groups", "team"):
        for name in getattr(bare, store).names:
            np.testing.assert_array_equal(getattr(bare, store).live(name), getattr(viewed, store).live(name))


def test_agents_built_late_follow_the_arrays(small):
    """Views built mid-run, then stepped: one per group and facilitator row, each facilitator on
    the cell of the household it visited last."""
    model = small(22, strategy="hybrid", exit_mode="none", internal_awareness=0.3, internal_skills=0.3, months=80)
    for _ in range(30):
        model.step()
    assert model._views is None
    assert len(model.group_agents) == model.groups.n
    model.run_model()
    team = model.team
    assert len(model.group_agents) == model.groups.n > 0
    assert len(model.facilitators) == team.n and team.live("internal").any()
    homes = set(zip(model.households.x.tolist(), model.households.y.tolist()))
    for f in model.facilitators:
        assert f.cell.coordinate == (team.x[f.index], team.y[f.index]) and f.cell.coordinate in homes
        assert f in f.cell.agents
        assert f.internal == team.internal[f.index] and f.beat == team.beat[f.index]


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_facilitator_beats_follow_the_strategy(small, strategy):
    """Area-based on hamlets, enterprise-based on networks, hybrid on the first half of the
    hamlets and on the networks of the rest; baseline none. Each facilitator's effort sums
    to one, and its main beat is where most of it goes."""
    model = small(6, strategy=strategy, n_facilitators=5)
    hamlets = model.p.n_hamlets
    beats = [f.beat for f in model.facilitators]
    weights = np.array([f.weights for f in model.facilitators]).reshape(-1, len(model.place_names))
    np.testing.assert_allclose(weights.sum(axis=1), 1.0)
    assert beats == [int(np.argmax(w)) for w in weights]
    worked = weights.sum(axis=0) > 0
    if strategy == "baseline":
        assert beats == []
    elif strategy == "area_based":
        assert worked[:hamlets].all() and not worked[hamlets:].any() and len(beats) == 5
    elif strategy == "enterprise_based":
        assert not worked[:hamlets].any() and worked[hamlets:].all() and len(beats) == 5
    else:
        half = -(-hamlets // 2)
        assert worked[:half].all() and not worked[half:hamlets].any() and worked[hamlets:].all()


def test_household_agent_reads_and_writes_its_row(small):
    model = small(7, strategy="area_based")
    for _ in range(30):
        model.step()
    h = model.households
    agent = model.household_agents[17]
    for name in ("wealth", "debt", "dependency", "awareness", "skills", "trust", "self_reliance"):
        assert getattr(agent, name) == getattr(h, name)[17]
        assert isinstance(getattr(agent, name), float)
    others = np.delete(h.awareness, 17)
    agent.awareness = 0.875
    agent.wealth = 3.25
    assert h.awareness[17] == 0.875 and h.wealth[17] == 3.25
    np.testing.assert_array_equal(np.delete(h.awareness, 17), others)
    h.skills[17] = 0.5
    assert agent.skills == 0.5
    assert agent.patron is model.patron_agents[h.patron[17]]
    assert agent.self_reliant == (agent.self_reliance >= model.p.self_reliance_threshold)
    member = int(np.nonzero(h.group >= 0)[0][0])
    group = model.household_agents[member].group
    assert isinstance(group, KSMGroup) and group.index == h.group[member]
    assert model.household_agents[member] in group.members
    group.cohesion = 0.125
    assert model.groups.cohesion[group.index] == 0.125


def test_group_agents_index_the_group_store(small):
    model = small(8, strategy="enterprise_based")
    for _ in range(40):
        model.step()
    assert model.groups.n > 0
    assert [a.index for a in model.group_agents] == list(range(model.groups.n))
    for agent in model.group_agents:
        assert agent.stage == model.groups.stage[agent.index]
        assert len(agent.members) == np.sum(model.households.group == agent.index)


def test_run_model_stops_at_the_horizon(small):
    model = small(9, months=17)
    model.run_model()
    assert not model.running
    assert model.month == 17
    ts = model.timeseries()
    assert len(ts) == 18
    assert ts.month.tolist() == list(range(18))


def test_timeseries_columns_and_initial_row(small):
    model = small(10, strategy="hybrid", months=24)
    h = model.households
    initial = {
        "dependency": h.dependency.mean(),
        "awareness": h.awareness.mean(),
        "skills": h.skills.mean(),
        "trust": h.trust.mean(),
        # Groups started on their own in the burn-in may be alive at month 0 (docs/ODD.md §7.6).
        "in_group_share": np.mean(h.group >= 0),
        "groups_forming": np.count_nonzero(model.groups.stage[: model.groups.n] == 0),
        "groups_dissolved": 0,
        "facilitator_months": 0.0,
        "internal_facilitators": 0,
        "patron_rent": model.rent_this_month / len(h),  # the last month of the burn-in
        "consumption": h.consumption.mean(),
        "patron_debt": h.debt.mean(),
        "coverage": 0.0,
        "assets": (h.assets + h.assets_growing).mean() / (h.income_base + model.land_return * h.land).mean(),
    }
    model.run_model()
    ts = model.timeseries()
    assert list(ts.columns) == EXPECTED_COLUMNS == COLUMNS
    assert list(model.summary()) == EXPECTED_SUMMARY == SUMMARY
    assert len(ts) == 25
    for name, value in initial.items():
        assert ts[name].iloc[0] == pytest.approx(value), name
    for column in (
        "month",
        "groups_forming",
        "groups_active",
        "groups_mature",
        "groups_dissolved",
        "internal_facilitators",
    ):
        assert pd.api.types.is_integer_dtype(ts[column]), column
    assert not ts.isna().any().any()


def test_last_row_matches_the_final_state(small):
    """The collected row is the state: means, shares, counts and the Gini of wealth."""
    model = small(11, strategy="enterprise_based", months=48)
    model.run_model()
    h, g, p = model.households, model.groups, model.p
    last = model.timeseries().iloc[-1]
    assert last.dependency == pytest.approx(h.dependency.mean())
    assert last.self_reliance == pytest.approx(h.self_reliance.mean())
    assert last.self_reliant_share == pytest.approx(np.mean(h.self_reliance >= p.self_reliance_threshold))
    assert last.in_group_share == pytest.approx(np.mean(h.group >= 0))
    assert last.groups_mature == np.sum(g.live("stage") == MATURE)
    w = np.sort(h.wealth + h.assets + h.assets_growing)  # cash and productive assets
    n = len(w)
    gini = np.abs(w[:, None] - w[None, :]).sum() / (2 * n * n * w.mean())
    assert last.wealth_gini == pytest.approx(gini, rel=1e-9)
    assert last.internal_facilitators == sum(1 for f in model.facilitators if f.internal and f.in_field)


def test_wealth_gini_stays_in_the_unit_interval():
    """0 for equal wealth (never below, at most rounding above), 1 - 1/n when one holds everything."""
    rng = np.random.default_rng(5)
    for n in (2, 18, 960):
        for value in (0.6292906645398721, 1.0, 3.7):
            assert 0.0 <= gini(np.full(n, value)) <= 1e-12, (n, value)
        one = np.zeros(n)
        one[0] = 5.0
        assert gini(one) == pytest.approx(1 - 1 / n)
        assert 0.0 <= gini(rng.exponential(2.0, n)) <= 1.0
    assert gini(np.zeros(10)) == 0.0


def test_self_reliance_is_three_dimensions_discounted_by_dependency(small):
    """SR = (clip(net worth / buffer, 0, 1) + skills + managerial) / 3 x (1 - discount x dependency),
    net worth = wealth + productive assets + share of the group's fund - patron debt - group debt, managerial =
    the household's own management or its group's, whichever is higher."""
    model = small(12, strategy="hybrid", dependency_discount=0.7, buffer_target=4.0)
    for _ in range(40):
        model.step()
    h, g = model.households, model.groups
    member = h.group >= 0
    assert member.any() and (h.debt > 0).any()
    row = np.maximum(h.group, 0)
    management = np.where(member, np.maximum(h.management, g.management[row]), h.management)
    fund_share = np.where(member, g.fund[row] / np.maximum(g.size[row], 1), 0.0)
    assert (h.assets > 0).any()
    worth = h.wealth + h.assets + h.assets_growing + fund_share - h.debt - h.group_debt
    expected = (np.clip(worth / 4.0, 0.0, 1.0) + h.skills + management) / 3.0 * (1.0 - 0.7 * h.dependency)
    np.testing.assert_allclose(h.self_reliance, expected)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_summary_follows_its_definitions(run, strategy):
    """MODEL.md §6 as docs/ODD.md defines it, recomputed from the time series."""
    model = run(13, strategy=strategy, months=72, programme_months=36)
    ts, s = model.timeseries(), model.summary()
    share = ts.self_reliant_share.to_numpy()
    assert s["self_reliant_share_programme_end"] == pytest.approx(share[36])
    assert s["self_reliant_share_horizon"] == pytest.approx(share[-1])
    if share[36] > 0:
        assert s["sustainability"] == pytest.approx(share[-1] / share[36])
    else:
        assert math.isnan(s["sustainability"])
    cost = ts.facilitator_months.iloc[-1]
    self_reliant = share[-1] * model.n_households
    if self_reliant > 0:
        assert s["facilitator_months_per_self_reliant"] == pytest.approx(cost / self_reliant)
    elif cost == 0:
        assert s["facilitator_months_per_self_reliant"] == 0.0
    else:
        assert math.isnan(s["facilitator_months_per_self_reliant"])
    gain = share[-1] - share[0]
    if gain > 0:
        first = int(np.nonzero(share - share[0] >= 0.5 * gain)[0][0])
        assert s["months_to_half_gain"] == first
    else:
        assert math.isnan(s["months_to_half_gain"])


def test_summary_is_nan_where_undefined(run):
    """Baseline with no one ever self-reliant: no sustainability ratio, no speed."""
    model = run(14, strategy="baseline", months=12, wealth_mean=0.0, skills_mean=0.0, self_reliance_threshold=0.95)
    s = model.summary()
    assert s["self_reliant_share_horizon"] == 0.0
    assert math.isnan(s["sustainability"]) and math.isnan(s["months_to_half_gain"])
    assert s["facilitator_months_per_self_reliant"] == 0.0


@pytest.mark.parametrize("exit_mode", ("abrupt", "phased", "none"))
def test_facilitator_months_follow_the_exit_mode(run, exit_mode):
    """Abrupt: full effort to the programme's end; phased: effort tapers linearly over the
    last exit_taper_months (k / taper with k months left); none: for ever."""
    n, programme, taper, months = 3, 30, 8, 50
    ts = run(
        15,
        strategy="area_based",
        n_facilitators=n,
        programme_months=programme,
        exit_taper_months=taper,
        months=months,
        exit_mode=exit_mode,
    ).timeseries()
    spent = ts.facilitator_months.to_numpy()
    assert (np.diff(spent) >= 0).all()
    if exit_mode == "none":
        assert spent[-1] == pytest.approx(n * months)
        return
    per_facilitator = sum(1.0 if k >= taper or exit_mode == "abrupt" else k / taper for k in range(1, programme + 1))
    assert spent[programme] == pytest.approx(n * per_facilitator)
    assert spent[-1] == spent[programme]


def test_external_support_ends_after_an_abrupt_exit(run):
    model = run(16, strategy="enterprise_based", exit_mode="abrupt", programme_months=30, months=40)
    g = model.groups
    assert all(not f.in_field for f in model.facilitators if not f.internal)
    internal = g.live("internal")
    np.testing.assert_allclose(g.live("support")[~internal], 0.0)
    assert (g.live("support")[internal] <= model.p.internal_support + 1e-12).all()


def test_internal_facilitators_grow_only_from_mature_groups(run):
    model = run(17, strategy="hybrid", exit_mode="none", internal_awareness=0.3, internal_skills=0.3)
    g, p = model.groups, model.p
    internal = [f for f in model.facilitators if f.internal]
    assert internal, "no internal facilitator grew, the check cannot run"
    for f in internal:
        assert g.matured[f.home_group] >= 0
        assert f.capacity == p.internal_capacity
    assert model.timeseries().internal_facilitators.iloc[-1] == sum(f.in_field for f in internal)
    assert len({f.home_group for f in internal}) == len(internal)


def test_runs_use_only_the_model_generator():
    """No draw from Python's random module or NumPy's global state."""
    random.seed(123)
    np.random.seed(123)
    before = (random.getstate(), np.random.get_state()[1].copy())
    for strategy in STRATEGIES:
        VillageModel(seed=1, strategy=strategy, width=20, height=20, months=36).run_model()
    assert random.getstate() == before[0]
    np.testing.assert_array_equal(np.random.get_state()[1], before[1])


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_every_strategy_runs_the_default_horizon(strategy):
    """VillageModel(seed=s) at default size runs 120 months for every strategy."""
    model = VillageModel(seed=3, strategy=strategy)
    model.run_model()
    ts = model.timeseries()
    assert len(ts) == 121 and model.p.months == 120 and not model.running
    assert np.isfinite(ts.drop(columns=["month"]).to_numpy()).all()
    assert (ts.facilitator_months.iloc[-1] > 0) == (strategy != "baseline")


def test_beta_draws_with_an_underflowing_shape_stay_at_the_mean():
    """A mean so close to 0 that mean x concentration underflows is treated as exactly that mean."""
    from sim.initialisation import beta

    rng = np.random.default_rng(0)
    assert (beta(rng, 5e-324, 4, 0.5) == 5e-324).all()
    assert (beta(rng, 0.0, 4, 10.0) == 0.0).all() and (beta(rng, 1.0, 4, 10.0) == 1.0).all()
    draws = beta(rng, 0.3, 2000, 10.0)
    assert abs(draws.mean() - 0.3) < 0.01 and abs(draws.std() - np.sqrt(0.3 * 0.7 / 11)) < 0.01
