"""Submodel 8, exit and succession: outside support ends, internal facilitators take over.

Exit modes (seed 004): ``abrupt`` keeps full effort to the programme's end, then the
external facilitators leave; ``phased`` tapers a mature group's support over
``exit_taper_months`` from the month it matures (effort moves to weaker groups, see
facilitation) and tapers every facilitator's effort to zero over the programme's last
``exit_taper_months``; ``none`` keeps them in the field for ever (a control). A mature
group with a member of high awareness and skill grows an internal facilitator who
carries on after the outside ones leave (seed 001). Once outside support has ended the
community radio's running cost falls to its members, and it may stop broadcasting.
"""

from __future__ import annotations

import numba
import numpy as np

from sim.params import RADIO
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
    """Facilitators' effort and presence, groups' outside support, and new internal facilitators.

    external facilitators: effort = external_effort(month), in the field while effort > 0;
    internal ones stay in the field while their group lives
    support_g = effort [its place worked this month]; phased exit, mature group:
                clip(min(support_g, 1 - (month - matured_g) / exit_taper_months), 0, 1);
                at least internal_support where it has an internal facilitator; 0 when dissolved
    a mature group without one grows one from its first member with awareness >= internal_awareness
    and skills >= internal_skills (when internal_facilitators is on)
    """
    p, h, g, team = model.p, model.households, model.groups, model.team
    effort = external_effort(p, model.month)
    radio_closes(model, effort)
    grown = succession(
        team.n,
        team.internal,
        team.effort,
        team.in_field,
        team.home_group,
        g.n,
        g.stage,
        g.place,
        g.matured,
        g.internal,
        g.support,
        model.places.worked,
        h.group,
        h.awareness,
        h.skills,
        effort,
        model.month,
        p.exit_mode == "phased",
        p.exit_taper_months,
        p.internal_support,
        p.internal_facilitators,
        p.internal_awareness,
        p.internal_skills,
    )
    take_over(model, grown)


def take_over(model, grown: np.ndarray) -> None:
    """Each (group, member) of ``grown`` joins the team as an internal facilitator working the group's
    place, where internal facilitators have any capacity; the team's store grows by a row each."""
    p, h, g, team = model.p, model.households, model.groups, model.team
    if p.internal_capacity > 0:
        for row, member in grown:
            f = team.add(1)
            team.beat[f], team.capacity[f], team.internal[f], team.home_group[f] = (
                g.place[row],
                p.internal_capacity,
                True,
                row,
            )
            team.x[f], team.y[f] = h.x[member], h.y[member]


def radio_closes(model, effort: float) -> None:
    """Once the programme's support has ended the members pay the radio's running cost, and
    it stops broadcasting with chance ``radio_close`` a month, for good.

        radio_on = radio_on and not (effort = 0 and a radio member exists and u < radio_close)
    """
    if model.radio_on and effort == 0 and (model.households.network == RADIO).any():
        model.radio_on = bool(model.rng.random() >= model.p.radio_close)


@numba.njit(cache=True)
def succession(
    n_team,
    internal,
    effort,
    in_field,
    home_group,
    n,
    stage,
    place,
    matured,
    group_internal,
    support,
    worked,
    group,
    awareness,
    skills,
    external,
    month,
    phased,
    taper_months,
    internal_support,
    grow,
    internal_awareness,
    internal_skills,
):
    """The equations of ``exit_and_succession``; returns (group, member) of each internal facilitator grown."""
    for f in range(n_team):
        if internal[f]:
            in_field[f] = stage[max(home_group[f], 0)] != DISSOLVED
        else:
            effort[f] = external
            in_field[f] = external > 0
    candidates = 0
    for k in range(n):
        s = external * (worked[max(place[k], 0)] > 0)
        if phased and stage[k] == MATURE:
            s = min(max(min(s, 1.0 - (month - matured[k]) / taper_months), 0.0), 1.0)
        s = max(s, internal_support * group_internal[k])
        support[k] = 0.0 if stage[k] == DISSOLVED else s
        candidates += stage[k] == MATURE and not group_internal[k]
    grown = np.empty((0, 2), dtype=np.int64)
    if not grow or not candidates:
        return grown
    first = np.full(n, -1)
    for i in range(len(group)):
        k = group[i]
        if k >= 0 and first[k] < 0 and awareness[i] >= internal_awareness and skills[i] >= internal_skills:
            first[k] = i
    rows = [k for k in range(n) if stage[k] == MATURE and not group_internal[k] and first[k] >= 0]
    grown = np.empty((len(rows), 2), dtype=np.int64)
    for j, k in enumerate(rows):
        group_internal[k] = True
        grown[j, 0], grown[j, 1] = k, first[k]
    return grown
