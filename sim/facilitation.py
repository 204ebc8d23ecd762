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
    external = np.zeros(n_places)  # external contacts per place this month
    internal = np.zeros(n_places)
    effort = np.zeros(n_places)  # external facilitator-months per place this month
    model.reinforced[:] = False
    for f in model.facilitators:
        if not f.in_field or f.effort <= 0:
            continue
        if f.internal:
            internal[f.beat] += f.capacity * f.effort
        else:
            external += f.capacity * f.effort * f.weights
            effort += f.effort * f.weights
        f.months_worked += f.effort
        move(model, f)
    places.worked = np.minimum(effort, 1.0)
    places.organiser = (external + internal) > 0
    if not places.organiser.any():
        return
    weights = role_weights(p)
    wc, wf, wt, wn = weights
    meet_households(model, external * (1.0 - wn), internal, weights)
    tend_groups(model, external, internal, weights, tendable(model, external + internal))
    if wn > 0:
        networking(model, effort * wn)
    # A place's stage moves with effort per household, against a hamlet-sized place, so a
    # small place worked part-time moves as fast as a hamlet worked full-time.
    places.effort += effort * model.place_scale
    model.facilitator_months += effort.sum()
    if p.knowledge_manager:
        model.modules += p.module_gain * wt * effort[places.stage >= ACTION].sum()
    stage = np.minimum((places.effort + 1e-9) // p.stage_months, ORGANISATION).astype(np.int64)
    places.stage = np.maximum(places.stage, stage)


def move(model, f) -> None:
    """A facilitator in the field visits a household of its beat (where the grid shows it)."""
    homes = model.place_households[f.beat]
    if len(homes):
        i = homes[model.rng.integers(len(homes))]
        f.cell = model.grid[(int(model.households.x[i]), int(model.households.y[i]))]


def tendable(model, contacts: np.ndarray) -> np.ndarray:
    """Per group, whether a facilitator can tend it this month: live (and, in a phased exit,
    not mature), in a place at the action stage that someone works."""
    p, g = model.p, model.groups
    stage = g.stage[: g.n]
    place = g.place[: g.n]
    tended = stage != DISSOLVED
    if p.exit_mode == "phased":
        tended &= stage != MATURE
    return tended & (model.places.stage[place] >= ACTION) & (contacts[place] > 0)


def meet_households(model, external: np.ndarray, internal: np.ndarray, weights: np.ndarray) -> None:
    """Each household of a worked place is met with chance (its place's contacts) / (its candidates).

    Before the action stage all contacts meet households; from it, the trainer's share.
    A household met where outside facilitators work counts as reached (coverage): a
    facilitator's month reaches as many households in person in every strategy, whatever
    groups have formed."""
    p, h, g, places = model.p, model.households, model.groups, model.places
    wt, wn = weights[2], weights[3]
    share = np.where(places.stage < ACTION, 1.0, wt / max(1.0 - wn, 1e-12))
    contacts = (external + internal) * share
    has = np.ones(len(h), dtype=bool)
    if p.exit_mode == "phased" and g.n:
        # Effort moves from mature groups to weaker ones (seed 004).
        member = h.group >= 0
        has[member] = g.stage[h.group[member]] != MATURE
    boost = 1.0 + p.module_effect * model.modules / (1.0 + model.modules)
    place = h.place
    candidates = np.bincount(place[has], minlength=len(contacts))
    chance = np.minimum(contacts / np.maximum(candidates, 1), 1.0)
    met = np.nonzero(has & (model.rng.random(len(h)) < chance[place]))[0]
    if not len(met):
        return
    model.reinforced[met] = True
    h.last_contact[met[external[place[met]] > 0]] = model.month
    stage = places.stage[place[met]]
    h.trust[met] += p.trust_gain * np.where(stage == IMMERSION, 1.0, 0.5) * (1.0 - h.trust[met])
    animated = stage >= INVESTIGATION
    h.awareness[met] += animated * p.animation_gain * h.trust[met] * (1.0 - h.awareness[met])
    trained = stage >= ACTION
    h.skills[met] += trained * min(p.training_gain * boost, 1.0) * (1.0 - h.skills[met])


def tend_groups(model, external: np.ndarray, internal: np.ndarray, weights: np.ndarray, tended: np.ndarray) -> None:
    """Consulting and linking for the tendable groups (a visit costs group_visit_cost contacts)."""
    p, g = model.p, model.groups
    wc, wf = weights[0], weights[1]
    place = g.place[: g.n]
    if not tended.any():
        return
    visits = p.group_visit_cost * np.maximum(np.bincount(place[tended], minlength=len(external))[place], 1)
    consult = tended * np.minimum((external + internal)[place] * wc / visits, 1.0)
    link = tended * np.minimum((external + internal)[place] * wf / visits, 1.0)
    stimulant = tended * np.minimum(external[place] * wf / visits, 1.0)
    g.management[: g.n] += p.consult_gain * consult * learning_factor(p) * (1.0 - g.management[: g.n])
    g.market_access[: g.n] += p.link_gain * link * (1.0 - g.market_access[: g.n])
    g.fund[: g.n] += p.stimulant * stimulant
    model.stimulant_paid += p.stimulant * stimulant.sum()
    # Members of a tended group are reinforced (they use what they learned).
    h = model.households
    member = np.flatnonzero(h.group >= 0)
    model.reinforced[member[tended[h.group[member]]]] = True


def networking(model, effort: np.ndarray) -> None:
    """Networking and a dialogue forum raise patrons' openness (seed 002).

    In a hamlet it reaches that hamlet's patrons; through a network it is spread over
    every patron in the village. Each facilitator-month of networking closes a share
    ``networking_gain`` of the gap to full openness, so several never overshoot.
    """
    p, pt = model.p, model.patrons
    reach = effort[pt.hamlet] + effort[p.n_hamlets :].sum() / p.n_hamlets
    pt.openness = 1.0 - (1.0 - pt.openness) * (1.0 - p.networking_gain) ** reach
