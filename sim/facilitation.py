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
    team = model.team
    n = team.n
    working = team.in_field[:n] & (team.effort[:n] > 0)
    beat, internal_row = team.beat[:n][working], team.internal[:n][working]
    work = team.effort[:n][working]
    contacts = team.capacity[:n][working] * work
    external = np.bincount(beat[~internal_row], contacts[~internal_row], minlength=n_places)
    internal = np.bincount(beat[internal_row], contacts[internal_row], minlength=n_places)
    effort = np.bincount(beat[~internal_row], work[~internal_row], minlength=n_places)
    team.months_worked[:n][working] += work
    move(model, np.nonzero(working)[0])
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


def move(model, rows: np.ndarray) -> None:
    """Each working facilitator visits a random household of its beat (where the grid shows it).

    One draw per facilitator with households on its beat, in row order, whether or not
    the Mesa agents exist.
    """
    team, h, rng = model.team, model.households, model.rng
    for row in rows:
        homes = model.place_households[team.beat[row]]
        if len(homes):
            i = homes[rng.integers(len(homes))]
            team.x[row], team.y[row] = h.x[i], h.y[i]


def meet_households(model, contacts: np.ndarray, weights: np.ndarray) -> None:
    """Each household of a worked place is met with chance (its place's contacts) / (its candidates)."""
    p, h, g, places = model.p, model.households, model.groups, model.places
    wt, wn = weights[2], weights[3]
    share = np.where(places.stage < ACTION, 1.0, wt / max(1.0 - wn, 1e-12))
    contacts = contacts * share
    skip = np.zeros(len(h), dtype=bool)
    if p.exit_mode == "phased" and g.n:
        # Effort moves from mature groups to weaker ones (seed 004).
        member = h.group >= 0
        skip[member] = g.stage[h.group[member]] == MATURE
    boost = 1.0 + p.module_effect * model.modules / (1.0 + model.modules)
    for place in model.household_places:
        has = (place >= 0) & ~skip
        candidates = np.bincount(place[has], minlength=len(contacts))
        chance = np.minimum(contacts / np.maximum(candidates, 1), 1.0)
        met = np.nonzero(has & (model.rng.random(len(h)) < chance[np.maximum(place, 0)]))[0]
        if not len(met):
            continue
        stage = places.stage[place[met]]
        h.trust[met] += p.trust_gain * np.where(stage == IMMERSION, 1.0, 0.5) * (1.0 - h.trust[met])
        animated = stage >= INVESTIGATION
        h.awareness[met] += animated * p.animation_gain * h.trust[met] * (1.0 - h.awareness[met])
        trained = stage >= ACTION
        h.skills[met] += trained * min(p.training_gain * boost, 1.0) * (1.0 - h.skills[met])


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
