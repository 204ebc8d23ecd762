"""Submodel 7, group life: saving, cohesion, learning, drop-out, maturing and dissolving.

Members save into the fund. Cohesion follows the benefits members see: the mean of
the group's effective management, its fund per member (against the maturity target),
outside support and its members' awareness, plus a bonus where the place reached the
organisation stage (a federation, Parida & Sinha 2010) and one for ecotourism groups
once their network is big enough to earn, with month-to-month noise.
Management grows by doing, faster where the community manages its own project
(seed 000), and is forgotten without practice (at ``management_decay`` times one minus
cohesion). A group is mature (*mandiri*) when own management, fund per member and
mean member skills pass their thresholds (seed 004's three dimensions); it dissolves
after ``dissolve_months`` of low cohesion, or when fewer than two members are left.
"""

from __future__ import annotations

import numba
import numpy as np

from sim.facilitation import learning_factor
from sim.params import ECOTOURISM
from sim.state import ACTIVE, DISSOLVED, FORMING, MATURE, ORGANISATION


def group_life(model, programme: bool = True) -> None:
    """One month of every group's life (docs/ODD.md 7.7); equations in ``live_month``.

    Without a programme (the burn-in) no NGO manages any project: groups learn as the community's own."""
    p, h, g, rng = model.p, model.households, model.groups, model.rng
    if not g.n:
        return
    leave_draw, noise = rng.random(len(h)), rng.standard_normal(g.n)
    ngo = 1.0 if programme and p.project_management == "ngo" else 0.0
    dissolve = live_month(
        h.group,
        h.network,
        h.wealth,
        h.income,
        h.group_debt,
        h.awareness,
        h.skills,
        g.n,
        g.stage,
        g.size,
        g.fund,
        g.cohesion,
        g.management,
        g.support,
        g.market_access,
        g.place,
        g.network,
        g.founded,
        g.matured,
        g.low_months,
        model.places.stage,
        leave_draw,
        noise,
        model.month,
        p.dropout_rate,
        p.savings_rate,
        p.ngo_management_support if ngo else 0.0,
        p.fund_misuse,
        ngo,
        p.coordination_cost,
        rushed_cost(model) if programme else np.zeros(g.n),
        max(p.mature_fund, 1e-9),
        p.federation_cohesion,
        p.ecotourism_cohesion,
        p.ecotourism_min_members,
        p.cohesion_rate,
        p.cohesion_noise,
        p.management_learning * (learning_factor(p) if programme else 1.0),
        p.management_decay,
        p.market_decay,
        p.forming_months,
        p.mature_management,
        p.mature_fund,
        p.mature_skills,
        p.dissolve_cohesion,
        p.dissolve_months,
    )
    if len(dissolve):
        dissolve_groups(model, dissolve)


@numba.njit(cache=True)
def live_month(
    group,
    network,
    wealth,
    income,
    group_debt,
    awareness,
    skills,
    n,
    stage,
    size,
    fund,
    cohesion,
    management,
    support,
    market_access,
    place,
    group_network,
    founded,
    matured,
    low_months,
    place_stage,
    leave_draw,
    noise,
    month,
    dropout_rate,
    savings_rate,
    ngo_support,
    fund_misuse,
    ngo,
    coordination_cost,
    rushed,
    fund_target,
    federation_cohesion,
    ecotourism_cohesion,
    ecotourism_min_members,
    cohesion_rate,
    cohesion_noise,
    learning,
    management_decay,
    market_decay,
    forming_months,
    mature_management,
    mature_fund,
    mature_skills,
    dissolve_cohesion,
    dissolve_months,
):
    """Drop-out, saving, cohesion, learning, maturing; returns the groups to dissolve.

    leave_i    = member and draw_i < dropout_rate (1 - cohesion_g)         (group debt settled from wealth)
    deposit_i  = min(savings_rate income_i, wealth_i - 1) for members with wealth_i > 1;  fund_g += sum
    fund_g    -= fund_misuse (1 - [ngo] support_g) fund_g                  (live groups: elite capture, misuse)
    target_g   = (min(management_g + ngo_support support_g, 1) + min(fund_g / size_g / mature_fund, 1)
                  + support_g + mean awareness_g) / 4 + federation_cohesion [place organised]
                  + ecotourism_cohesion [ecotourism network earning] - coordination_cost [network group]
                  - rushed_g (rapid_cohesion_cost for a group a rapid programme formed, else 0)
    cohesion_g = clip(cohesion_g + cohesion_rate (target_g - cohesion_g) + cohesion_noise z_g)   (live groups)
    management_g += min(learning max(support_g, management_g), 1)(1 - management_g)   (live, not forming)
    management_g -= management_decay (1 - cohesion_g) management_g                (live: forgotten unpractised)
    market_access_g *= 1 - market_decay (1 - max(support_g, management_g))
    forming -> active after forming_months; active -> mature past the three thresholds;
    dissolve after dissolve_months below dissolve_cohesion, or with fewer than 2 members (not forming)
    """
    live = np.empty(n, dtype=np.bool_)
    for k in range(n):
        live[k] = stage[k] != DISSOLVED
    for i in range(len(group)):
        k = group[i]
        if k >= 0 and leave_draw[i] < dropout_rate * (1.0 - cohesion[k]):
            leave(i, k, wealth, group_debt, network, fund, size)
            group[i] = -1
    saved, aware, skilled = np.zeros(n), np.zeros(n), np.zeros(n)
    for i in range(len(group)):
        k = group[i]
        if k < 0:
            continue
        if wealth[i] > 1.0:
            deposit = min(savings_rate * income[i], wealth[i] - 1.0)
            wealth[i] -= deposit
            saved[k] += deposit
        aware[k] += awareness[i]
        skilled[k] += skills[i]
    eco_members = 0
    for k in range(n):
        if group_network[k] == ECOTOURISM and stage[k] != DISSOLVED:
            eco_members += size[k]
    dissolve = np.empty(n, dtype=np.int64)
    d = 0
    for k in range(n):
        fund[k] += saved[k]
        if live[k]:
            fund[k] -= fund_misuse * (1.0 - ngo * support[k]) * fund[k]
        members = max(size[k], 1)
        fund_per_member = fund[k] / members
        if live[k]:
            earning = group_network[k] == ECOTOURISM and eco_members >= ecotourism_min_members
            federated = place_stage[max(place[k], 0)] >= ORGANISATION
            target = (
                min(management[k] + ngo_support * support[k], 1.0)
                + min(fund_per_member / fund_target, 1.0)
                + support[k]
                + aware[k] / members
            ) / 4.0 + federation_cohesion * federated
            target += ecotourism_cohesion * earning - coordination_cost * (group_network[k] >= 0) - rushed[k]
            c = cohesion[k] + cohesion_rate * (target - cohesion[k]) + cohesion_noise * noise[k]
            cohesion[k] = min(max(c, 0.0), 1.0)
        upkeep = max(support[k], management[k])
        if live[k] and stage[k] != FORMING:
            management[k] += min(learning * upkeep, 1.0) * (1.0 - management[k])
        if live[k]:
            management[k] -= management_decay * (1.0 - cohesion[k]) * management[k]
        market_access[k] *= 1.0 - market_decay * (1.0 - upkeep)
        if stage[k] == FORMING and month - founded[k] >= forming_months:
            stage[k] = ACTIVE
        if (
            stage[k] == ACTIVE
            and management[k] >= mature_management
            and fund_per_member >= mature_fund
            and skilled[k] / members >= mature_skills
        ):
            stage[k] = MATURE
            matured[k] = month
        low_months[k] = low_months[k] + 1 if live[k] and cohesion[k] < dissolve_cohesion else 0
        if live[k] and (low_months[k] >= dissolve_months or (size[k] < 2 and stage[k] != FORMING)):
            dissolve[d] = k
            d += 1
    return dissolve[:d]


def rushed_cost(model) -> np.ndarray:
    """Per group, the cohesion a rapid mobilisation costs it: ``rapid_cohesion_cost`` for a group a
    facilitator formed under rapid mobilisation (members recruited before trust and a shared purpose
    were built), 0 for any other (docs/ODD.md 7.4)."""
    p, g = model.p, model.groups
    if p.mobilisation != "rapid":
        return np.zeros(g.n)
    return p.rapid_cohesion_cost * (g.organised_by[: g.n] == 0)


def dissolve_groups(model, rows: np.ndarray) -> None:
    """A dissolved group repays its patron loan as far as its fund goes, then shares the rest
    among its last members (the equations in ``dissolve``)."""
    h, g = model.households, model.groups
    dissolve(
        rows,
        h.group,
        h.network,
        h.wealth,
        h.group_debt,
        g.fund,
        g.size,
        g.patron_loan,
        g.lender,
        g.stage,
        g.support,
        g.dissolved,
        model.patrons.capital,
        model.month,
    )
    model.groups_dissolved += len(rows)


@numba.njit(cache=True)
def leave(i, k, wealth, group_debt, network, fund, size):
    """Household i leaves group k, settling its group debt from its wealth as far as it goes:
    settle_i = min(group_debt_i, max(wealth_i, 0)) is paid into the fund; the rest is written off.
    (The caller clears ``group[i]`` when it no longer needs it.)"""
    settle = min(group_debt[i], max(wealth[i], 0.0))
    wealth[i] -= settle
    fund[k] += settle
    size[k] -= 1
    group_debt[i] = 0.0
    network[i] = -1


@numba.njit(cache=True)
def dissolve(
    rows, group, network, wealth, group_debt, fund, size, patron_loan, lender, stage, support, dissolved, capital, month
):
    """Groups ``rows`` dissolve. Their members leave (``leave``); each group repays its lending
    patron repaid_k = min(fund_k, patron_loan_k) and shares the rest equally among the members it
    had: wealth_i += (fund_k - repaid_k) / max(size_k, 1)."""
    ending = np.zeros(len(fund), dtype=np.bool_)
    had = np.zeros(len(fund))
    for k in rows:
        ending[k] = True
        had[k] = max(size[k], 1)
    leaving = np.empty(len(group), dtype=np.int64)
    left = 0
    for i in range(len(group)):
        k = group[i]
        if k >= 0 and ending[k]:
            leave(i, k, wealth, group_debt, network, fund, size)
            leaving[left] = i
            left += 1
    share = np.zeros(len(fund))
    back = np.zeros(len(capital))
    for k in rows:
        repaid = min(fund[k], patron_loan[k])
        if lender[k] >= 0:
            back[lender[k]] += repaid
        share[k] = (fund[k] - repaid) / had[k]
    for j in range(len(capital)):
        capital[j] += back[j]
    for i in leaving[:left]:
        wealth[i] += share[group[i]]
        group[i] = -1
    for k in rows:
        fund[k] = 0.0
        patron_loan[k] = 0.0
        stage[k] = DISSOLVED
        support[k] = 0.0
        dissolved[k] = month
