"""One burn-in, many runs: a forked village runs bit-identically to one built whole (issue 26, item 1)."""

from __future__ import annotations

import copy
import pickle

import mesa
import numpy as np
import pytest

import sim.initialisation
import sim.model
from experiments.runner import simulate
from sim import VillageModel
from sim.assets import productive_assets
from sim.credit import credit
from sim.economy import economy_month, economy_params
from sim.extraction import patron_extraction
from sim.group_formation import group_formation
from sim.group_life import group_life
from sim.initialisation import hamlet_places, initialise_village
from sim.livelihood import livelihood, season_of
from sim.params import (
    BURN_IN_PARAMETERS,
    EXIT_MODES,
    MOBILISATION,
    NETWORKS,
    STRATEGIES,
    Params,
    bounds,
    dotted,
    make_params,
)
from sim.peer_influence import peer_influence
from sim.state import Groups, Households, Patrons

STRATEGY_NAMES = ("baseline", "area_based", "enterprise_based", "hybrid")
# A small village with a short burn-in keeps the parameter-by-parameter checks fast.
TINY = {"width": 16, "height": 16, "burn_in_months": 24}


def state(model) -> dict[str, bytes]:
    """Every attribute of a model as bytes, generators' states included (the parameters and Mesa's
    bookkeeping of methods and agents left out)."""
    skip = {"p", "step", "_user_step", "_all_agents", "_agents", "_agents_by_type"}
    values = {k: pickle.dumps(v) for k, v in vars(model).items() if k not in skip}
    values["rng"] = pickle.dumps(model.rng.bit_generator.state)
    values["random"] = pickle.dumps(model.random.getstate())
    return values


def fresh_village(seed: int, **overrides) -> VillageModel:
    """A burned-in village computed now, not taken from the cache."""
    sim.model._VILLAGES.clear()
    return VillageModel.burned_in(make_params(**{**TINY, **overrides}), seed)


def burn_in_month_by_month(model) -> None:
    """The burn-in as a programme month runs its submodels, one Python function each (the compiled
    loop's oracle: ``sim.schedule.months_loop`` without a programme must do exactly this)."""
    model.places = hamlet_places(model.p.n_hamlets)
    for month in range(1 - model.p.burn_in_months, 1):
        model.month = month
        livelihood(model)
        patron_extraction(model)
        productive_assets(model)
        credit(model)
        peer_influence(model)
        group_formation(model)
        group_life(model, programme=False)
    model.month = 0
    model.groups_dissolved = 0


def village_state(model) -> dict[str, bytes]:
    """The burned-in village: every household, group (spare rows too), patron and place array, the
    generator, the month's scalars."""
    values = {f"household {k}": getattr(model.households, k).tobytes() for k in model.households.names}
    values |= {f"group {k}": getattr(model.groups, k).tobytes() for k in model.groups.names}
    values |= {f"patron {k}": getattr(model.patrons, k).tobytes() for k in model.patrons.names}
    values |= {f"place {k}": getattr(model.places, k).tobytes() for k in model.places.names}
    values["rng"] = pickle.dumps(model.rng.bit_generator.state)
    values["scalars"] = pickle.dumps((model.month, model.groups.n, model.groups_dissolved, model.rent_this_month))
    values["client_rate"] = model.client_rate.tobytes()
    return values


# Villages whose burn-ins found, dissolve and copy groups; the last outgrows its store of groups
# several times (groups of two, founded by anyone, dissolving within a month of low cohesion).
BURN_INS = [
    ({"width": 40, "height": 40}, 1),
    ({**TINY, "burn_in_months": 60, "spontaneous_founding": 0.1}, 2),
    (
        {
            **TINY,
            "burn_in_months": 120,
            "spontaneous_founding": 0.1,
            "spontaneous_join_awareness": 0.1,
            "join_rate": 0.9,
            "dissolve_months": 2,
            "dissolve_cohesion": 0.6,
            "copy_founding": 0.5,
        },
        3,
    ),
    (
        {
            **TINY,
            "burn_in_months": 120,
            "spontaneous_founding": 0.1,
            "spontaneous_join_awareness": 0.0,
            "join_rate": 1.0,
            "dissolve_months": 1,
            "dissolve_cohesion": 0.9,
            "group_min_size": 2,
        },
        2,
    ),
]


@pytest.mark.parametrize(("overrides", "seed"), BURN_INS)
def test_the_compiled_burn_in_runs_the_submodels_months_bit_for_bit(monkeypatch, overrides, seed):
    """The burn-in's compiled loop leaves the village exactly as its submodels' own functions, month by
    month, would: every array, the generator's state, and the groups it founded and dissolved.

    Catches: a draw skipped or made out of turn, an argument wired to the wrong array or parameter,
    a submodel left out, a month that outgrows the store of groups finished otherwise than
    ``group_formation`` and ``group_life`` finish it."""
    params = make_params(**overrides)
    sim.model._VILLAGES.clear()
    compiled = VillageModel.burned_in(params, seed)
    sim.model._VILLAGES.clear()
    monkeypatch.setattr(sim.initialisation, "burn_in", burn_in_month_by_month)
    by_month = VillageModel.burned_in(params, seed)
    sim.model._VILLAGES.clear()
    assert by_month.groups.n > 0
    assert village_state(compiled) == village_state(by_month)
    if overrides.get("group_min_size") == 2:
        assert by_month.groups.n > 4 * len(by_month.households) // 2  # the store grew twice at least


@pytest.mark.parametrize("strategy", ["area_based", "hybrid"])
def test_the_economys_compiled_month_is_its_four_submodels_in_a_programme_month(strategy):
    """``economy_month`` in the middle of a programme (facilitators organising, groups with funds and
    market access, households in networks, patrons lending) leaves the village as ``livelihood``,
    ``patron_extraction``, ``productive_assets`` and ``credit`` do: the arguments that stay idle in a
    burn-in (networks' premiums, market access, organisers, the paralegal's protection) are wired too.

    Catches: an idle-in-the-burn-in argument wired to the wrong parameter or array."""
    model = VillageModel(seed=5, strategy=strategy)
    for _ in range(30):
        model.step()
    model.month += 1
    h = model.households
    assert (h.group >= 0).any() and model.places.organiser.any()
    assert strategy == "area_based" or (h.network >= 0).any()
    by_function, compiled = copy.deepcopy(model), copy.deepcopy(model)
    livelihood(by_function)
    patron_extraction(by_function)
    productive_assets(by_function)
    credit(by_function)
    g, p = compiled.groups, compiled.p
    compiled.rent_this_month = economy_month(
        compiled.month,
        compiled.rng,
        season_of(p.season_amplitude, compiled.month),
        economy_params(p),
        compiled.households.arrays(Households),
        g.arrays(Groups),
        g.n,
        compiled.patrons.arrays(Patrons),
        compiled.places.organiser,
        compiled.client_rate,
        compiled.land_return,
    )
    assert village_state(compiled) == village_state(by_function)


def test_a_fork_has_its_own_python_generator_in_the_villages_state():
    """Mesa's ``random`` (Python's generator, which the grid's views draw from) is forked as the numpy
    one is: a generator of its own, in the village's state, whose draws leave the village's alone."""
    village = fresh_village(3)
    before = village.random.getstate()
    run = village.fork(village.p)
    assert run.random is not village.random and run.random.getstate() == before
    run.random.random()
    assert village.random.getstate() == before and run.random.getstate() != before


def test_a_village_without_a_burn_in_keeps_its_drawn_rates():
    """With ``burn_in_months`` = 0 no month runs: each client's rate stays its patron's, as drawn."""
    before_start = VillageModel.burned_in(make_params(burn_in_months=0, width=16, height=16), 2)
    assert np.array_equal(before_start.client_rate, before_start.patrons.interest[before_start.households.patron])


@pytest.mark.parametrize("strategy", STRATEGY_NAMES)
def test_forked_run_is_bit_identical_to_a_run_built_whole(strategy):
    """For every strategy: the same monthly table, summary and final state, through one cached village
    that every strategy forks in turn (so a fork that changed the cached village would show)."""
    whole = VillageModel(seed=11, strategy=strategy)
    whole.run_model()
    for other in STRATEGY_NAMES:  # the cached village has served every strategy before this one
        VillageModel.burned_in(make_params(strategy=other), 11).fork(strategy=other).run_model()
    forked = VillageModel.burned_in(make_params(strategy=strategy), 11).fork(strategy=strategy)
    forked.run_model()
    assert np.array_equal(whole.records, forked.records, equal_nan=True)
    assert whole.summary() == forked.summary()
    assert state(whole) == state(forked)


def test_runner_forks_and_matches_the_model_built_whole():
    """``simulate`` (the engine's runner) forks the cached village; its results equal a whole build's."""
    params = {dotted(k): v for k, v in make_params(strategy="hybrid", months=36).model_dump().items()}
    for _ in range(2):  # the second call takes the village from the cache
        metrics, monthly = simulate(params, 3)
        whole = VillageModel(params, seed=3)
        whole.run_model()
        assert {k: metrics[k] for k in whole.summary()} == whole.summary()
        assert monthly.equals(whole.timeseries())


def test_a_parameter_the_burn_in_reads_is_not_shared():
    """A burn-in parameter changed gives another village; forking across it is refused, and a run
    with it forked from its own village equals the run built whole."""
    assert "shock_rate" in BURN_IN_PARAMETERS
    base = VillageModel.burned_in(make_params(), 4)
    changed = VillageModel.burned_in(make_params(shock_rate=0.1), 4)
    assert changed is not base
    assert state(changed) != state(base)
    with pytest.raises(ValueError, match="change the burn-in"):
        base.fork(shock_rate=0.1)
    forked = changed.fork(shock_rate=0.1, strategy="area_based")
    whole = VillageModel(seed=4, shock_rate=0.1, strategy="area_based")
    forked.run_model()
    whole.run_model()
    assert np.array_equal(whole.records, forked.records, equal_nan=True)


def test_declared_burn_in_parameters_are_exactly_those_the_village_reads():
    """Every parameter read while the village is drawn and burned in is declared, and nothing else."""
    read: set[str] = set()

    class Traced:
        def __init__(self, p: Params) -> None:
            self._p = p

        def __getattr__(self, name: str):
            read.add(name)
            return getattr(self._p, name)

    # Long and prompted enough that spontaneous groups form, live and dissolve within it (§7.6).
    grouping = {**TINY, "burn_in_months": 60, "spontaneous_founding": 0.1}
    for strategy in STRATEGY_NAMES:
        model = mesa.Model(seed=2)
        model.p, model.month = Traced(make_params(strategy=strategy, **grouping)), 0
        initialise_village(model)
    assert read == BURN_IN_PARAMETERS


def perturbed() -> list[tuple[str, object]]:
    """Each parameter outside the burn-in's declaration at the ends of its range (or every choice)."""
    values: list[tuple[str, object]] = []
    for name, field in Params.model_fields.items():
        if name in BURN_IN_PARAMETERS:
            continue
        if name == "strategy":
            values += [(name, s) for s in STRATEGIES]
        elif name == "exit_mode":
            values += [(name, m) for m in EXIT_MODES]
        elif name == "mobilisation":
            values += [(name, m) for m in MOBILISATION]
        elif name == "networks":
            values += [(name, []), (name, list(NETWORKS[:1])), (name, list(NETWORKS))]
        elif field.annotation is bool:
            values += [(name, True), (name, False)]
        elif field.annotation in (int, float):
            values += [(name, v) for v in bounds(name) if v is not None]
        elif name != "project_management":
            raise AssertionError(f"no perturbation for {name}")
        else:
            values += [(name, "ngo"), (name, "community")]
    return values


def test_parameters_outside_the_declaration_leave_the_burned_in_village_bit_identical():
    """Each undeclared parameter at its extremes (two seeds): the same village, generators included."""
    changed = []
    for seed in (1, 2):
        reference = state(fresh_village(seed))
        for name, value in perturbed():
            extra = {"strategy": "area_based"} if name == "networks" and not value else {}
            if name == "group_max_size" and value < make_params().group_min_size:
                continue  # invalid against group_min_size, whose own perturbation is checked
            if state(fresh_village(seed, **{name: value, **extra})) != reference:
                changed.append((name, value))
    assert changed == []


def test_fork_refuses_a_started_run_and_burned_in_refuses_a_survey():
    model = VillageModel(seed=1, **TINY)
    with pytest.raises(ValueError, match="only a village"):
        model.fork()
    with pytest.raises(ValueError, match="surveyed village"):
        VillageModel.burned_in(make_params(survey="examples/survey.csv"), 1)


def test_the_cache_keeps_few_and_no_large_villages(monkeypatch):
    """Memory stays bounded: at most ``CACHED_VILLAGES`` kept, none above ``CACHED_HOUSEHOLDS``."""
    sim.model._VILLAGES.clear()
    for seed in range(sim.model.CACHED_VILLAGES + 2):
        VillageModel.burned_in(make_params(**TINY), seed)
    assert len(sim.model._VILLAGES) == sim.model.CACHED_VILLAGES
    monkeypatch.setattr(sim.model, "CACHED_HOUSEHOLDS", 10)
    sim.model._VILLAGES.clear()
    VillageModel.burned_in(make_params(**TINY), 1)
    assert len(sim.model._VILLAGES) == 0


def test_the_engine_runs_each_seed_from_one_burned_in_village(tmp_path, monkeypatch):
    """A paired experiment of four strategies builds one village per replicate: the engine hands the
    runs of a seed out together, so the few villages cached serve them all."""
    from experiments.engine import EngineOptions, execute
    from experiments.spec import make_experiment

    built = []
    original = sim.model.initialise_village
    monkeypatch.setattr(sim.model, "initialise_village", lambda model: built.append(1) or original(model))
    sim.model._VILLAGES.clear()
    replicates = sim.model.CACHED_VILLAGES + 2
    experiment = make_experiment(list(STRATEGY_NAMES), replicates=replicates, name="t", paired=True, months=6)
    outcome = execute(experiment, tmp_path / "out", EngineOptions(progress=False, executor="serial", batch_size=3))
    assert outcome.failed == 0 and outcome.ran == 4 * replicates
    assert len(built) == replicates


def test_the_burn_in_ends_at_month_zero_so_the_calendar_skips_no_planting():
    """The burn-in's last month is month 0, a planting month: every landed client with land
    unpawned and some dependency took its inputs on credit then, and the run's month 1 follows.

    Catches: a burn-in that ends at month -1, so the calendar skips month 0 and every run starts
    with a year without inputs on credit, a transient read as drift (initialisation)."""
    model = VillageModel(seed=3, strategy="baseline", months=1, **TINY)
    h = model.households
    assert model.month == 0
    landed = (h.land > 0) & (h.pawned < 1) & (h.dependency > 0)
    assert landed.sum() > 50
    assert (h.patron_borrowed[landed] > 0).all()
