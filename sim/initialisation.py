"""Initialisation: the village's households, patrons, places, networks and facilitators, as arrays.

The Mesa grid and agents are views built on request (``sim/agents.py``, ``build_agents``).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from sim.params import NETWORKS
from sim.state import GroupStage, GrowingStore, Store, facilitator_store
from sim.survey import read_survey


def beta(rng: np.random.Generator, mean: float, n: int, concentration: float) -> np.ndarray:
    """Beta draws with a given mean and concentration a + b (sd = sqrt(m(1-m)/(c+1))); a mean of exactly 0 or 1 stays put."""
    a, b = mean * concentration, (1 - mean) * concentration
    if a <= 0.0 or b <= 0.0:  # a mean of 0 or 1, or so close to it that a or b underflows
        return np.full(n, float(mean))
    return rng.beta(a, b, n)


def neighbour_matrix(x: np.ndarray, y: np.ndarray, width: int, height: int) -> sparse.csr_matrix:
    """Row-normalised Moore-neighbour matrix over households (self-loop where isolated)."""
    n = len(x)
    where = np.full((width, height), -1, dtype=np.int64)
    where[x, y] = np.arange(n)
    rows, cols = [], []
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            if dx == 0 and dy == 0:
                continue
            nx, ny = x + dx, y + dy
            inside = (nx >= 0) & (nx < width) & (ny >= 0) & (ny < height)
            other = np.full(n, -1)
            other[inside] = where[nx[inside], ny[inside]]
            has = other >= 0
            rows.append(np.nonzero(has)[0])
            cols.append(other[has])
    rows_a = np.concatenate(rows)
    cols_a = np.concatenate(cols)
    isolated = np.flatnonzero(np.bincount(rows_a, minlength=n) == 0)
    rows_a = np.concatenate([rows_a, isolated])
    cols_a = np.concatenate([cols_a, isolated])
    degree = np.bincount(rows_a, minlength=n).astype(float)
    matrix = sparse.csr_matrix((1.0 / degree[rows_a], (rows_a, cols_a)), shape=(n, n))
    return matrix


def initialise(model) -> None:
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
    model.patrons = Store(
        hamlet=patron_hamlet,
        capital=rng.exponential(p.patron_capital_mean, n_patrons) if p.patron_capital_mean > 0 else np.zeros(n_patrons),
        extraction_base=np.full(n_patrons, p.extraction),
        interest=np.full(n_patrons, p.patron_interest),
        openness=beta(rng, p.openness_mean, n_patrons, p.openness_concentration),
        rent=np.zeros(n_patrons),
        x=np.zeros(n_patrons, dtype=np.int64),
        y=np.zeros(n_patrons, dtype=np.int64),
    )
    # Each household is the client of one patron of its hamlet.
    pick = rng.integers(0, p.patrons_per_hamlet, n)
    patron = hamlet * p.patrons_per_hamlet + pick

    income_base = p.income_mean * rng.lognormal(-(p.income_sd**2) / 2, p.income_sd, n)
    model.households = Store(
        x=x,
        y=y,
        hamlet=hamlet,
        patron=patron,
        group=np.full(n, -1),
        network=np.full(n, -1),
        network_affinity=np.full(n, -1),
        income_base=income_base,
        income=income_base.copy(),
        wealth=rng.exponential(p.wealth_mean, n) if p.wealth_mean > 0 else np.zeros(n),
        debt=np.zeros(n),
        group_debt=np.zeros(n),
        dependency=beta(rng, p.dependency_mean, n, p.concentration),
        awareness=beta(rng, p.awareness_mean, n, p.concentration),
        skills=beta(rng, p.skills_mean, n, p.concentration),
        trust=np.full(n, p.trust_initial),
        self_reliance=np.zeros(n),
    )
    # A survey's values replace the draws above; what it leaves out stays drawn.
    model.survey = survey
    if survey is not None:
        survey.apply(model)
    model.neighbours = neighbour_matrix(x, y, p.width, p.height)

    model.groups = GrowingStore(
        max(8, n // p.group_min_size),
        place=(np.int64, -1),
        network=(np.int64, -1),
        stage=(np.int64, int(GroupStage.FORMING)),
        cohesion=(float, 0.5),
        management=(float, 0.0),
        fund=(float, 0.0),
        patron_loan=(float, 0.0),
        lender=(np.int64, -1),
        support=(float, 0.0),
        market_access=(float, 0.0),
        low_months=(np.int64, 0),
        founded=(np.int64, 0),
        matured=(np.int64, -1),
        dissolved=(np.int64, -1),
        internal=(bool, False),
        size=(np.int64, 0),
    )
    model.groups_dissolved = 0

    model.modules = 0.0
    model.place_cache = (b"", None)
    model.lender_cache = (b"", None)
    model.radio_cache = (np.empty(0, dtype=np.int64), None)
    model.facilitator_months = 0.0
    model.rent_this_month = 0.0

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
    places(model)
    model.team = deploy_facilitators(model)
    model._views = None


def places(model) -> None:
    """Places a facilitator can work: hamlets (area-based) and enterprise networks.

    Each household's network is drawn only here, after the village itself, so that one
    seed gives the same households and patrons under every strategy.
    """
    p, h = model.p, model.households
    if p.networks:
        active = np.array([NETWORKS.index(k) for k in p.networks])
        h.network_affinity = active[model.rng.integers(0, len(active), len(h))]
    model.place_names = [f"hamlet {k + 1}" for k in range(p.n_hamlets)] + list(NETWORKS)
    model.places = Store(
        stage=np.zeros(len(model.place_names), dtype=np.int64),
        effort=np.zeros(len(model.place_names)),
        worked=np.zeros(len(model.place_names)),
        organiser=np.zeros(len(model.place_names), dtype=bool),
    )
    model.place_households = [np.nonzero(h.hamlet == k)[0] for k in range(p.n_hamlets)] + [
        np.nonzero(h.network_affinity == k)[0] for k in range(len(NETWORKS))
    ]
    # The same lists packed for compiled kernels: members of place q are place_members[place_start[q]:place_start[q + 1]].
    model.place_members = np.concatenate(model.place_households)
    model.place_start = np.concatenate([[0], np.cumsum([len(m) for m in model.place_households])])
    net_place = np.where(h.network_affinity >= 0, p.n_hamlets + h.network_affinity, -1)
    model.household_places = [h.hamlet] + ([net_place] if p.networks else [])


def beats(model) -> list[int]:
    """Each external facilitator's beat (a place index), by strategy (MODEL.md §5)."""
    p = model.p
    if p.strategy == "baseline" or p.n_facilitators == 0:
        return []
    hamlets = [h for h in range(p.n_hamlets)]
    networks = [p.n_hamlets + NETWORKS.index(k) for k in p.networks]
    if p.strategy == "area_based":
        return [hamlets[i % len(hamlets)] for i in range(p.n_facilitators)]
    if p.strategy == "enterprise_based":
        return [networks[i % len(networks)] for i in range(p.n_facilitators)]
    # hybrid: facilitators alternate between a hamlet and a network.
    return [
        hamlets[(i // 2) % len(hamlets)] if i % 2 == 0 else networks[(i // 2) % len(networks)]
        for i in range(p.n_facilitators)
    ]


def deploy_facilitators(model):
    """The external facilitators, one row each, standing on a random household of their beat."""
    team = facilitator_store()
    for beat in beats(model):
        row = team.add(1)
        team.beat[row], team.capacity[row] = beat, model.p.capacity
        members = model.place_households[beat]
        if len(members):
            home = members[model.rng.integers(len(members))]
            team.x[row], team.y[row] = model.households.x[home], model.households.y[home]
    return team
