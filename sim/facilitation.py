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

Facilitators on the same place pool their contacts, so the work is one pass over the
households per kind of place (hamlets, networks), not a loop over facilitators.
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
    n_places = len(places.stage)
    team, h = model.team, model.households
    external, internal, effort, visiting, homes = work(team.n, team.beat, team.capacity, team.internal, team.effort,
                                                       team.in_field, team.months_worked, model.place_start, n_places)
    if len(visiting):  # each visits a household of its beat drawn uniformly, in row order
        i = model.place_members[model.place_start[team.beat[visiting]] + model.rng.integers(0, homes)]
        team.x[visiting], team.y[visiting] = h.x[i], h.y[i]
    places.worked = np.minimum(effort, 1.0)
    places.organiser = (external + internal) > 0
    if not places.organiser.any():
        return
    weights = role_weights(p)
    wc, wf, wt, wn = weights
    meet_households(model, external * (1.0 - wn) + internal, weights)
    tend_groups(model, external, internal, weights)
    if wn > 0:
        networking(model, effort * wn)
    places.effort += effort
    model.facilitator_months += effort.sum()
    if p.knowledge_manager:
        model.modules += p.module_gain * wt * effort[places.stage >= ACTION].sum()
    stage = np.minimum(places.effort // p.stage_months, ORGANISATION).astype(np.int64)
    places.stage = np.maximum(places.stage, stage)


@numba.njit(cache=True)
def work(n, beat, capacity, internal, effort, in_field, months_worked, place_start, n_places):
    """Contacts and effort per place from the facilitators in the field, and who visits a household.

    Internal facilitators add capacity x effort to C_int(beat), external ones to C_ext(beat) and
    their effort to E(beat); each adds its effort to months_worked. Returns also the rows of those
    whose beat has households, with the number of households there (the caller draws the visit).
    """
    external, inside, spent = np.zeros(n_places), np.zeros(n_places), np.zeros(n_places)
    visiting, homes = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    k = 0
    for f in range(n):
        if not in_field[f] or effort[f] <= 0:
            continue
        q = beat[f]
        if internal[f]:
            inside[q] += capacity[f] * effort[f]
        else:
            external[q] += capacity[f] * effort[f]
            spent[q] += effort[f]
        months_worked[f] += effort[f]
        if place_start[q + 1] > place_start[q]:
            visiting[k], homes[k] = f, place_start[q + 1] - place_start[q]
            k += 1
    return external, inside, spent, visiting[:k], homes[:k]


def meet_households(model, contacts: np.ndarray, weights: np.ndarray) -> None:
    """Each household of a worked place is met with chance (its place's contacts) / (its candidates)."""
    p, h, g, places = model.p, model.households, model.groups, model.places
    wt, wn = weights[2], weights[3]
    share = np.where(places.stage < ACTION, 1.0, wt / max(1.0 - wn, 1e-12))
    phased = p.exit_mode == "phased" and g.n > 0  # effort moves from mature groups to weaker ones (seed 004)
    training = min(p.training_gain * (1.0 + p.module_effect * model.modules / (1.0 + model.modules)), 1.0)
    for place in model.household_places:
        meet(place, contacts * share, model.rng.random(len(h)), places.stage, h.group, g.stage, phased, h.trust,
             h.awareness, h.skills, p.trust_gain, p.animation_gain, training)


@numba.njit(cache=True)
def meet(place, contacts, draw, stage, group, group_stage, phased, trust, awareness, skills, trust_gain,
         animation_gain, training):
    """One kind of place (hamlets or networks): household i is met when draw_i < min(M(q) / #candidates(q), 1).

    ``draw`` holds one uniform draw per household, candidate or not. A met household, at its place's stage:
    trust += trust_gain (1 if immersion else 0.5)(1 - trust); awareness += [stage >= investigation]
    animation_gain trust (1 - awareness); skills += [stage >= action] training (1 - skills).
    """
    n = len(place)
    candidate = np.empty(n, dtype=np.bool_)
    count = np.zeros(len(contacts))
    for i in range(n):
        candidate[i] = place[i] >= 0 and not (phased and group[i] >= 0 and group_stage[group[i]] == MATURE)
        if candidate[i]:
            count[place[i]] += 1
    for i in range(n):
        if not candidate[i]:
            continue
        q = place[i]
        if draw[i] >= min(contacts[q] / max(count[q], 1.0), 1.0):
            continue
        trust[i] += trust_gain * (1.0 if stage[q] == IMMERSION else 0.5) * (1.0 - trust[i])
        if stage[q] >= INVESTIGATION:
            awareness[i] += animation_gain * trust[i] * (1.0 - awareness[i])
        if stage[q] >= ACTION:
            skills[i] += training * (1.0 - skills[i])


def tend_groups(model, external: np.ndarray, internal: np.ndarray, weights: np.ndarray) -> None:
    """Consulting and linking for the live groups of worked places (a visit costs group_visit_cost contacts)."""
    p, g = model.p, model.groups
    if not g.n:
        return
    wc, wf = weights[0], weights[1]
    stage = g.stage[: g.n]
    place = g.place[: g.n]
    tended = stage != DISSOLVED
    if p.exit_mode == "phased":
        tended &= stage != MATURE
    tended &= model.places.stage[place] >= ACTION
    if not tended.any():
        return
    visits = p.group_visit_cost * np.maximum(np.bincount(place[tended], minlength=len(external))[place], 1)
    consult = tended * np.minimum((external + internal)[place] * wc / visits, 1.0)
    link = tended * np.minimum((external + internal)[place] * wf / visits, 1.0)
    stimulant = tended * np.minimum(external[place] * wf / visits, 1.0)
    g.management[: g.n] += p.consult_gain * consult * learning_factor(p) * (1.0 - g.management[: g.n])
    g.market_access[: g.n] += p.link_gain * link * (1.0 - g.market_access[: g.n])
    g.fund[: g.n] += p.stimulant * stimulant


def networking(model, effort: np.ndarray) -> None:
    """Networking and a dialogue forum raise patrons' openness (seed 002).

    In a hamlet it reaches that hamlet's patrons; through a network it is spread over
    every patron in the village. Each facilitator-month of networking closes a share
    ``networking_gain`` of the gap to full openness, so several never overshoot.
    """
    p, pt = model.p, model.patrons
    reach = effort[pt.hamlet] + effort[p.n_hamlets :].sum() / p.n_hamlets
    pt.openness = 1.0 - (1.0 - pt.openness) * (1.0 - p.networking_gain) ** reach
