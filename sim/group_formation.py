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

from sim.agents import KSMGroup
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
    p, h, rng = model.p, model.households, model.rng
    if model.places.stage.max() < ACTION:
        return
    place = place_of(model)
    willing = (h.group < 0) & (h.awareness >= p.join_awareness) & (place >= 0)
    if not willing.any():
        return
    chance = p.join_rate * (1.0 - resistance(model)[h.patron] * h.dependency)
    joiners = np.nonzero(willing & (rng.random(len(h)) < chance))[0]
    for where in np.unique(place[joiners]):
        settle(model, int(where), joiners[place[joiners] == where])


def settle(model, place: int, joiners: np.ndarray) -> None:
    p, h, g = model.p, model.households, model.groups
    joiners = joiners[np.lexsort((h.x[joiners], h.y[joiners]))]
    if g.n:
        size = g.size[: g.n]
        stage = g.stage[: g.n]
        open_ = (g.place[: g.n] == place) & (stage <= ACTIVE) & (size < p.group_max_size)
        seats = np.repeat(np.nonzero(open_)[0], (p.group_max_size - size)[open_])
        k = min(len(seats), len(joiners))
        if k:
            admit(model, joiners[:k], seats[:k])
            joiners = joiners[k:]
    n_new = len(joiners) // p.group_min_size if model.places.organiser[place] else 0
    if n_new == 0:
        return
    rows = g.add(n_new)
    g.place[rows] = place
    g.network[rows] = place - p.n_hamlets if place >= p.n_hamlets else -1
    g.stage[rows] = FORMING
    g.founded[rows] = model.month
    g.support[rows] = model.places.worked[place]
    for row in rows:
        model.group_agents.append(KSMGroup(model, int(row)))
    chunks = np.array_split(joiners[: min(len(joiners), n_new * p.group_max_size)], n_new)
    for row, members in zip(rows, chunks):
        admit(model, members, np.full(len(members), row))


def admit(model, households: np.ndarray, groups: np.ndarray) -> None:
    h = model.households
    h.group[households] = groups
    h.network[households] = model.groups.network[groups]
    np.add.at(model.groups.size, groups, 1)
    model.membership_changes += 1
