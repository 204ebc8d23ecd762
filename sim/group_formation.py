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
    initiative while any of its households wait to found one (docs/ODD.md 7.6)."""
    p, places, h = model.p, model.places, model.households
    prompted = (model.rng.random(len(places.stage)) < p.spontaneous_founding) | places.initiative
    join_and_found(model, prompted)
    waiting = np.bincount(h.place[h.waiting], minlength=len(places.stage)) > 0
    places.initiative = prompted & waiting


def join_and_found(model, prompted: np.ndarray) -> None:
    p, h, g, rng = model.p, model.households, model.groups, model.rng
    places = model.places
    n_places = len(places.stage)
    # Where households may organise this month: a facilitator brought the place to the
    # action stage, a working group there can be copied, or aware households were prompted.
    working = np.zeros(n_places, dtype=bool)
    if g.n:
        stage = g.stage[: g.n]
        working[g.place[: g.n][(stage == ACTIVE) | (stage == MATURE)]] = True
    copying = working & (rng.random(n_places) < p.copy_founding)
    open_to = (places.stage >= ACTION) | working | prompted
    if not open_to.any():
        return
    place = h.place
    threshold = joining_awareness(places.stage, prompted, p)
    if not any_willing(h.group, h.awareness, h.waiting, place, open_to, threshold):
        return
    joiners = pick_joiners(
        h.group,
        h.awareness,
        h.waiting,
        place,
        open_to,
        h.patron,
        h.dependency,
        resistance(model),
        rng.random(len(h)),
        threshold,
        p.join_rate,
        p.dropout_rate,
    )
    if not len(joiners):
        return
    # By place, then by position, so each place's joiners are a block of neighbours.
    joiners = joiners[np.lexsort((h.x[joiners], h.y[joiners], place[joiners]))]
    where = place[joiners]
    if g.n:
        left = seat(
            joiners, where, g.n, g.stage, g.size, g.place, g.network, h.group, h.network, p.group_max_size, n_places
        )
        joiners, where = joiners[left], where[left]
    founder = np.where(
        places.organiser, BY_FACILITATOR, np.where(copying, BY_COPYING, np.where(prompted, BY_THEMSELVES, -1))
    )
    # Those who found neither a seat nor a new group wait, registered with their place, for more.
    h.waiting[found(model, joiners, where, founder)] = True


def joining_awareness(stage: np.ndarray, prompted: np.ndarray, p) -> np.ndarray:
    """Awareness a household needs to join, per place: ``join_awareness``; lower where a prompt's example
    shows what a group does (``spontaneous_join_awareness``), and where a rapid programme has brought the
    place to forming groups (``rapid_join_awareness``: mobilisers recruit before awareness is built)."""
    threshold = np.full(len(stage), p.join_awareness)
    if prompted.any():
        threshold[prompted] = min(p.spontaneous_join_awareness, p.join_awareness)
    programme = stage >= ACTION
    if programme.any() and p.mobilisation == "rapid":
        threshold[programme] = p.rapid_join_awareness
    return threshold


@numba.njit(cache=True)
def any_willing(group, awareness, waiting, place, open_to, threshold):
    """Whether any household of an open place waits or is willing (in no group, awareness >= its place's threshold)."""
    for i in range(len(group)):
        if open_to[place[i]] and (waiting[i] or (group[i] < 0 and awareness[i] >= threshold[place[i]])):
            return True
    return False


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


def rank_within(blocks: np.ndarray) -> np.ndarray:
    """Position of each element inside its run of equal values (``blocks`` is sorted)."""
    n = len(blocks)
    if not n:
        return blocks
    new = np.empty(n, dtype=bool)
    new[0] = True
    np.not_equal(blocks[1:], blocks[:-1], out=new[1:])
    index = np.arange(n)
    return index - np.maximum.accumulate(np.where(new, index, 0))


def found(model, joiners: np.ndarray, where: np.ndarray, founder: np.ndarray) -> np.ndarray:
    """Where enough joiners are left and someone founds (``founder`` per place, -1 for no one),
    they found groups of min..max members. Returns the joiners left over."""
    p, g = model.p, model.groups
    n_places = len(founder)
    left = np.bincount(where, minlength=n_places)
    n_new = np.where(founder >= 0, left // p.group_min_size, 0)
    total = int(n_new.sum())
    if total == 0:
        return joiners
    take = np.minimum(left, n_new * p.group_max_size)
    rank = rank_within(where)
    founding = rank < take[where]
    rows = g.add(total)
    group_place = np.repeat(np.arange(n_places), n_new)
    g.place[rows] = group_place
    g.network[rows] = np.where(group_place >= p.n_hamlets, group_place - p.n_hamlets, -1)
    g.stage[rows] = FORMING
    g.founded[rows] = model.month
    g.support[rows] = model.places.worked[group_place]
    g.organised_by[rows] = founder[group_place]
    first = rows[0] + np.cumsum(n_new) - n_new
    w, r = where[founding], rank[founding]
    admit(model, joiners[founding], first[w] + r * n_new[w] // take[w])
    return joiners[~founding]


def admit(model, households: np.ndarray, groups: np.ndarray) -> None:
    h = model.households
    h.group[households] = groups
    h.network[households] = model.groups.network[groups]
    np.add.at(model.groups.size, groups, 1)
