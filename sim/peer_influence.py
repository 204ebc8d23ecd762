"""Submodel 5, peer influence: awareness spreads, resistant patrons push it down, radio reaches far.

Awareness moves towards the mean of the Moore neighbours and, for members, of the
fellow members. A resistant patron (openness below the cooperative threshold) pulls
its dependent clients' awareness down (seed 002); a paralegal member is spared part
of it. Community radio raises the awareness of everyone within reach of a member, with
diminishing returns in the number of members broadcasting there (a radio captured by patrons
or elites lowers it instead). Then forgetting: what is
not used or reinforced decays towards the household's own level.
"""

from __future__ import annotations

import numba
import numpy as np

from sim.params import PARALEGAL, RADIO
from sim.state import ACTIVE, MATURE


def resistance(model) -> np.ndarray:
    """Per patron: 0 when cooperative, rising to 1 for a fully closed patron."""
    return resistance_of(model.patrons.openness, model.p.cooperative_openness)


@numba.njit(cache=True)
def resistance_of(openness, threshold):
    """rho_j = 1 - min(openness_j, threshold) / threshold (0 for every patron where threshold <= 0)."""
    rho = np.zeros(len(openness))
    if threshold > 0:
        for j in range(len(openness)):
            rho[j] = 1.0 - min(openness[j], threshold) / threshold
    return rho


def peer_influence(model) -> None:
    """Awareness moves towards the neighbours' (and fellow members') mean; pressure and radio act on it;
    then forgetting (``forget``).

        target_i = sum_l N_il a_l;  members: target_i = (target_i + mean a of its group) / 2
        a'_i = a_i + peer_rate (target_i - a_i)
        a'_i -= pressure rho_patron(i) dependency_i (1 - sigma_i) a'_i   (sigma: paralegal protection)
        a'_i += radio_gain (1 + S) b_i / (b_i + S) (1 - a'_i)   (b_i radio members within radio_reach,
                                                                S radio_saturation)
        a'_i += radio_gain (1 + S) b_i / (b_i + S) a'_i     instead, when radio_gain < 0 (a captured radio)
        a_i = clip(a'_i, 0, 1)
    No broadcast once the radio has closed (``radio_closes``).
    """
    p, h, g, pt = model.p, model.households, model.groups, model.patrons
    broadcasting = p.radio_gain != 0 and model.radio_on and bool((h.network == RADIO).any())
    w = model.neighbours
    h.awareness = influence(
        w.indptr,
        w.indices,
        w.data,
        h.awareness,
        h.group,
        g.size,
        h.network,
        h.patron,
        h.dependency,
        pt.openness,
        p.cooperative_openness,
        h.x,
        h.y,
        p.width,
        p.height,
        p.radio_reach if broadcasting else -1,
        p.peer_rate,
        p.pressure,
        p.paralegal_protection,
        p.radio_gain,
        p.radio_saturation,
        g.stage,
        g.management,
        model.reinforced,
        h.awareness_base,
        h.skills,
        h.skills_base,
        h.management,
        h.management_base,
        p.management_transfer,
        p.awareness_decay,
        p.skills_decay,
    )


@numba.njit(cache=True)
def influence(
    indptr,
    indices,
    data,
    awareness,
    group,
    size,
    network,
    patron,
    dependency,
    openness,
    cooperative_openness,
    x,
    y,
    width,
    height,
    reach,
    peer_rate,
    pressure,
    protection,
    radio_gain,
    saturation,
    stage,
    group_management,
    reinforced,
    awareness_base,
    skills,
    skills_base,
    management,
    management_base,
    transfer,
    awareness_decay,
    skills_decay,
):
    """A month of ``peer_influence`` in one call: the patrons' resistance, who hears the radio (none
    where ``reach`` < 0: no broadcast), the spread of awareness, then ``forgetting`` on the new awareness."""
    rho = resistance_of(openness, cooperative_openness)
    heard = NOBODY
    if reach >= 0:
        members = np.empty(len(network), dtype=np.int64)
        m = 0
        for i in range(len(network)):
            if network[i] == RADIO:
                members[m] = i
                m += 1
        heard = cells_in_reach(x, y, members[:m], width, height, reach)
    out = spread(
        indptr,
        indices,
        data,
        awareness,
        group,
        size,
        network,
        patron,
        dependency,
        rho,
        heard,
        peer_rate,
        pressure,
        protection,
        radio_gain,
        saturation,
    )
    forget(
        group,
        stage,
        group_management,
        reinforced,
        out,
        awareness_base,
        skills,
        skills_base,
        management,
        management_base,
        transfer,
        awareness_decay,
        skills_decay,
    )
    return out


NOBODY = np.empty(0)


@numba.njit(cache=True)
def spread(
    indptr,
    indices,
    data,
    awareness,
    group,
    size,
    network,
    patron,
    dependency,
    rho,
    heard,
    peer_rate,
    pressure,
    protection,
    radio_gain,
    saturation,
):
    """The equations of ``peer_influence`` in one pass over the households (a new awareness array)."""
    n = len(awareness)
    total = np.zeros(len(size))
    for i in range(n):
        if group[i] >= 0:
            total[group[i]] += awareness[i]
    out = np.empty(n)
    for i in range(n):
        target = 0.0
        for k in range(indptr[i], indptr[i + 1]):
            target += data[k] * awareness[indices[k]]
        if group[i] >= 0:
            target = 0.5 * (target + total[group[i]] / size[group[i]])
        a = awareness[i] + peer_rate * (target - awareness[i])
        spared = protection if network[i] == PARALEGAL else 0.0
        a -= pressure * rho[patron[i]] * dependency[i] * (1.0 - spared) * a
        if len(heard):
            room = 1.0 - a if radio_gain > 0 else a
            a += radio_gain * (1.0 + saturation) * heard[i] / (heard[i] + saturation) * room
        out[i] = min(max(a, 0.0), 1.0)
    return out


@numba.njit(cache=True)
def forget(
    group,
    stage,
    group_management,
    reinforced,
    awareness,
    awareness_base,
    skills,
    skills_base,
    management,
    management_base,
    transfer,
    awareness_decay,
    skills_decay,
):
    """What is learned can be lost: without use (a working group) or reinforcement (a
    facilitator's contact this month) awareness and skills return towards the household's
    own level (falling from above; from below, where a patron's pressure pushed it, its
    own life restores it), and a household's own management towards where it started; a
    member takes management home from its group.

        members: management_i += management_transfer max(management_group - management_i, 0)
        idle_i = not (in an active or mature group, or reinforced this month)
        awareness_i += awareness_decay idle_i (awareness_base_i - awareness_i)
        skills_i += skills_decay idle_i (skills_base_i - skills_i)
        management_i += skills_decay [not using] (management_base_i - management_i)
    """
    for i in range(len(group)):
        k = group[i]
        using = k >= 0 and (stage[k] == ACTIVE or stage[k] == MATURE)
        if k >= 0:
            management[i] += transfer * max(group_management[k] - management[i], 0.0)
        if not (using or reinforced[i]):
            awareness[i] += awareness_decay * (awareness_base[i] - awareness[i])
            skills[i] += skills_decay * (skills_base[i] - skills[i])
        if not using:
            management[i] += skills_decay * (management_base[i] - management[i])


@numba.njit(cache=True)
def cells_in_reach(x, y, source, width, height, reach):
    """Per household, how many cells holding a radio member lie within Chebyshev distance ``reach``, from a
    summed-area table of the cells holding a source:
    C(a, b) = cells with a source in [0, a) x [0, b);  count_i = C over the square of side 2 reach + 1
    around (x_i, y_i), cut at the grid's edge."""
    held = np.zeros(width * height, dtype=np.int64)
    for s in source:
        held[x[s] * height + y[s]] = 1
    side = height + 1  # table[a * side + b] = C(a, b)
    table = np.zeros((width + 1) * side, dtype=np.int64)
    for a in range(width):
        row = 0
        for b in range(height):
            row += held[a * height + b]
            table[(a + 1) * side + b + 1] = table[a * side + b + 1] + row
    out = np.empty(len(x))
    for i in range(len(x)):
        a0, a1 = max(x[i] - reach, 0), min(x[i] + reach + 1, width)
        b0, b1 = max(y[i] - reach, 0), min(y[i] + reach + 1, height)
        out[i] = table[a1 * side + b1] - table[a0 * side + b1] - table[a1 * side + b0] + table[a0 * side + b0]
    return out
