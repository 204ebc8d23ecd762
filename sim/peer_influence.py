"""Submodel 5, peer influence: awareness spreads, resistant patrons push it down, radio reaches far.

Awareness moves towards the mean of the Moore neighbours and, for members, of the
fellow members. A resistant patron (openness below the cooperative threshold) pulls
its dependent clients' awareness down (seed 002); a paralegal member is spared part
of it. Community radio raises the awareness of everyone within reach of a member, with
diminishing returns in the number of members broadcasting there. Then forgetting: what is
not used or reinforced decays towards the household's own level.
"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import uniform_filter

from sim.params import NETWORKS
from sim.state import ACTIVE, MATURE

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
            model.radio_cache = (radio, broadcasters_in_reach(model, radio, p.radio_reach))
        heard = model.radio_cache[1]
        s = p.radio_saturation
        gain = p.radio_gain * (1.0 + s) * heard / (heard + s)
        awareness += gain * (1.0 - awareness)
    h.awareness = np.clip(awareness, 0.0, 1.0)
    forgetting(model)


def forgetting(model) -> None:
    """What is learned can be lost: without use (a working group) or reinforcement (a
    facilitator's contact this month) awareness and skills return towards the household's
    own level (falling from above; from below, where a patron's pressure pushed it, its
    own life restores it), and a household's own management towards where it started; a
    member takes management home from its group."""
    p, h, g = model.p, model.households, model.groups
    member = h.group >= 0
    using = np.zeros(len(h), dtype=bool)
    if member.any():
        stage = g.stage[h.group[member]]
        using[member] = (stage == ACTIVE) | (stage == MATURE)
        from_group = g.management[h.group[member]]
        h.management[member] += p.management_transfer * np.maximum(from_group - h.management[member], 0.0)
    idle = ~(using | model.reinforced)
    h.awareness += p.awareness_decay * idle * (h.awareness_base - h.awareness)
    h.skills += p.skills_decay * idle * (h.skills_base - h.skills)
    h.management += p.skills_decay * ~using * (h.management_base - h.management)


def broadcasters_in_reach(model, source: np.ndarray, reach: int) -> np.ndarray:
    """Per household, how many radio members broadcast within Chebyshev distance ``reach``."""
    p, h = model.p, model.households
    grid = np.zeros((p.width, p.height))
    grid[h.x[source], h.y[source]] = 1.0
    size = 2 * reach + 1
    counts = uniform_filter(grid, size=size, mode="constant") * size * size
    return np.rint(counts[h.x, h.y])
