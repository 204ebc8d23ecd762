"""Submodel 5, peer influence: awareness spreads, resistant patrons push it down, radio reaches far.

Awareness moves towards the mean of the Moore neighbours and, for members, of the
fellow members. A resistant patron (openness below the cooperative threshold) pulls
its dependent clients' awareness down (seed 002); a paralegal member is spared part
of it. Community radio raises the awareness of everyone within reach of a member.
"""

from __future__ import annotations

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
    p, h = model.p, model.households
    target = model.neighbours @ h.awareness
    member = h.group >= 0
    if member.any():
        total = np.bincount(h.group[member], h.awareness[member], minlength=model.groups.n)
        group_mean = total[h.group[member]] / model.groups.size[h.group[member]]
        target[member] = 0.5 * (target[member] + group_mean)
    awareness = h.awareness + p.peer_rate * (target - h.awareness)
    spared = np.where(h.network == PARALEGAL, p.paralegal_protection, 0.0)
    awareness -= p.pressure * resistance(model)[h.patron] * h.dependency * (1.0 - spared) * awareness
    radio = np.flatnonzero(h.network == RADIO)
    if len(radio) and p.radio_gain > 0:
        if not np.array_equal(model.radio_cache[0], radio):
            model.radio_cache = (radio, within_reach(model, radio, p.radio_reach))
        covered = model.radio_cache[1]
        awareness[covered] += p.radio_gain * (1.0 - awareness[covered])
    h.awareness = np.clip(awareness, 0.0, 1.0)


def within_reach(model, source: np.ndarray, reach: int) -> np.ndarray:
    """Households within Chebyshev distance ``reach`` of any source household."""
    p, h = model.p, model.households
    grid = np.zeros((p.width, p.height), dtype=bool)
    grid[h.x[source], h.y[source]] = True
    covered = maximum_filter(grid, size=2 * reach + 1, mode="constant")
    return covered[h.x, h.y]
