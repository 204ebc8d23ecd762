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
from sim.sums import total


def role_weights(p) -> np.ndarray:
    """Normalised effort shares: consultant, facilitator, trainer, networking."""
    w = np.array([p.w_consultant, p.w_facilitator, p.w_trainer, p.w_networking if p.patron_engagement else 0.0])
    total = w.sum()
    return w / total if total > 0 else w


def learning_factor(p) -> float:
    """Where the NGO manages the project, consulting substitutes for the group's own management (seed 000)."""
    return 1.0 if p.project_management == "community" else p.ngo_learning_factor


def facilitation(model) -> None:
    """One month of facilitation (docs/ODD.md 7.4): who works where, then, where anyone does, one
    compiled pass (``field_month``) meets households, tends groups and moves the stages; then networking."""
    p, places = model.p, model.places
    model.reinforced[:] = False
    team, h, g = model.team, model.households, model.groups
    external, internal, effort, visiting, homes, places.worked, places.organiser, anyone = work(
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
    if not anyone:
        return
    wc, wf, wt, wn = role_weights(p)
    paid, months, modules = field_month(
        external,
        internal,
        effort,
        model.rng.random(len(h)),
        places.stage,
        places.effort,
        model.place_scale,
        h.place,
        h.group,
        h.trust,
        h.awareness,
        h.skills,
        h.last_contact,
        model.reinforced,
        g.n,
        g.stage,
        g.place,
        g.management,
        g.market_access,
        g.fund,
        model.month,
        model.modules,
        p.exit_mode == "phased",
        p.mobilisation == "staged",
        p.knowledge_manager,
        wc,
        wf,
        wt,
        wn,
        p.group_visit_cost,
        p.trust_gain,
        p.animation_gain,
        p.training_gain,
        p.module_effect,
        p.module_gain,
        p.consult_gain,
        learning_factor(p),
        p.link_gain,
        p.stimulant,
        p.stage_months,
        p.rapid_formation_months,
    )
    if wn > 0:
        networking(model, effort * wn)
    model.stimulant_paid += paid
    model.facilitator_months += months
    model.modules += modules


@numba.njit(cache=True)
def field_month(
    external,
    internal,
    effort,
    draw,
    place_stage,
    place_effort,
    place_scale,
    place,
    group,
    trust,
    awareness,
    skills,
    last_contact,
    reinforced,
    n_groups,
    group_stage,
    group_place,
    management,
    market_access,
    fund,
    month,
    modules,
    phased_exit,
    staged,
    knowledge_manager,
    wc,
    wf,
    wt,
    wn,
    visit_cost,
    trust_gain,
    animation_gain,
    training_gain,
    module_effect,
    module_gain,
    consult_gain,
    learning,
    link_gain,
    stimulant,
    stage_months,
    rapid_formation_months,
):
    """A worked month, in the ODD's order: households met (``meet``; before the action stage all
    contacts, from it the trainer's share and what visits to the groups leave, ``spare_contacts``),
    groups tended (``tend``), then each place's accumulated effort and stage
    (``organising_stage_of``). Returns the stimulant paid, the facilitator-months and the knowledge
    manager's modules added. (Networking, which touches none of this, follows in ``facilitation``.)
    """
    # Effort moves from mature groups to weaker ones in a phased exit (seed 004).
    phased = phased_exit and n_groups > 0
    rest = max(1.0 - wn, 1e-12)
    training = min(max(training_gain * (1.0 + module_effect * modules / (1.0 + modules)), 0.0), 1.0)
    outside = external * (1.0 - wn)
    meet(
        place,
        spare_contacts(
            outside + internal,
            place_stage,
            tendable(group_stage[:n_groups], group_place[:n_groups], phased, len(place_stage)),
            wc / rest,
            wf / rest,
            wt / rest,
            visit_cost,
        ),
        outside,
        draw,
        place_stage,
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
    )
    paid = tend(
        n_groups,
        group_stage,
        group_place,
        management,
        market_access,
        fund,
        group,
        reinforced,
        place_stage,
        external,
        internal,
        phased_exit,
        visit_cost,
        wc,
        wf,
        consult_gain,
        learning,
        link_gain,
        stimulant,
    )
    # A place's stage moves with effort per household, against a hamlet-sized place, so a
    # small place worked part-time moves as fast as a hamlet worked full-time.
    place_effort += effort * place_scale
    added = 0.0
    if knowledge_manager:
        at_action = np.empty(len(effort))
        k = 0
        for q in range(len(effort)):
            if place_stage[q] >= ACTION:
                at_action[k] = effort[q]
                k += 1
        added = module_gain * wt * total(at_action[:k])
    reached = organising_stage_of(place_effort, staged, stage_months, rapid_formation_months)
    for q in range(len(place_stage)):
        place_stage[q] = max(place_stage[q], reached[q])
    return paid, total(effort), added


def organising_stage(effort: np.ndarray, p) -> np.ndarray:
    """The stage a place's accumulated effort has reached under the programme's mobilisation."""
    return organising_stage_of(effort, p.mobilisation == "staged", p.stage_months, p.rapid_formation_months)


@numba.njit(cache=True)
def organising_stage_of(effort, staged, stage_months, rapid_formation_months):
    """``staged`` (seed 003): one stage every ``stage_months``. ``rapid``: immersion and
    investigation run alongside from the first month, groups are formed (action) after
    ``rapid_formation_months``, and organisation follows ``stage_months`` later.
    """
    out = np.empty(len(effort), dtype=np.int64)
    for q in range(len(effort)):
        e = effort[q] + 1e-9
        if staged:
            out[q] = int(min(e // stage_months, ORGANISATION))
        elif effort[q] <= 0:
            out[q] = IMMERSION
        elif e >= rapid_formation_months:
            out[q] = int(min(ACTION + max(e - rapid_formation_months, 0.0) // stage_months, ORGANISATION))
        else:
            out[q] = INVESTIGATION
    return out


@numba.njit(cache=True)
def work(n, beat, capacity, internal, effort, in_field, months_worked, weights, place_start):
    """Contacts and effort per place from the facilitators in the field, and who visits a household.

    An outside facilitator f adds capacity_f effort_f w_fq to C_ext(q) and effort_f w_fq to E(q)
    on every place q; an internal one adds capacity_f effort_f to C_int(beat). Each adds its effort
    to months_worked. Returns also the rows of those whose beat has households, with their number
    (the caller draws the household visited), each place's share worked min(E(q), 1), whether it
    has an organiser (C_ext(q) + C_int(q) > 0), and whether any place has.
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
    worked = np.minimum(spent, 1.0)
    organiser = external + inside > 0
    return external, inside, spent, visiting[:k], homes[:k], worked, organiser, organiser.any()


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
    pt.openness = opened(pt.openness, 1.0 - p.networking_gain, reach)


@numba.njit(cache=True)
def opened(openness, kept, reach):
    """``1 - (1 - openness) * kept ** reach`` with the C library's power: NumPy's vectorised power
    depends on the processor (with AVX-512 it differs in the last bit), so the same seed would
    give another run on another machine."""
    out = np.empty(len(openness))
    for j in range(len(openness)):
        out[j] = 1.0 - (1.0 - openness[j]) * kept ** reach[j]
    return out
