"""Submodel 6, group formation: aware households join a KSM on their beat, or found one.

A household is willing when its awareness passes the joining threshold and its place
(its hamlet, or its enterprise network) is open to organising: a facilitator brought it
to the action stage, a working group there shows how (copying), or, rarely, something
from outside (a neighbouring village's group, the radio, a returning migrant) prompts a
place (``spontaneous_founding``): the example lowers the awareness its households need to
join (``spontaneous_join_awareness``) and they start on their own, gathering while any of
them waits. A resistant patron's pressure
on a dependent client lowers its chance to join. Joiners fill open groups of their place
first; when enough are left over they found new groups of neighbours (sorted by
position, so an area-based group is a cluster of nearby households) where a facilitator
(external or internal) works this month, where neighbours copy a working group (at
``copy_founding`` a month), or where they started on their own.
"""

from __future__ import annotations

import numba
import numpy as np

from sim.peer_influence import resistance
from sim.state import ACTION, ACTIVE, FORMING, MATURE

# Who founded a group (``groups.organised_by``).
BY_FACILITATOR, BY_COPYING, BY_THEMSELVES = 0, 1, 2


def group_formation(model) -> None:
    """One month of joining and founding; a place prompted to start a group on its own keeps its
    initiative while any of its households wait to found one (docs/ODD.md 7.6).

    Where households may organise this month: a facilitator brought the place to the action stage,
    a working group there can be copied, or aware households were prompted. Willing households
    (``pick_joiners``) are sorted by place, then by position, so each place's joiners are a block
    of neighbours; they fill the open seats of their place (``seat``), and those left found groups
    where someone founds (``found_groups``); those who found neither a seat nor a new group wait,
    registered with their place, for more. The month runs in three compiled passes with the draws
    made between them, in the order the equations need them.
    """
    p, places, h, g, rng = model.p, model.places, model.households, model.groups, model.rng
    n_places = len(places.stage)
    prompted = (rng.random(n_places) < p.spontaneous_founding) | places.initiative
    open_to, founder, threshold, willing = openings(
        h.group,
        h.awareness,
        h.waiting,
        h.place,
        g.stage[: g.n],
        g.place[: g.n],
        places.stage,
        places.organiser,
        prompted,
        rng.random(n_places),
        p.copy_founding,
        p.join_awareness,
        p.spontaneous_join_awareness,
        *rapid_recruiting(places.stage, p),
    )
    if willing:
        joiners, where, n_new = join(
            h.group,
            h.awareness,
            h.waiting,
            h.place,
            model.formation_order,
            h.network,
            open_to,
            h.patron,
            h.dependency,
            resistance(model),
            rng.random(len(h)),
            threshold,
            founder,
            p.join_rate,
            p.dropout_rate,
            g.n,
            g.stage,
            g.size,
            g.place,
            g.network,
            p.group_min_size,
            p.group_max_size,
        )
        found_or_wait(model, joiners, where, n_new, founder)
    places.initiative = keep_initiative(prompted, h.place, h.waiting)


def found_or_wait(model, joiners: np.ndarray, where: np.ndarray, n_new: np.ndarray, founder: np.ndarray) -> None:
    """Joiners left without a seat found ``n_new`` groups per place in new rows of the store
    (``found_groups``), or, where none is founded, wait for more."""
    p, places, h, g = model.p, model.places, model.households, model.groups
    total = int(n_new.sum())
    if not total:
        h.waiting[joiners] = True
        return
    found_groups(
        joiners,
        where,
        n_new,
        g.add(total)[0],
        founder,
        places.worked,
        model.month,
        p.n_hamlets,
        p.group_max_size,
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


def joining_awareness(stage: np.ndarray, prompted: np.ndarray, p) -> np.ndarray:
    """Awareness a household needs to join, per place: ``join_awareness``; lower where a prompt's example
    shows what a group does (``spontaneous_join_awareness``), and where a rapid programme has brought the
    place to forming groups (``rapid_join_awareness``: mobilisers recruit before awareness is built)."""
    return thresholds(stage, prompted, p.join_awareness, p.spontaneous_join_awareness, *rapid_recruiting(stage, p))


def rapid_recruiting(stage: np.ndarray, p) -> tuple[bool, float]:
    """Whether a rapid programme recruits at some place this month, and the awareness it asks; the
    programme's design is read only where a place has reached forming groups (so the burn-in, which
    has no programme, reads none of it: ``BURN_IN_PARAMETERS``)."""
    if (stage >= ACTION).any() and p.mobilisation == "rapid":
        return True, p.rapid_join_awareness
    return False, 0.0


@numba.njit(cache=True)
def thresholds(stage, prompted, join_awareness, spontaneous, rapid, rapid_awareness):
    """The equations of ``joining_awareness``, place by place."""
    out = np.full(len(stage), join_awareness)
    for q in range(len(stage)):
        if prompted[q]:
            out[q] = min(spontaneous, join_awareness)
        if rapid and stage[q] >= ACTION:
            out[q] = rapid_awareness
    return out


@numba.njit(cache=True)
def openings(
    group,
    awareness,
    waiting,
    place,
    group_stage,
    group_place,
    stage,
    organiser,
    prompted,
    copy_draw,
    copy_founding,
    join_awareness,
    spontaneous,
    rapid,
    rapid_awareness,
):
    """Per place: whether it is open to organising (at the action stage, a working group there, or
    prompted), who would found a group there (a facilitator where one organises, else neighbours who
    copy a working group when copy_draw_q < copy_founding, else the prompted themselves; -1 for no
    one), and the awareness its households need to join (``joining_awareness``); and whether any
    household of an open place waits or is willing (in no group, awareness >= its place's threshold)."""
    n_places = len(stage)
    working = np.zeros(n_places, dtype=np.bool_)
    for k in range(len(group_stage)):
        if group_stage[k] == ACTIVE or group_stage[k] == MATURE:
            working[group_place[k]] = True
    open_to = np.empty(n_places, dtype=np.bool_)
    founder = np.empty(n_places, dtype=np.int64)
    for q in range(n_places):
        copying = working[q] and copy_draw[q] < copy_founding
        open_to[q] = stage[q] >= ACTION or working[q] or prompted[q]
        if organiser[q]:
            founder[q] = BY_FACILITATOR
        elif copying:
            founder[q] = BY_COPYING
        elif prompted[q]:
            founder[q] = BY_THEMSELVES
        else:
            founder[q] = -1
    threshold = thresholds(stage, prompted, join_awareness, spontaneous, rapid, rapid_awareness)
    for i in range(len(group)):
        q = place[i]
        if open_to[q] and (waiting[i] or (group[i] < 0 and awareness[i] >= threshold[q])):
            return open_to, founder, threshold, True
    return open_to, founder, threshold, False


@numba.njit(cache=True)
def join(
    group,
    awareness,
    waiting,
    place,
    order,
    network,
    open_to,
    patron,
    dependency,
    rho,
    draw,
    threshold,
    founder,
    join_rate,
    leave_rate,
    n,
    stage,
    size,
    group_place,
    group_network,
    min_size,
    max_size,
):
    """Joiners (``pick_joiners``) in the village's formation order (by place, then row, then column:
    ``formation_order``), seated where their place has room (``seat``). Returns those left, their
    places, and per place the groups they found: left_q // group_min_size where someone founds."""
    picked = pick_joiners(
        group, awareness, waiting, place, open_to, patron, dependency, rho, draw, threshold, join_rate, leave_rate
    )
    chosen = np.zeros(len(group), dtype=np.bool_)
    chosen[picked] = True
    joiners = np.empty(len(picked), dtype=np.int64)
    k = 0
    for i in order:
        if chosen[i]:
            joiners[k] = i
            k += 1
    where = place[joiners]
    left = seat(joiners, where, n, stage, size, group_place, group_network, group, network, max_size, len(open_to))
    joiners, where = joiners[left], where[left]
    n_new = np.zeros(len(open_to), dtype=np.int64)
    for q in where:
        n_new[q] += 1
    for q in range(len(n_new)):
        n_new[q] = n_new[q] // min_size if founder[q] >= 0 else 0
    return joiners, where, n_new


@numba.njit(cache=True)
def pick_joiners(
    group, awareness, waiting, place, open_to, patron, dependency, rho, draw, threshold, join_rate, leave_rate
):
    """The households of open places that seek a group this month, in index order.

    One waiting from an earlier month seeks again unless it gives up (draw_i < leave_rate; it
    then waits no more); any other willing one (awareness_i >= threshold of its place) joins when
    draw_i < join_rate (1 - rho_patron(i)
    dependency_i). Every one picked stops waiting (the caller marks again those left over).
    """
    joiners = np.empty(len(group), dtype=np.int64)
    k = 0
    for i in range(len(group)):
        if not open_to[place[i]]:
            continue
        if waiting[i]:
            waiting[i] = False
            if draw[i] >= leave_rate:
                joiners[k] = i
                k += 1
        elif (
            group[i] < 0
            and awareness[i] >= threshold[place[i]]
            and draw[i] < join_rate * (1.0 - rho[patron[i]] * dependency[i])
        ):
            joiners[k] = i
            k += 1
    return joiners[:k]


@numba.njit(cache=True)
def seat(joiners, where, n, stage, size, place, group_network, group, network, max_size, n_places):
    """Joiners (sorted by place) fill the open seats of their place: the r-th joiner of place q takes
    the r-th seat, seats counted group by group in index order, max_size - size_g in each forming
    or active group. Returns the positions (in ``joiners``) of those left without a seat."""
    per_place = np.zeros(n_places, dtype=np.int64)
    room = np.zeros(n, dtype=np.int64)
    for k in range(n):
        if stage[k] <= ACTIVE:
            room[k] = max(max_size - size[k], 0)
            per_place[place[k]] += room[k]
    first = np.zeros(n_places + 1, dtype=np.int64)
    for q in range(n_places):
        first[q + 1] = first[q] + per_place[q]
    seats = np.empty(first[n_places], dtype=np.int64)
    filled = first[:n_places].copy()
    for k in range(n):
        for _ in range(room[k]):
            seats[filled[place[k]]] = k
            filled[place[k]] += 1
    left = np.empty(len(joiners), dtype=np.int64)
    n_left = 0
    rank = 0
    for j in range(len(joiners)):
        rank = rank + 1 if j > 0 and where[j] == where[j - 1] else 0
        q = where[j]
        if rank < per_place[q]:
            k = seats[first[q] + rank]
            group[joiners[j]] = k
            network[joiners[j]] = group_network[k]
            size[k] += 1
        else:
            left[n_left] = j
            n_left += 1
    return left[:n_left]


@numba.njit(cache=True)
def found_groups(
    joiners,
    where,
    n_new,
    first,
    founder,
    worked,
    month,
    n_hamlets,
    max_size,
    group_place,
    group_network,
    stage,
    founded,
    support,
    organised_by,
    size,
    group,
    network,
    waiting,
):
    """Joiners left over (sorted by place) found ``n_new_q`` groups in rows ``first``.. of place q:
    the first take_q = min(left_q, n_new_q group_max_size) of the place, the r-th joining group
    first_q + r n_new_q // take_q (so each of min..max members); the rest wait."""
    n_places = len(n_new)
    left = np.zeros(n_places, dtype=np.int64)
    for q in where:
        left[q] += 1
    start = np.empty(n_places, dtype=np.int64)
    row = first
    for q in range(n_places):
        start[q] = row
        for _ in range(n_new[q]):
            group_place[row] = q
            group_network[row] = q - n_hamlets if q >= n_hamlets else -1
            stage[row] = FORMING
            founded[row] = month
            support[row] = worked[q]
            organised_by[row] = founder[q]
            row += 1
    rank = 0
    for j in range(len(joiners)):
        rank = rank + 1 if j > 0 and where[j] == where[j - 1] else 0
        q = where[j]
        take = min(left[q], n_new[q] * max_size)
        i = joiners[j]
        if rank < take:
            k = start[q] + rank * n_new[q] // take
            group[i] = k
            network[i] = group_network[k]
            size[k] += 1
        else:
            waiting[i] = True


@numba.njit(cache=True)
def keep_initiative(prompted, place, waiting):
    """A prompted place keeps its initiative while any of its households waits to found a group."""
    held = np.zeros(len(prompted), dtype=np.bool_)
    for i in range(len(place)):
        if waiting[i]:
            held[place[i]] = True
    return prompted & held
