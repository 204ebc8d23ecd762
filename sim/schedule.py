"""The schedule of a run: its months in one compiled loop (``run_months``).

``VillageModel.step`` runs a month as the ODD lists it, one Python function per submodel: the
way to read the model, and what the visualizer and ``berdaya run`` step through. A run to its
horizon (``VillageModel.run_model``, every experiment's) runs the same months in one compiled
call, ``months_loop``: each submodel's kernels with the same arguments and draws in the same
order, and the month's row of outputs (``collect``) from the same kernels. A programme month's
Python around its kernels took about half its time, and handing the generator and the state to
a compiled call costs tens of microseconds, so the loop pays once per run, not once a month
(benchmarks/README.md). tests/test_schedule.py checks the two ways bit for bit.

Where a month outgrows a store (more groups founded than the groups' arrays hold, or an internal
facilitator grown: the team gains a row), the loop returns inside that month; Python finishes it
with the submodels' own functions, and the loop goes on.
"""

from __future__ import annotations

from collections import namedtuple

import numba
import numpy as np

from sim.collect import (
    ASSETS,
    AWARENESS,
    COLUMNS,
    CONSUMPTION,
    COVERAGE_MONTHS,
    COVERED,
    DEPENDENCY,
    HIGH_COST,
    HIGH_COST_RATE,
    IN_GROUP,
    PATRON_DEBT,
    POOR,
    SELF_RELIANCE,
    SELF_RELIANT,
    SKILLS,
    TRUST,
    collect,
    spread,
    tally,
)
from sim.economy import economy_month, economy_params
from sim.exit import exit_and_succession, succession, take_over
from sim.facilitation import field_month, learning_factor, opened, role_weights, work
from sim.group_formation import found_groups, found_or_wait, join, keep_initiative, openings
from sim.group_life import dissolve, group_life, live_month
from sim.livelihood import season_of
from sim.params import RADIO
from sim.peer_influence import influence, resistance_of
from sim.state import ACTION, ACTIVE, FORMING, MATURE, Facilitators, Groups, Households, Patrons, Places
from sim.sums import total

# Why ``months_loop`` returned: the run's last month done, or inside a month that outgrew a store.
DONE, GROUPS_OUTGROWN, TEAM_GROWN = 0, 1, 2

# The run's scalars the loop carries (``months_loop``'s ``scalars``), by slot.
RENT, STIMULANT_PAID, FACILITATOR_MONTHS, MODULES, GROUPS_DISSOLVED, RADIO_ON, POOREST40 = range(7)
SCALARS = (
    ("rent_this_month", float),
    ("stimulant_paid", float),
    ("facilitator_months", float),
    ("modules", float),
    ("groups_dissolved", int),
    ("radio_on", bool),
    ("consumption_poorest40", float),
)

# The columns of a month's row (``sim.collect.REPORTERS``), by position.
(
    C_MONTH,
    C_DEPENDENCY,
    C_AWARENESS,
    C_SKILLS,
    C_TRUST,
    C_SELF_RELIANCE,
    C_SELF_RELIANT,
    C_IN_GROUP,
    C_FORMING,
    C_ACTIVE,
    C_MATURE,
    C_DISSOLVED,
    C_RENT,
    C_WEALTH_GINI,
    C_FACILITATOR_MONTHS,
    C_INTERNAL,
    C_CONSUMPTION,
    C_CONSUMPTION_GINI,
    C_POOR,
    C_PATRON_DEBT,
    C_HIGH_COST,
    C_COVERED,
    C_ASSETS,
) = (
    COLUMNS.index(name)
    for name in (
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
    )
)

# What a programme month reads beyond the household economy (``Economy``), each as the submodels'
# functions compute it from the parameters (``schedule_params``).
Schedule = namedtuple(
    "Schedule",
    (
        # facilitation
        "phased staged knowledge_manager wc wf wt wn group_visit_cost trust_gain animation_gain training_gain "
        "module_effect module_gain consult_gain learning link_gain stimulant stage_months rapid_formation_months "
        "networking_kept n_hamlets "
        # peer influence
        "cooperative_openness width height radio_reach peer_rate pressure paralegal_protection radio_gain "
        "radio_saturation management_transfer awareness_decay skills_decay "
        # group formation
        "spontaneous_founding copy_founding join_awareness spontaneous_join_awareness rapid rapid_join_awareness "
        "join_rate dropout_rate group_min_size group_max_size "
        # group life
        "savings_rate ngo_support fund_misuse ngo coordination_cost rushed_cost fund_target federation_cohesion "
        "ecotourism_cohesion ecotourism_min_members cohesion_rate cohesion_noise group_learning management_decay "
        "market_decay forming_months mature_management mature_fund mature_skills dissolve_cohesion dissolve_months "
        # exit and succession
        "exit_none programme_months exit_taper_months radio_close internal_support internal_facilitators "
        "internal_awareness internal_skills internal_capacity "
        # collect
        "buffer_target dependency_discount self_reliance_threshold group_high_cost"
    ).split(),
)


def schedule_params(p) -> Schedule:
    """``Schedule`` from the run's parameters, each derived as the submodel's function derives it."""
    wc, wf, wt, wn = role_weights(p)
    rapid, ngo = p.mobilisation == "rapid", p.project_management == "ngo"
    derived = {
        "phased": p.exit_mode == "phased",
        "staged": p.mobilisation == "staged",
        "wc": wc,
        "wf": wf,
        "wt": wt,
        "wn": wn,
        "learning": learning_factor(p),
        "networking_kept": 1.0 - p.networking_gain,
        "rapid": rapid,
        "ngo_support": p.ngo_management_support if ngo else 0.0,
        "ngo": 1.0 if ngo else 0.0,
        "rushed_cost": p.rapid_cohesion_cost if rapid else 0.0,
        "fund_target": max(p.mature_fund, 1e-9),
        "group_learning": p.management_learning * learning_factor(p),
        "exit_none": p.exit_mode == "none",
        "group_high_cost": p.group_interest >= HIGH_COST_RATE,
    }
    return Schedule(*(derived[name] if name in derived else getattr(p, name) for name in Schedule._fields))


def run_months(model) -> None:
    """The model's remaining months, as ``step`` would run them one by one (without the Mesa views,
    which ``step`` keeps in step with the arrays)."""
    p, h, g, pt, team, places = model.p, model.households, model.groups, model.patrons, model.team, model.places
    economy, s = economy_params(p), schedule_params(p)
    seasons = np.array([season_of(p.season_amplitude, month) for month in range(p.months + 1)])
    w = model.neighbours
    scalars = np.array([float(getattr(model, name)) for name, _ in SCALARS])
    if model.running and not model.steps < p.months < len(model.records):  # as ``step`` would fail there
        raise IndexError(f"month {model.steps + 1} has no row: the run was built for {len(model.records) - 1} months")
    while model.running:
        month, g.n, stop, joiners, where, n_new, founder, prompted, grown = months_loop(
            model.steps + 1,
            p.months,
            True,
            model.rng,
            seasons,
            0,
            economy,
            s,
            h.arrays(Households),
            g.arrays(Groups),
            g.n,
            pt.arrays(Patrons),
            team.arrays(Facilitators),
            team.n,
            places.arrays(Places),
            model.beat_weights,
            model.place_members,
            model.place_start,
            model.place_scale,
            w.indptr,
            w.indices,
            w.data,
            model.formation_order,
            model.reinforced,
            model.client_rate,
            model.land_return,
            model.usual_income,
            model.records,
            scalars,
        )
        model.steps = model.month = month
        for (name, kind), value in zip(SCALARS, scalars, strict=True):
            setattr(model, name, kind(value))
        if stop == GROUPS_OUTGROWN:  # the rest of the month as its submodels' functions run it, the store grown
            found_or_wait(model, joiners, where, n_new, founder)
            places.initiative[:] = keep_initiative(prompted, h.place, h.waiting)
            group_life(model)
            exit_and_succession(model)
            collect(model)
        elif stop == TEAM_GROWN:
            take_over(model, grown)
            collect(model)
        if stop != DONE:
            scalars = np.array([float(getattr(model, name)) for name, _ in SCALARS])
        if model.month >= p.months:
            model.running = False


NO_ROWS = np.empty(0, dtype=np.int64)
NO_PLACES = np.empty(0, dtype=np.bool_)
NO_PAIRS = np.empty((0, 2), dtype=np.int64)


@numba.njit(cache=True)
def months_loop(
    month,
    last,
    programme,
    rng,
    seasons,
    season0,
    economy,
    s,
    h,
    g,
    n_groups,
    pt,
    team,
    n_team,
    places,
    beat_weights,
    place_members,
    place_start,
    place_scale,
    indptr,
    indices,
    data,
    formation_order,
    reinforced,
    client_rate,
    land_return,
    usual_income,
    records,
    scalars,
):
    """Months ``month`` to ``last``: each what ``VillageModel.step`` does, calling the same kernels with
    the same draws in the same order (``seasons[month - season0]`` the month's season). Without a
    ``programme`` (the burn-in, with ``burn_in_schedule``) a month is the household economy, peer
    influence, group formation and group life: no facilitation, no exit, no row of outputs. Returns the month reached, the number of groups, why it
    returned (``DONE``, or inside a month that outgrew a store), and what finishing that month needs:
    for ``GROUPS_OUTGROWN`` the joiners, their places, groups per place, founders and the places
    prompted (as ``found_or_wait`` and ``keep_initiative`` take them); for ``TEAM_GROWN`` the
    (group, member) pairs ``succession`` grew. ``scalars`` (slots ``RENT``..) are read and updated."""
    n = len(h.group)
    n_places = len(places.stage)
    capacity = len(g.stage)
    while month <= last:
        scalars[RENT] = economy_month(
            month,
            rng,
            seasons[month - season0],
            economy,
            h,
            g,
            n_groups,
            pt,
            places.organiser,
            client_rate,
            land_return,
        )
        if programme:  # facilitation
            for i in range(n):
                reinforced[i] = False
            external, internal, effort, visiting, homes, worked, organiser, anyone = work(
                n_team,
                team.beat,
                team.capacity,
                team.internal,
                team.effort,
                team.in_field,
                team.months_worked,
                beat_weights,
                place_start,
            )
            for q in range(n_places):
                places.worked[q] = worked[q]
                places.organiser[q] = organiser[q]
            for k in range(len(visiting)):  # each visits a household of the place it mostly works, drawn uniformly
                f = visiting[k]
                i = place_members[place_start[team.beat[f]] + rng.integers(0, homes[k])]
                team.x[f], team.y[f] = h.x[i], h.y[i]
            if anyone:
                paid, months, modules = field_month(
                    external,
                    internal,
                    effort,
                    rng.random(n),
                    places.stage,
                    places.effort,
                    place_scale,
                    h.place,
                    h.group,
                    h.trust,
                    h.awareness,
                    h.skills,
                    h.last_contact,
                    reinforced,
                    n_groups,
                    g.stage,
                    g.place,
                    g.management,
                    g.market_access,
                    g.fund,
                    month,
                    scalars[MODULES],
                    s.phased,
                    s.staged,
                    s.knowledge_manager,
                    s.wc,
                    s.wf,
                    s.wt,
                    s.wn,
                    s.group_visit_cost,
                    s.trust_gain,
                    s.animation_gain,
                    s.training_gain,
                    s.module_effect,
                    s.module_gain,
                    s.consult_gain,
                    s.learning,
                    s.link_gain,
                    s.stimulant,
                    s.stage_months,
                    s.rapid_formation_months,
                )
                if s.wn > 0:  # networking: a hamlet's patrons, and through a network every patron
                    networked = effort * s.wn
                    spread_out = total(networked[s.n_hamlets :]) / s.n_hamlets
                    reached = np.empty(len(pt.openness))
                    for j in range(len(reached)):
                        reached[j] = networked[pt.hamlet[j]] + spread_out
                    openness = opened(pt.openness, s.networking_kept, reached)
                    for j in range(len(reached)):
                        pt.openness[j] = openness[j]
                scalars[STIMULANT_PAID] += paid
                scalars[FACILITATOR_MONTHS] += months
                scalars[MODULES] += modules
        # peer influence
        broadcasting = s.radio_gain != 0 and scalars[RADIO_ON] != 0.0 and radio_members(h.network)
        reach = s.radio_reach if broadcasting else -1  # (numba takes no conditional inside a long call)
        awareness = influence(
            indptr,
            indices,
            data,
            h.awareness,
            h.group,
            g.size,
            h.network,
            h.patron,
            h.dependency,
            pt.openness,
            s.cooperative_openness,
            h.x,
            h.y,
            s.width,
            s.height,
            reach,
            s.peer_rate,
            s.pressure,
            s.paralegal_protection,
            s.radio_gain,
            s.radio_saturation,
            g.stage,
            g.management,
            reinforced,
            h.awareness_base,
            h.skills,
            h.skills_base,
            h.management,
            h.management_base,
            s.management_transfer,
            s.awareness_decay,
            s.skills_decay,
        )
        for i in range(n):
            h.awareness[i] = awareness[i]
        # group formation
        prompted = rng.random(n_places) < s.spontaneous_founding
        rapid = False
        for q in range(n_places):
            prompted[q] = prompted[q] or places.initiative[q]
            rapid = rapid or places.stage[q] >= ACTION
        rapid = rapid and s.rapid
        rapid_awareness = s.rapid_join_awareness if rapid else 0.0
        open_to, founder, threshold, willing = openings(
            h.group,
            h.awareness,
            h.waiting,
            h.place,
            g.stage[:n_groups],
            g.place[:n_groups],
            places.stage,
            places.organiser,
            prompted,
            rng.random(n_places),
            s.copy_founding,
            s.join_awareness,
            s.spontaneous_join_awareness,
            rapid,
            rapid_awareness,
        )
        if willing:
            joiners, where, n_new = join(
                h.group,
                h.awareness,
                h.waiting,
                h.place,
                formation_order,
                h.network,
                open_to,
                h.patron,
                h.dependency,
                resistance_of(pt.openness, s.cooperative_openness),
                rng.random(n),
                threshold,
                founder,
                s.join_rate,
                s.dropout_rate,
                n_groups,
                g.stage,
                g.size,
                g.place,
                g.network,
                s.group_min_size,
                s.group_max_size,
            )
            founded = n_new.sum()
            if n_groups + founded > capacity:
                return month, n_groups, GROUPS_OUTGROWN, joiners, where, n_new, founder, prompted, NO_PAIRS
            if founded:
                first_row = n_groups
                n_groups += founded
                found_groups(
                    joiners,
                    where,
                    n_new,
                    first_row,
                    founder,
                    places.worked,
                    month,
                    s.n_hamlets,
                    s.group_max_size,
                    g.place,
                    g.network,
                    g.stage,
                    g.founded,
                    g.support,
                    g.organised_by,
                    g.size,
                    h.group,
                    h.network,
                    h.waiting,
                )
            else:
                for i in joiners:
                    h.waiting[i] = True
        held = keep_initiative(prompted, h.place, h.waiting)
        for q in range(n_places):
            places.initiative[q] = held[q]
        # group life
        if n_groups:
            leave_draw = rng.random(n)
            noise = rng.standard_normal(n_groups)
            rushed = np.zeros(n_groups)
            if s.rapid:  # what rapid mobilisation costs the groups a facilitator formed (``rushed_cost``)
                for k in range(n_groups):
                    rushed[k] = s.rushed_cost * (1.0 if g.organised_by[k] == 0 else 0.0)
            dissolving = live_month(
                h.group,
                h.network,
                h.wealth,
                h.income,
                h.group_debt,
                h.awareness,
                h.skills,
                n_groups,
                g.stage,
                g.size,
                g.fund,
                g.cohesion,
                g.management,
                g.support,
                g.market_access,
                g.place,
                g.network,
                g.founded,
                g.matured,
                g.low_months,
                places.stage,
                leave_draw,
                noise,
                month,
                s.dropout_rate,
                s.savings_rate,
                s.ngo_support,
                s.fund_misuse,
                s.ngo,
                s.coordination_cost,
                rushed,
                s.fund_target,
                s.federation_cohesion,
                s.ecotourism_cohesion,
                s.ecotourism_min_members,
                s.cohesion_rate,
                s.cohesion_noise,
                s.group_learning,
                s.management_decay,
                s.market_decay,
                s.forming_months,
                s.mature_management,
                s.mature_fund,
                s.mature_skills,
                s.dissolve_cohesion,
                s.dissolve_months,
            )
            if len(dissolving):
                dissolve(
                    dissolving,
                    h.group,
                    h.network,
                    h.wealth,
                    h.group_debt,
                    g.fund,
                    g.size,
                    g.patron_loan,
                    g.lender,
                    g.stage,
                    g.support,
                    g.dissolved,
                    pt.capital,
                    month,
                )
                scalars[GROUPS_DISSOLVED] += len(dissolving)
        if not programme:
            month += 1
            continue
        # exit and succession (``external_effort``, ``radio_closes``, ``succession``)
        if s.exit_none:
            outside = 1.0
        elif s.programme_months - month <= 0:
            outside = 0.0
        elif s.phased and s.programme_months - month < s.exit_taper_months:
            outside = (s.programme_months - month) / s.exit_taper_months
        else:
            outside = 1.0
        if scalars[RADIO_ON] != 0.0 and outside == 0 and radio_members(h.network):
            scalars[RADIO_ON] = 1.0 if rng.random() >= s.radio_close else 0.0
        grown = succession(
            n_team,
            team.internal,
            team.effort,
            team.in_field,
            team.home_group,
            n_groups,
            g.stage,
            g.place,
            g.matured,
            g.internal,
            g.support,
            places.worked,
            h.group,
            h.awareness,
            h.skills,
            outside,
            month,
            s.phased,
            s.exit_taper_months,
            s.internal_support,
            s.internal_facilitators,
            s.internal_awareness,
            s.internal_skills,
        )
        if s.internal_capacity > 0 and len(grown):
            return month, n_groups, TEAM_GROWN, NO_ROWS, NO_ROWS, NO_ROWS, NO_ROWS, NO_PLACES, grown
        row_of_month(
            month,
            s,
            h,
            g,
            n_groups,
            team,
            n_team,
            client_rate,
            usual_income,
            records,
            scalars,
        )
        month += 1
    return last, n_groups, DONE, NO_ROWS, NO_ROWS, NO_ROWS, NO_ROWS, NO_PLACES, NO_PAIRS


@numba.njit(cache=True)
def radio_members(network):
    """Whether any household is a member of the community radio's network."""
    for i in range(len(network)):
        if network[i] == RADIO:
            return True
    return False


@numba.njit(cache=True)
def row_of_month(month, s, h, g, n_groups, team, n_team, client_rate, usual_income, records, scalars):
    """``collect``'s row of ``month``: the tally, the spread of wealth and consumption, and each reporter."""
    n = len(h.group)
    t, stages = tally(
        h.group,
        h.wealth,
        h.debt,
        h.group_debt,
        h.assets,
        h.assets_growing,
        h.management,
        h.skills,
        h.dependency,
        h.awareness,
        h.trust,
        h.consumption,
        client_rate,
        h.last_contact,
        h.self_reliance,
        g.management,
        g.fund,
        g.size,
        g.stage[:n_groups],
        month,
        s.buffer_target,
        s.dependency_discount,
        s.self_reliance_threshold,
        s.group_high_cost,
        COVERAGE_MONTHS,
    )
    held = np.empty(n)
    for i in range(n):
        held[i] = h.wealth[i] + h.assets[i]
        held[i] += h.assets_growing[i]
    spread_now = spread(held, h.consumption)
    internal = 0
    for f in range(n_team):
        if team.internal[f] and team.in_field[f]:
            internal += 1
    row = records[month]
    row[C_MONTH] = month
    row[C_DEPENDENCY] = t[DEPENDENCY] / n
    row[C_AWARENESS] = t[AWARENESS] / n
    row[C_SKILLS] = t[SKILLS] / n
    row[C_TRUST] = t[TRUST] / n
    row[C_SELF_RELIANCE] = t[SELF_RELIANCE] / n
    row[C_SELF_RELIANT] = t[SELF_RELIANT] / n
    row[C_IN_GROUP] = t[IN_GROUP] / n
    row[C_FORMING] = stages[FORMING]
    row[C_ACTIVE] = stages[ACTIVE]
    row[C_MATURE] = stages[MATURE]
    row[C_DISSOLVED] = scalars[GROUPS_DISSOLVED]
    row[C_RENT] = scalars[RENT] / n
    row[C_WEALTH_GINI] = spread_now[0]
    row[C_FACILITATOR_MONTHS] = scalars[FACILITATOR_MONTHS]
    row[C_INTERNAL] = internal
    row[C_CONSUMPTION] = t[CONSUMPTION] / n
    row[C_CONSUMPTION_GINI] = spread_now[1]
    row[C_POOR] = t[POOR] / n
    row[C_PATRON_DEBT] = t[PATRON_DEBT] / n
    row[C_HIGH_COST] = t[HIGH_COST] / n
    row[C_COVERED] = t[COVERED] / n
    row[C_ASSETS] = t[ASSETS] / n / usual_income
    scalars[POOREST40] = spread_now[2]
