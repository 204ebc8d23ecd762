"""Submodel 5, peer influence: awareness spreads, resistant patrons push it down, radio reaches far.

Awareness moves towards the mean of the Moore neighbours and, for members, of the
fellow members. A resistant patron (openness below the cooperative threshold) pulls
its dependent clients' awareness down (seed 002); a paralegal member is spared part
of it. Community radio raises the awareness of everyone within reach of a member.
"""

from __future__ import annotations

import numba
import numpy as np
from scipy.ndimage import maximum_filter

from sim.params import NETWORKS

PARALEGAL = NETWORKS.index("paralegal")
RADIO = NETWORKS.index("community_radio")


def resistance(model) -> np.ndarray:
    """Per patron: 0 when cooperative, rising to 1 for a fully closed patron."""
    threshold = model.p.cooperative_openness
    if threshold <= 0:
        return np.zeros(len(model.patrons))
    return 1.0 - np.minimum(model.patrons.openness, threshold) / threshold


def peer_influence(model) -> None:
    """Awareness moves towards the neighbours' (and fellow members') mean; pressure and radio act on it.

        target_i = sum_l N_il a_l;  members: target_i = (target_i + mean a of its group) / 2
        a'_i = a_i + peer_rate (target_i - a_i)
        a'_i -= pressure rho_patron(i) dependency_i (1 - sigma_i) a'_i   (sigma: paralegal protection)
        a'_i += radio_gain (1 - a'_i) within radio_reach of a radio member;  a_i = clip(a'_i, 0, 1)
    """
    p, h, g = model.p, model.households, model.groups
    radio = np.flatnonzero(h.network == RADIO)
    covered = NOWHERE
    if len(radio) and p.radio_gain > 0:
        if not np.array_equal(model.radio_cache[0], radio):
            model.radio_cache = (radio, np.flatnonzero(within_reach(model, radio, p.radio_reach)))
        covered = model.radio_cache[1]
    w = model.neighbours
    h.awareness = spread(w.indptr, w.indices, w.data, h.awareness, h.group, g.size, h.network, h.patron,
                         h.dependency, resistance(model), covered, p.peer_rate, p.pressure, p.paralegal_protection,
                         p.radio_gain)


NOWHERE = np.empty(0, dtype=np.int64)


@numba.njit(cache=True)
def spread(indptr, indices, data, awareness, group, size, network, patron, dependency, rho, covered,
           peer_rate, pressure, protection, radio_gain):
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
        out[i] = a - pressure * rho[patron[i]] * dependency[i] * (1.0 - spared) * a
    for i in covered:
        out[i] += radio_gain * (1.0 - out[i])
    for i in range(n):
        out[i] = min(max(out[i], 0.0), 1.0)
    return out


def within_reach(model, source: np.ndarray, reach: int) -> np.ndarray:
    """Households within Chebyshev distance ``reach`` of any source household."""
    p, h = model.p, model.households
    grid = np.zeros((p.width, p.height), dtype=bool)
    grid[h.x[source], h.y[source]] = True
    covered = maximum_filter(grid, size=2 * reach + 1, mode="constant")
    return covered[h.x, h.y]
