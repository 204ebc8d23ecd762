"""Submodel 8, exit and succession: outside support ends, internal facilitators take over.

Exit modes (seed 004): ``abrupt`` keeps full effort to the programme's end, then the
external facilitators leave; ``phased`` tapers a mature group's support over
``exit_taper_months`` from the month it matures (effort moves to weaker groups, see
facilitation) and tapers every facilitator's effort to zero over the programme's last
``exit_taper_months``; ``none`` keeps them in the field for ever (a control). A mature
group with a member of high awareness and skill grows an internal facilitator who
carries on after the outside ones leave (seed 001).
"""

from __future__ import annotations

import numpy as np

from sim.state import DISSOLVED, MATURE


def external_effort(p, month: int) -> float:
    """Effort of an external facilitator in the month after ``month``."""
    if p.exit_mode == "none":
        return 1.0
    left = p.programme_months - month
    if left <= 0:
        return 0.0
    if p.exit_mode == "phased" and left < p.exit_taper_months:
        return left / p.exit_taper_months
    return 1.0


def exit_and_succession(model) -> None:
    p, g = model.p, model.groups
    effort = external_effort(p, model.month)
    team = model.team
    internal = team.internal[: team.n]
    team.effort[: team.n][~internal] = effort
    team.in_field[: team.n] = np.where(internal, g.stage[np.maximum(team.home_group[: team.n], 0)] != DISSOLVED, effort > 0)
    if not g.n:
        return
    n = g.n
    stage = g.stage[:n]
    worked = model.places.worked[np.maximum(g.place[:n], 0)]
    support = np.full(n, effort) * (worked > 0)
    if p.exit_mode == "phased":
        matured = stage == MATURE
        taper = 1.0 - (model.month - g.matured[:n]) / p.exit_taper_months
        support = np.where(matured, np.clip(np.minimum(support, taper), 0.0, 1.0), support)
    support = np.maximum(support, p.internal_support * g.internal[:n])
    g.support[:n] = np.where(stage == DISSOLVED, 0.0, support)
    grow_internal_facilitators(model)


def grow_internal_facilitators(model) -> None:
    p, h, g = model.p, model.households, model.groups
    n = g.n
    if not p.internal_facilitators:
        return
    candidates = (g.stage[:n] == MATURE) & ~g.internal[:n]
    if not candidates.any():
        return
    able = (h.group >= 0) & (h.awareness >= p.internal_awareness) & (h.skills >= p.internal_skills)
    has_able = np.bincount(h.group[able], minlength=n) > 0
    for row in np.nonzero(candidates & has_able)[0]:
        g.internal[row] = True
        if p.internal_capacity > 0:
            member = np.nonzero((h.group == row) & able)[0][0]
            team = model.team
            f = team.add(1)
            team.beat[f], team.capacity[f], team.internal[f], team.home_group[f] = g.place[row], p.internal_capacity, True, row
            team.x[f], team.y[f] = h.x[member], h.y[member]
