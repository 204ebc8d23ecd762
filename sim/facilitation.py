"""Submodel 4, facilitation: facilitators in the field work their beats, by organising stage.

A place (a hamlet for area-based work, an enterprise network for enterprise-based work)
receives ``capacity x effort`` contacts a month from each facilitator on it. Networking
with leaders and patrons (seed 002) takes its share first when patron engagement is on.
Before the action stage the rest goes to meeting households: immersion builds trust,
animation (from social investigation on) raises awareness, scaled by trust (seeds 003,
004). From the action stage the three roles of seed 001 share it: the consultant builds
groups' management (less where the NGO manages the project, seed 000), the facilitator
links groups to markets and resources (and, from the NGO, a stimulant to the fund), the
trainer meets households and raises skills, more with the modules of a
knowledge-manager NGO (seed 000).

An outside facilitator's beat may span several places (``Facilitator.weights``, its share
of effort on each): every strategy spreads its facilitators over the whole village, so
coverage is equal at any number of facilitators (initialisation, ``beats``). Facilitators
on the same place pool their contacts, so the work is one pass over the households, not a
loop over facilitators. Every household met, and every member of a tended group, is
reinforced this month (no forgetting, §7.5); a household met where outside facilitators
work counts as reached for ``coverage``.
"""

from __future__ import annotations

import numba
import numpy as np

from sim.state import ACTION, DISSOLVED, IMMERSION, INVESTIGATION, MATURE, ORGANISATION


def role_weights(p) -> np.ndarray:
    """Normalised effort shares: consultant, facilitator, trainer, networking."""
    w = np.array([p.w_consultant, p.w_facilitator, p.w_trainer, p.w_networking if p.patron_engagement else 0.0])
    total = w.sum()
    return w / total if total > 0 else w


def learning_factor(p) -> float:
    """Where the NGO manages the project, consulting substitutes for the group's own management (seed 000)."""
    return 1.0 if p.project_management == "community" else p.ngo_learning_factor


def facilitation(model) -> None:
    p, places = model.p, model.places
    model.reinforced[:] = False
    team, h = model.team, model.households
    external, internal, effort, visiting, homes = work(
        team.n,
        team.beat,
        team.capacity,
        team.internal,
        team.effort,
        team.in_field,
        team.months_worked,
        model.beat_weights,
        model.place_start,
    )
    if len(visiting):  # each visits a household of the place it mostly works, drawn uniformly, in row order
        i = model.place_members[model.place_start[team.beat[visiting]] + model.rng.integers(0, homes)]
        team.x[visiting], team.y[visiting] = h.x[i], h.y[i]
    places.worked = np.minimum(effort, 1.0)
    places.organiser = (external + internal) > 0
    if not places.organiser.any():
        return
    weights = role_weights(p)
    wc, wf, wt, wn = weights
    meet_households(model, external * (1.0 - wn), internal, weights)
    tend_groups(model, external, internal, weights)
    if wn > 0:
        networking(model, effort * wn)
    # A place's stage moves with effort per household, against a hamlet-sized place, so a
    # small place worked part-time moves as fast as a hamlet worked full-time.
    places.effort += effort * model.place_scale
    model.facilitator_months += effort.sum()
    if p.knowledge_manager:
        model.modules += p.module_gain * wt * effort[places.stage >= ACTION].sum()
    places.stage = np.maximum(places.stage, organising_stage(places.effort, p))


def organising_stage(effort: np.ndarray, p) -> np.ndarray:
    """The stage a place's accumulated effort has reached under the programme's mobilisation.

    ``staged`` (seed 003): one stage every ``stage_months``. ``rapid``: immersion and
    investigation run alongside from the first month, groups are formed (action) after
    ``rapid_formation_months``, and organisation follows ``stage_months`` later.
    """
    if p.mobilisation == "staged":
        return np.minimum((effort + 1e-9) // p.stage_months, ORGANISATION).astype(np.int64)
    after = np.maximum(effort + 1e-9 - p.rapid_formation_months, 0.0)
    formed = np.minimum(ACTION + after // p.stage_months, ORGANISATION).astype(np.int64)
    return np.where(effort <= 0, IMMERSION, np.where(effort + 1e-9 >= p.rapid_formation_months, formed, INVESTIGATION))


@numba.njit(cache=True)
def work(n, beat, capacity, internal, effort, in_field, months_worked, weights, place_start):
    """Contacts and effort per place from the facilitators in the field, and who visits a household.

    An outside facilitator f adds capacity_f effort_f w_fq to C_ext(q) and effort_f w_fq to E(q)
    on every place q; an internal one adds capacity_f effort_f to C_int(beat). Each adds its effort
    to months_worked. Returns also the rows of those whose beat has households, with their number
    (the caller draws the household visited).
    """
    n_places = len(place_start) - 1
    external, inside, spent = np.zeros(n_places), np.zeros(n_places), np.zeros(n_places)
    visiting, homes = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    k = 0
    for f in range(n):
        if not in_field[f] or effort[f] <= 0:
            continue
        if internal[f]:
            inside[beat[f]] += capacity[f] * effort[f]
        else:
            contacts = capacity[f] * effort[f]
            for q in range(n_places):
                external[q] += contacts * weights[f, q]
                spent[q] += effort[f] * weights[f, q]
        months_worked[f] += effort[f]
        q = beat[f]
        if place_start[q + 1] > place_start[q]:
            visiting[k], homes[k] = f, place_start[q + 1] - place_start[q]
            k += 1
    return external, inside, spent, visiting[:k], homes[:k]


def meet_households(model, external: np.ndarray, internal: np.ndarray, weights: np.ndarray) -> None:
    """Each household of a worked place is met with chance (its place's contacts) / (its candidates).

    Before the action stage all contacts meet households; from it, the trainer's share.
    A household met where outside facilitators work counts as reached (coverage): a
    facilitator's month reaches as many households in person in every strategy, whatever
    groups have formed."""
    p, h, g, places = model.p, model.households, model.groups, model.places
    wc, wf, wt, wn = weights
    phased = p.exit_mode == "phased" and g.n > 0  # effort moves from mature groups to weaker ones (seed 004)
    # From the action stage on, the trainer meets households, and so do the consultant and the
    # facilitator with the contacts their place's groups do not need (with no group yet, all of them).
    rest = max(1.0 - wn, 1e-12)
    training = min(max(p.training_gain * (1.0 + p.module_effect * model.modules / (1.0 + model.modules)), 0.0), 1.0)
    meet(
        h.place,
        spare_contacts(
            external + internal,
            places.stage,
            tendable(g.stage[: g.n], g.place[: g.n], phased, len(places.stage)),
            wc / rest,
            wf / rest,
            wt / rest,
            p.group_visit_cost,
        ),
        external,
        model.rng.random(len(h)),
        places.stage,
        h.group,
        g.stage,
        phased,
        h.trust,
        h.awareness,
        h.skills,
        h.last_contact,
        model.reinforced,
        model.month,
        p.trust_gain,
        p.animation_gain,
        training,
    )


@numba.njit(cache=True)
def tendable(stage, place, phased, n_places):
    """G_q: the groups of place q a visit can tend (live, and not mature in a phased exit)."""
    count = np.zeros(n_places)
    for k in range(len(stage)):
        if stage[k] != DISSOLVED and not (phased and stage[k] == MATURE):
            count[place[k]] += 1.0
    return count


@numba.njit(cache=True)
def spare_contacts(contacts, stage, tendable, sc, sf, st, visit_cost):
    """M(q): the contacts place q spends on households (``contacts``: those not spent networking).

    All of them before the action stage; from it the trainer's share plus what the consultant's
    and the facilitator's shares leave after a full visit to each of the place's G_q groups:
        M(q) = C st + max(C sc - visit_cost G_q, 0) + max(C sf - visit_cost G_q, 0)
    """
    out = contacts.copy()
    for q in range(len(contacts)):
        if stage[q] >= ACTION:
            needed = visit_cost * tendable[q]
            c = contacts[q]
            out[q] = c * st + max(c * sc - needed, 0.0) + max(c * sf - needed, 0.0)
    return out


@numba.njit(cache=True)
def meet(
    place,
    contacts,
    external,
    draw,
    stage,
    group,
    group_stage,
    phased,
    trust,
    awareness,
    skills,
    last_contact,
    reinforced,
    month,
    trust_gain,
    animation_gain,
    training,
):
    """Household i is met when draw_i < min(M(q) / #candidates(q), 1), q its place.

    ``draw`` holds one uniform draw per household, candidate or not (members of mature groups
    are no candidates in a phased exit). A met household is reinforced, reached (last_contact)
    where outside facilitators work, and at its place's stage:
        trust += trust_gain (1 if immersion else 0.5)(1 - trust)
        awareness += [stage >= investigation] animation_gain trust (1 - awareness)
        skills += [stage >= action] min(training_gain B, 1)(1 - skills)
    """
    n = len(place)
    candidate = np.empty(n, dtype=np.bool_)
    count = np.zeros(len(contacts))
    for i in range(n):
        candidate[i] = not (phased and group[i] >= 0 and group_stage[group[i]] == MATURE)
        if candidate[i]:
            count[place[i]] += 1
    for i in range(n):
        q = place[i]
        if not candidate[i] or draw[i] >= min(contacts[q] / max(count[q], 1.0), 1.0):
            continue
        reinforced[i] = True
        if external[q] > 0:
            last_contact[i] = month
        trust[i] += trust_gain * (1.0 if stage[q] == IMMERSION else 0.5) * (1.0 - trust[i])
        if stage[q] >= INVESTIGATION:
            awareness[i] += animation_gain * trust[i] * (1.0 - awareness[i])
        if stage[q] >= ACTION:
            skills[i] += training * (1.0 - skills[i])


def tend_groups(model, external: np.ndarray, internal: np.ndarray, weights: np.ndarray) -> None:
    """Consulting and linking for the tendable groups (a visit costs group_visit_cost contacts)."""
    p, g, h = model.p, model.groups, model.households
    model.stimulant_paid += tend(
        g.n,
        g.stage,
        g.place,
        g.management,
        g.market_access,
        g.fund,
        h.group,
        model.reinforced,
        model.places.stage,
        external,
        internal,
        p.exit_mode == "phased",
        p.group_visit_cost,
        weights[0],
        weights[1],
        p.consult_gain,
        learning_factor(p),
        p.link_gain,
        p.stimulant,
    )


@numba.njit(cache=True)
def tend(
    n,
    stage,
    place,
    management,
    market_access,
    fund,
    group,
    reinforced,
    place_stage,
    external,
    internal,
    phased,
    visit_cost,
    wc,
    wf,
    consult_gain,
    learning,
    link_gain,
    stimulant,
):
    """A group is tended when live (not mature in a phased exit), its place at the action stage and worked:

        V_k = group_visit_cost max(n_q(k), 1)       (n_q: tended groups of its place)
        management_k    += consult_gain lambda min((C_ext + C_int)(q) w_c / V_k, 1)(1 - management_k)
        market_access_k += link_gain min((C_ext + C_int)(q) w_f / V_k, 1)(1 - market_access_k)
        fund_k          += stimulant min(C_ext(q) w_f / V_k, 1)
    and its members are reinforced this month. Returns the stimulant paid in.
    """
    tended = np.zeros(n, dtype=np.bool_)
    count = np.zeros(len(external), dtype=np.int64)
    for k in range(n):
        q = place[k]
        tended[k] = (
            stage[k] != DISSOLVED
            and not (phased and stage[k] == MATURE)
            and place_stage[q] >= ACTION
            and external[q] + internal[q] > 0
        )
        count[q] += tended[k]
    if not count.any():
        return 0.0
    paid = 0.0
    for k in range(n):
        if not tended[k]:
            continue
        q = place[k]
        visits = visit_cost * max(count[q], 1)
        consult = min((external[q] + internal[q]) * wc / visits, 1.0)
        management[k] += min(consult_gain * consult * learning, 1.0) * (1.0 - management[k])
        market_access[k] += link_gain * min((external[q] + internal[q]) * wf / visits, 1.0) * (1.0 - market_access[k])
        paid_k = stimulant * min(external[q] * wf / visits, 1.0)
        fund[k] += paid_k
        paid += paid_k
    for i in range(len(group)):
        if group[i] >= 0 and tended[group[i]]:
            reinforced[i] = True
    return paid


def networking(model, effort: np.ndarray) -> None:
    """Networking and a dialogue forum raise patrons' openness (seed 002).

    In a hamlet it reaches that hamlet's patrons; through a network it is spread over
    every patron in the village. Each facilitator-month of networking closes a share
    ``networking_gain`` of the gap to full openness, so several never overshoot.
    """
    p, pt = model.p, model.patrons
    reach = effort[pt.hamlet] + effort[p.n_hamlets :].sum() / p.n_hamlets
    pt.openness = 1.0 - (1.0 - pt.openness) * (1.0 - p.networking_gain) ** reach
