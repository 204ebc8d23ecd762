"""Submodel 4, facilitation: each facilitator in the field works its beat, by organising stage.

Effort per month is ``capacity x effort`` contacts. Networking with leaders and patrons
(seed 002) takes its share first when patron engagement is on. Before the action stage
all other effort goes to meeting households: immersion builds trust, animation (from
social investigation on) raises awareness, scaled by trust (seeds 003, 004). From the
action stage the three roles of seed 001 share it: the consultant builds the group's
management (less where the NGO manages the project, seed 000), the facilitator links
groups to markets and resources, the trainer meets households and raises skills.
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
    model.places.worked[:] = 0.0
    model.places.organiser[:] = False
    weights = role_weights(model.p)
    for facilitator in model.facilitators:
        if facilitator.in_field and facilitator.effort > 0:
            work(model, facilitator, weights)
    stage = np.minimum(model.places.effort // model.p.stage_months, ORGANISATION)
    model.places.stage = np.maximum(model.places.stage, stage.astype(np.int64))


def work(model, f, weights: np.ndarray) -> None:
    p, h, g, _rng = model.p, model.households, model.groups, model.rng
    wc, wf, wt, wn = weights
    beat = f.beat
    stage = model.places.stage[beat]
    contacts = f.capacity * f.effort
    candidates = model.place_households[beat]
    if p.exit_mode == "phased" and g.n:
        # Effort moves from mature groups to weaker ones (seed 004).
        in_mature = (h.group[candidates] >= 0) & (g.stage[h.group[candidates]] == MATURE)
        candidates = candidates[~in_mature]
    if stage < ACTION:
        meet_share = 1.0 - wn
    else:
        meet_share = wt
        tend_groups(model, f, contacts * wc, contacts * wf)
    met = meet(model, candidates, contacts * meet_share)
    if len(met):
        immersion = 1.0 if stage == IMMERSION else 0.5
        h.trust[met] += p.trust_gain * immersion * (1.0 - h.trust[met])
        if stage >= INVESTIGATION:
            h.awareness[met] += p.animation_gain * h.trust[met] * (1.0 - h.awareness[met])
        if stage >= ACTION:
            boost = 1.0 + p.module_effect * model.modules / (1.0 + model.modules)
            h.skills[met] += min(p.training_gain * boost, 1.0) * (1.0 - h.skills[met])
        f.cell = model.grid[(int(h.x[met[0]]), int(h.y[met[0]]))]
    if not f.internal:
        if wn > 0:
            networking(model, beat, contacts * wn / f.capacity)
        model.places.effort[beat] += f.effort
        model.places.worked[beat] = max(model.places.worked[beat], f.effort)
        model.facilitator_months += f.effort
        if p.knowledge_manager and stage >= ACTION:
            model.modules += p.module_gain * wt * f.effort
    model.places.organiser[beat] = True
    f.months_worked += f.effort


def meet(model, candidates: np.ndarray, contacts: float) -> np.ndarray:
    """Households met this month: each candidate with chance contacts / candidates."""
    if contacts <= 0 or len(candidates) == 0:
        return candidates[:0]
    chance = min(1.0, contacts / len(candidates))
    return candidates[model.rng.random(len(candidates)) < chance]


def tend_groups(model, f, consult_contacts: float, link_contacts: float) -> None:
    """Consulting and linking for the live groups on the beat (a visit costs group_visit_cost contacts)."""
    p, g = model.p, model.groups
    if not g.n:
        return
    stage = g.stage[: g.n]
    mine = (g.place[: g.n] == f.beat) & (stage != DISSOLVED)
    if p.exit_mode == "phased":
        mine &= stage != MATURE
    if f.internal and f.home_group >= 0:
        mine[f.home_group] = stage[f.home_group] != DISSOLVED
    n = int(mine.sum())
    if n == 0:
        return
    visit = p.group_visit_cost * n
    consult = min(1.0, consult_contacts / visit)
    link = min(1.0, link_contacts / visit)
    g.management[: g.n][mine] += p.consult_gain * consult * learning_factor(p) * (1.0 - g.management[: g.n][mine])
    g.market_access[: g.n][mine] += p.link_gain * link * (1.0 - g.market_access[: g.n][mine])
    if not f.internal:
        g.fund[: g.n][mine] += p.stimulant * link


def networking(model, beat: int, effort: float) -> None:
    """Networking and a dialogue forum raise patrons' openness (seed 002).

    In a hamlet it reaches that hamlet's patrons; through a network it is spread
    over every patron in the village.
    """
    p, pt = model.p, model.patrons
    if beat < p.n_hamlets:
        target = pt.hamlet == beat
        gain = p.networking_gain * effort
    else:
        target = np.ones(len(pt), dtype=bool)
        gain = p.networking_gain * effort / p.n_hamlets
    pt.openness[target] += gain * (1.0 - pt.openness[target])
