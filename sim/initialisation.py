"""Initialisation: the village's households, patrons, places, networks and facilitators, as arrays.

The Mesa grid and agents are views built on request (``sim/agents.py``, ``build_agents``).
"""

from __future__ import annotations

import functools
from collections import namedtuple

import numba
import numpy as np
from scipy import sparse, stats

from sim.collect import COLUMNS
from sim.economy import economy_params
from sim.group_formation import found_or_wait, keep_initiative
from sim.group_life import group_life
from sim.livelihood import season_of
from sim.params import NETWORKS, Params
from sim.schedule import GROUPS_OUTGROWN, NO_ROWS, RENT, SCALARS, Schedule, months_loop, schedule_params
from sim.state import (
    FACILITATOR,
    GROUP,
    HOUSEHOLD,
    PATRON,
    Facilitators,
    Groups,
    GrowingStore,
    Households,
    Patrons,
    Places,
    Store,
)
from sim.survey import read_survey


def beta(rng: np.random.Generator, mean: float, n: int, concentration: float) -> np.ndarray:
    """Beta draws with a given mean and concentration a + b (sd = sqrt(m(1-m)/(c+1))); a mean of exactly 0 or 1 stays put."""
    a, b = mean * concentration, (1 - mean) * concentration
    if a <= 0.0 or b <= 0.0:  # a mean of 0 or 1, or so close to it that a or b underflows
        return np.full(n, float(mean))
    return rng.beta(a, b, n)


def neighbour_matrix(x: np.ndarray, y: np.ndarray, width: int, height: int) -> sparse.csr_matrix:
    """Row-normalised Moore-neighbour matrix over households (self-loop where isolated), in
    canonical CSR form (each row's columns ascending), built in one compiled pass."""
    n = len(x)
    where = np.full((width, height), -1, dtype=np.int64)
    where[x, y] = np.arange(n)
    indptr, indices, data = moore_rows(np.asarray(x, dtype=np.int64), np.asarray(y, dtype=np.int64), where)
    return sparse.csr_matrix((data, indices, indptr), shape=(n, n))


@numba.njit(cache=True)
def moore_rows(x, y, where):
    """CSR arrays of ``neighbour_matrix``: household i's occupied Moore cells, columns ascending,
    each weighted 1 / their number; an isolated household its own neighbour with weight 1."""
    n = len(x)
    width, height = where.shape
    indptr = np.zeros(n + 1, dtype=np.int64)
    indices = np.empty(8 * n, dtype=np.int64)
    for i in range(n):
        first = k = indptr[i]
        for dx in range(-1, 2):
            for dy in range(-1, 2):
                nx, ny = x[i] + dx, y[i] + dy
                if (dx or dy) and 0 <= nx < width and 0 <= ny < height and where[nx, ny] >= 0:
                    other = where[nx, ny]
                    j = k
                    while j > first and indices[j - 1] > other:  # keep the row's columns ascending
                        indices[j] = indices[j - 1]
                        j -= 1
                    indices[j] = other
                    k += 1
        if k == first:
            indices[k] = i
            k += 1
        indptr[i + 1] = k
    data = np.empty(indptr[n])
    for i in range(n):
        data[indptr[i] : indptr[i + 1]] = 1.0 / (indptr[i + 1] - indptr[i])
    return indptr, indices[: indptr[n]].copy(), data


def draw_land(rng: np.random.Generator, n: int, landless_share: float, land_gini: float) -> np.ndarray:
    """Land per household: ``landless_share`` own none; the rest lognormal with mean 1 and
    Gini ``land_gini`` (a lognormal's Gini is 2 Phi(sigma / sqrt 2) - 1)."""
    sigma = np.sqrt(2.0) * stats.norm.ppf((land_gini + 1.0) / 2.0)
    plots = rng.lognormal(-(sigma**2) / 2.0, sigma, n)
    landless = rng.random(n) < landless_share
    return np.where(landless, 0.0, plots)


# The parameters the burn-in reads beyond the household economy's (``Economy``): ``burn_in_schedule`` gives them to the loop.
BurnIn = namedtuple(
    "BurnIn",
    (
        "awareness_decay cohesion_noise cohesion_rate cooperative_openness coordination_cost copy_founding "
        "dissolve_cohesion dissolve_months dropout_rate ecotourism_cohesion ecotourism_min_members "
        "federation_cohesion forming_months fund_misuse group_max_size group_min_size height join_awareness "
        "join_rate management_decay management_learning management_transfer market_decay mature_fund "
        "mature_management mature_skills n_hamlets paralegal_protection peer_rate pressure radio_gain "
        "radio_saturation savings_rate skills_decay spontaneous_founding spontaneous_join_awareness width"
    ).split(),
)


def burn_in_schedule(p) -> Schedule:
    """What the run's loop reads in a month without a programme: the burn-in's parameters (``BurnIn``)
    from ``p``; no rapid mobilisation, no NGO-run project, groups learning as the community's own. The
    programme's fields, which such a month never reads, stay at their defaults, so the loop compiles
    once for the burn-in and the run."""
    read = {name: getattr(p, name) for name in BurnIn._fields if name in Schedule._fields}
    return programme_defaults()._replace(
        **read,
        rapid=False,
        rapid_join_awareness=0.0,
        ngo=0.0,
        ngo_support=0.0,
        rushed_cost=0.0,
        fund_target=max(p.mature_fund, 1e-9),
        group_learning=p.management_learning,
    )


@functools.cache
def programme_defaults() -> Schedule:
    """The default parameters' ``Schedule``: the programme's fields of a burn-in, read by no month of it."""
    return schedule_params(Params())


def burn_in(model) -> None:
    """The village lives ``burn_in_months`` without any programme before month 0, so it starts
    in the steady state of its own dynamics (livelihood, extraction, productive assets, credit, peer influence
    and forgetting, and the groups that start and dissolve on their own). Strategy-independent,
    so every strategy meets the same village.

    The months run in the run's compiled loop without a programme (``sim.schedule.months_loop``): the
    same submodel kernels, in the same order, with the same draws, as the submodels' functions run a
    month without a programme. Where a month founds more groups than the store holds, the loop stops
    there; the store grows as ``group_formation`` grows it, the rest of that month runs here, and the
    loop goes on.
    """
    p, h, g, pt = model.p, model.households, model.groups, model.patrons
    model.places = places = hamlet_places(p.n_hamlets)
    first = 1 - p.burn_in_months
    seasons = np.array([season_of(p.season_amplitude, month) for month in range(first, 1)])
    w = model.neighbours
    if (h.network >= 0).any():
        raise ValueError("a household is in a network before the burn-in, which has no networks")
    no_team = Store.declared(FACILITATOR, 0).arrays(Facilitators)
    economy, schedule = economy_params(p), burn_in_schedule(p)
    scalars = np.zeros(len(SCALARS))
    scalars[RENT] = model.rent_this_month
    month = first
    while month <= 0:
        month, g.n, stop, joiners, where, n_new, founder, prompted, _ = months_loop(
            month,
            0,
            False,
            model.rng,
            seasons,
            first,
            economy,
            schedule,
            h.arrays(Households),
            g.arrays(Groups),
            g.n,
            pt.arrays(Patrons),
            no_team,
            0,
            places.arrays(Places),
            np.zeros((0, p.n_hamlets)),
            NO_ROWS,
            NO_ROWS,
            np.zeros(0),
            w.indptr,
            w.indices,
            w.data,
            model.formation_order,
            model.reinforced,
            model.client_rate,  # credit refills it each month; a burn-in of no months leaves it as drawn
            model.land_return,
            1.0,
            np.zeros((0, len(COLUMNS))),
            scalars,
        )
        if stop == GROUPS_OUTGROWN:  # the rest of this month as ``group_formation`` and ``group_life`` do it
            model.month = month
            found_or_wait(model, joiners, where, n_new, founder)
            places.initiative[:] = keep_initiative(prompted, h.place, h.waiting)
            group_life(model, programme=False)
        month += 1
    model.rent_this_month = float(scalars[RENT])
    model.month = 0
    model.groups_dissolved = 0  # counted from month 1; the burn-in's own groups keep their history


def hamlet_places(n_places: int) -> Store:
    """Places with no programme on them: stage 0, no effort, no organiser, no initiative."""
    return Store(
        stage=np.zeros(n_places, dtype=np.int64),
        effort=np.zeros(n_places),
        worked=np.zeros(n_places),
        organiser=np.zeros(n_places, dtype=bool),
        initiative=np.zeros(n_places, dtype=bool),
    )


def initialise_village(model) -> None:
    """Steps 1-9 of the ODD's initialisation: everything before the first draw that depends on
    the strategy (households, patrons, burn-in, the patrons' cells). It reads only the
    parameters in ``BURN_IN_PARAMETERS``, so one village serves every run that shares them
    (``VillageModel.burned_in``)."""
    p, rng = model.p, model.rng

    # Households fill a share of cells, or come from a survey (sim/survey.py) and are
    # placed inside their hamlet; hamlets (dusun) are vertical strips of the grid.
    survey = read_survey(p.survey, p) if p.survey else None
    if survey is None:
        n = round(p.width * p.height * p.density)
        cells = np.sort(rng.choice(p.width * p.height, size=n, replace=False))
        x, y = cells // p.height, cells % p.height
        hamlet = x * p.n_hamlets // p.width
    else:
        n, hamlet = survey.n_households, survey.hamlet.copy()
        x, y = survey.place(p, rng)

    # Patrons: patrons_per_hamlet in each hamlet, each on a random household's cell.
    n_patrons = p.n_hamlets * p.patrons_per_hamlet
    patron_hamlet = np.repeat(np.arange(p.n_hamlets), p.patrons_per_hamlet)
    model.patrons = Store.declared(
        PATRON,
        n_patrons,
        hamlet=patron_hamlet,
        extraction_base=np.full(n_patrons, p.extraction),
        interest=np.full(n_patrons, p.patron_interest),
        interest_base=np.full(n_patrons, p.patron_interest),
        openness=beta(rng, p.openness_mean, n_patrons, p.openness_concentration),
    )
    # Each household is the client of one patron of its hamlet.
    pick = rng.integers(0, p.patrons_per_hamlet, n)
    patron = hamlet * p.patrons_per_hamlet + pick

    # Land: a landless share, lognormal plots among the rest with the given Gini; land
    # yields land_income_share of the village's income, labour and trade the rest.
    land = draw_land(rng, n, p.landless_share, p.land_gini)
    model.land_return = p.income_mean * p.land_income_share / max(1.0 - p.landless_share, 1e-9)
    labour = p.income_mean * (1.0 - p.land_income_share)
    income_base = labour * rng.lognormal(-(p.income_sd**2) / 2, p.income_sd, n)
    dependency = beta(rng, p.dependency_mean, n, p.concentration)
    awareness = beta(rng, p.awareness_mean, n, p.concentration)
    skills = beta(rng, p.skills_mean, n, p.concentration)
    management = beta(rng, p.household_management_mean, n, p.concentration)
    model.households = Store.declared(
        HOUSEHOLD,
        n,
        x=x,
        y=y,
        hamlet=hamlet,
        place=hamlet,
        patron=patron,
        land=land,
        income_base=income_base,
        income=income_base + model.land_return * land,
        consumption=np.full(n, 1.0),
        wealth=rng.exponential(p.wealth_mean, n) if p.wealth_mean > 0 else np.zeros(n),
        dependency=dependency,
        dependency_base=dependency.copy(),
        awareness=awareness,
        awareness_base=awareness.copy(),
        skills=skills,
        skills_base=skills.copy(),
        management=management,
        management_base=management.copy(),
        trust=np.full(n, p.trust_initial),
    )
    model.neighbours = neighbour_matrix(x, y, p.width, p.height)
    model.formation_order = formation_order(model.households)
    model.groups = GrowingStore(max(8, n // p.group_min_size), GROUP)
    model.groups_dissolved = 0
    model.modules = 0.0
    model.stimulant_paid = 0.0  # months of subsistence paid into group funds (priced by the cost table)
    model.radio_on = True  # the community radio broadcasts until it closes after exit (sim/exit.py)
    model.facilitator_months = 0.0
    model.rent_this_month = 0.0
    model.reinforced = np.zeros(n, dtype=bool)
    model.client_rate = model.patrons.interest[patron]

    # A survey's values replace the draws above (what it leaves out stays drawn) and are the
    # village's state; a drawn village first lives burn_in_months without a programme.
    model.survey = survey
    if survey is not None:
        survey.apply(model)
    else:
        burn_in(model)

    # A patron lives among its clients: on a random client's cell (else anywhere in its hamlet).
    pt, patron = model.patrons, model.households.patron
    clients = np.split(np.argsort(patron, kind="stable"), np.cumsum(np.bincount(patron, minlength=n_patrons))[:-1])
    for j, around in enumerate(clients):
        if len(around):
            home = around[rng.integers(len(around))]
            pt.x[j], pt.y[j] = x[home], y[home]
        else:
            strip = np.nonzero(np.arange(p.width) * p.n_hamlets // p.width == patron_hamlet[j])[0]
            pt.x[j], pt.y[j] = strip[rng.integers(len(strip))], rng.integers(p.height)


def formation_order(h) -> np.ndarray:
    """Households by place, then row, then column: the order in which joiners found groups, so each
    place's joiners are a block of neighbours (sim/group_formation.py). Places are fixed within the
    burn-in and within a run, so the order is computed when they are assigned."""
    return np.lexsort((h.x, h.y, h.place))


def initialise_programme(model) -> None:
    """Steps 10-11 of the ODD's initialisation: places and facilitators, the strategy's own draws."""
    places(model)
    model.team = deploy_facilitators(model)
    model._views = None


def places(model) -> None:
    """Places a facilitator can work, and the one place through which each household is organised.

    A place is a hamlet or an enterprise network. Area-based organises every household
    through its hamlet, enterprise-based through its network; hybrid splits the village:
    the first half of the hamlets (rounded up) area-based, the households of the others
    through their networks, so no household is organised twice and none is left out.
    Each household's network is drawn only here, after the village itself, so that one
    seed gives the same households and patrons under every strategy.
    """
    p, h = model.p, model.households
    if p.networks:
        active = np.array([NETWORKS.index(k) for k in p.networks])
        h.network_affinity = active[model.rng.integers(0, len(active), len(h))]
    by_network = p.n_hamlets + h.network_affinity
    if p.strategy == "enterprise_based" and p.networks:
        h.place = by_network
    elif p.strategy == "hybrid" and p.networks:
        h.place = np.where(h.hamlet < hybrid_area_hamlets(p), h.hamlet, by_network)
    else:
        h.place = h.hamlet.copy()
    model.formation_order = formation_order(h)
    model.place_names = [f"hamlet {k + 1}" for k in range(p.n_hamlets)] + list(NETWORKS)
    n_places = len(model.place_names)
    before = model.places if hasattr(model, "places") else hamlet_places(p.n_hamlets)
    model.places = hamlet_places(n_places)
    # A hamlet's own initiative (spontaneous spread, §7.6) outlives the burn-in.
    model.places.initiative[: p.n_hamlets] = before.initiative[: p.n_hamlets]
    order = np.argsort(h.place, kind="stable")
    size = np.bincount(h.place, minlength=n_places)
    model.place_households = np.split(order, np.cumsum(size)[:-1])
    model.place_size = size
    # The same lists packed for compiled kernels: members of place q are place_members[place_start[q]:place_start[q + 1]].
    model.place_members = order
    model.place_start = np.concatenate([[0], np.cumsum(size)])
    # Effort per household against a hamlet-sized place (facilitation: organising stages).
    model.place_scale = (len(h) / p.n_hamlets) / np.maximum(size, 1)


def hybrid_area_hamlets(p) -> int:
    """Hybrid works the first half of the hamlets (rounded up) area-based."""
    return -(-p.n_hamlets // 2)


def beats(model) -> np.ndarray:
    """Each external facilitator's share of effort on each place (one row per facilitator).

    Every strategy spreads its facilitators evenly over all the households it organises:
    the places are laid end to end by their households and facilitator *i* of *F* takes
    the households from quantile i/F to (i+1)/F, so every place gets effort in proportion
    to its households and coverage is equal across strategies at any F.
    """
    p = model.p
    n_places = len(model.place_names)
    if p.strategy == "baseline" or p.n_facilitators == 0:
        return np.zeros((0, n_places))
    cum = np.concatenate([[0.0], np.cumsum(model.place_size) / model.place_size.sum()])
    start, end = cum[:-1], cum[1:]
    f = p.n_facilitators
    lo = np.arange(f)[:, None] / f
    hi = (np.arange(f)[:, None] + 1) / f
    overlap = np.clip(np.minimum(hi, end) - np.maximum(lo, start), 0.0, None) * f
    return overlap / overlap.sum(axis=1, keepdims=True)


def deploy_facilitators(model) -> GrowingStore:
    """The external facilitators, one row each (their spread over places in ``model.beat_weights``),
    each standing on a random household of the place it mostly works."""
    team = GrowingStore(8, FACILITATOR)
    model.beat_weights = beats(model)
    for weights in model.beat_weights:
        row = team.add(1)
        beat = int(np.argmax(weights))
        team.beat[row], team.capacity[row] = beat, model.p.capacity
        members = model.place_households[beat]
        if len(members):
            home = members[model.rng.integers(len(members))]
            team.x[row], team.y[row] = model.households.x[home], model.households.y[home]
    return team
