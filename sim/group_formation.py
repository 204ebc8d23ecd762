"""Submodel 6, group formation: aware households join a KSM on their beat, or found one.

A household is willing when its awareness passes the joining threshold and a
facilitator has brought its place to the action stage: its enterprise network
(enterprise-based) or else its hamlet (area-based). A resistant patron's pressure on
a dependent client lowers its chance to join. Joiners fill open groups of their place
first; when enough are left over and a facilitator (external or internal) works the
place this month, they found new groups of neighbours (sorted by position, so an
area-based group is a cluster of nearby households).
"""

from __future__ import annotations

import numpy as np

from sim.peer_influence import resistance
from sim.state import ACTION, ACTIVE, FORMING


def place_of(model) -> np.ndarray:
    """Per household, the worked place it would organise in (network first), or -1.

    Cached: it changes only when a place reaches a new organising stage.
    """
    key = model.places.stage.tobytes()
    if model.place_cache[0] != key:
        model.place_cache = (key, ready_place(model))
    return model.place_cache[1]


def ready_place(model) -> np.ndarray:
    p, h, stage = model.p, model.households, model.places.stage
    place = np.full(len(h), -1)
    hamlet_ready = stage[h.hamlet] >= ACTION
    place[hamlet_ready] = h.hamlet[hamlet_ready]
    has_network = h.network_affinity >= 0
    net_place = p.n_hamlets + h.network_affinity
    net_ready = has_network & (stage[np.where(has_network, net_place, 0)] >= ACTION)
    place[net_ready] = net_place[net_ready]
    return place


def group_formation(model) -> None:
    p, h, g, rng = model.p, model.households, model.groups, model.rng
    if model.places.stage.max() < ACTION:
        return
    place = place_of(model)
    willing = (h.group < 0) & (h.awareness >= p.join_awareness) & (place >= 0)
    if not willing.any():
        return
    chance = p.join_rate * (1.0 - resistance(model)[h.patron] * h.dependency)
    joiners = np.nonzero(willing & (rng.random(len(h)) < chance))[0]
    if not len(joiners):
        return
    # By place, then by position, so each place's joiners are a block of neighbours.
    joiners = joiners[np.lexsort((h.x[joiners], h.y[joiners], place[joiners]))]
    where = place[joiners]
    n_places = len(model.places.stage)
    if g.n:
        room = np.where(g.stage[: g.n] <= ACTIVE, np.maximum(p.group_max_size - g.size[: g.n], 0), 0)
        seats = np.repeat(np.arange(g.n), room)
        seats = seats[np.argsort(g.place[seats], kind="stable")]
        per_place = np.bincount(g.place[seats], minlength=n_places)
        first = np.cumsum(per_place) - per_place
        rank = rank_within(where)
        seated = rank < per_place[where]
        admit(model, joiners[seated], seats[first[where[seated]] + rank[seated]])
        joiners, where = joiners[~seated], where[~seated]
    found(model, joiners, where, n_places)


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


def found(model, joiners: np.ndarray, where: np.ndarray, n_places: int) -> None:
    """Where enough joiners are left and an organiser works, they found groups of min..max members."""
    p, g = model.p, model.groups
    left = np.bincount(where, minlength=n_places)
    n_new = np.where(model.places.organiser, left // p.group_min_size, 0)
    total = int(n_new.sum())
    if total == 0:
        return
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
    first = rows[0] + np.cumsum(n_new) - n_new
    w, r = where[founding], rank[founding]
    admit(model, joiners[founding], first[w] + r * n_new[w] // take[w])


def admit(model, households: np.ndarray, groups: np.ndarray) -> None:
    h = model.households
    h.group[households] = groups
    h.network[households] = model.groups.network[groups]
    np.add.at(model.groups.size, groups, 1)
