"""Submodel 3, credit: debts accrue and are repaid, shortfalls are borrowed, dependency moves.

A household short of cash borrows first from its group's fund (group interest), then,
if its group's fund is empty and a cooperative patron lends to the group, through the
group; otherwise from its own patron at the patron's interest, which raises its
dependency. Paying debt off and having an alternative channel let dependency fall.
"""

from __future__ import annotations

import numpy as np

from sim.params import NETWORKS

ORGANIC = NETWORKS.index("organic_market")
PARALEGAL = NETWORKS.index("paralegal")


def per_group(model, values: np.ndarray, members: np.ndarray) -> np.ndarray:
    """Sum of a household array over each group's members."""
    return np.bincount(model.households.group[members], values[members], minlength=model.groups.n)


def credit(model) -> None:
    p, h, g, pt = model.p, model.households, model.groups, model.patrons
    member = h.group >= 0

    # Interest accrues; repayment from cash above a one-month reserve, dearest debt first.
    h.debt *= 1.0 + pt.interest[h.patron]
    h.group_debt *= 1.0 + p.group_interest
    g.patron_loan[: g.n] *= 1.0 + p.group_interest
    available = np.maximum(h.wealth - 1.0, 0.0) * p.repay_share
    to_patron = np.minimum(available, h.debt)
    h.debt -= to_patron
    h.wealth -= to_patron
    if g.n:
        to_group = np.minimum(available - to_patron, h.group_debt)
        h.group_debt -= to_group
        h.wealth -= to_group
        g.fund[: g.n] += per_group(model, to_group, member)
        repay_patron = np.minimum(g.fund[: g.n] * p.repay_share, g.patron_loan[: g.n])
        g.fund[: g.n] -= repay_patron
        g.patron_loan[: g.n] -= repay_patron
        lent = g.lender[: g.n] >= 0
        pt.capital += np.bincount(g.lender[: g.n][lent], repay_patron[lent], minlength=len(pt))

    # Group debt beyond the group's credit limit is refinanced from the patron.
    over = np.maximum(h.group_debt - p.group_credit_limit, 0.0)
    if g.n and over.any():
        h.group_debt -= over
        g.fund[: g.n] += per_group(model, over, member)
    short = np.maximum(-h.wealth, 0.0)
    if g.n and member.any():
        short = borrow_from_groups(model, short, member)
    borrowed = short + over
    h.debt += borrowed
    h.wealth += short
    h.dependency += p.borrow_dependency * borrowed * (1.0 - h.dependency)
    flow = to_patron - borrowed
    borrowed = borrowed > 0

    # Default: the patron takes land or assets, the debt is written off, dependency rises.
    default = h.debt > p.default_limit
    if default.any():
        protect = np.where(h.network[default] == PARALEGAL, p.paralegal_protection, 0.0)
        flow[default] += h.wealth[default]
        h.wealth[default] = 0.0
        h.debt[default] = 0.0
        h.dependency[default] += p.default_dependency * (1 - protect) * (1.0 - h.dependency[default])

    # Release: with no patron debt, an alternative channel lets dependency fall.
    channel = 0.5 * np.minimum(h.wealth / p.buffer_target, 1.0)
    if g.n:
        has_fund = np.zeros(len(h), dtype=bool)
        has_fund[member] = g.fund[h.group[member]] > 0
        channel += 0.5 * has_fund
    channel += 0.5 * p.organic_release * (h.network == ORGANIC)
    free = (h.debt <= 0) & ~borrowed
    h.dependency -= p.dependency_release * np.minimum(channel, 1.0) * h.dependency * free
    np.clip(h.dependency, 0.0, 1.0, out=h.dependency)
    pt.capital += np.bincount(h.patron, flow, minlength=len(pt))


def borrow_from_groups(model, short: np.ndarray, member: np.ndarray) -> np.ndarray:
    """Lend from group funds up to each member's credit limit (pro rata when a fund runs
    short); return what is still short."""
    p, h, g, pt = model.p, model.households, model.groups, model.patrons
    fund = g.fund[: g.n]
    request = np.minimum(short, np.maximum(p.group_credit_limit - h.group_debt, 0.0))
    asked = per_group(model, request, member)
    # A cooperative patron in the group's hamlet tops up a fund that cannot meet demand.
    gap = np.maximum(asked - fund, 0.0)
    lender = group_lender(model)
    topped = gap * (lender >= 0)
    if topped.any():
        fund += topped
        g.patron_loan[: g.n] += topped
        g.lender[: g.n] = np.where(topped > 0, lender, g.lender[: g.n])
        pt.capital -= np.bincount(lender[lender >= 0], topped[lender >= 0], minlength=len(pt))
    share = np.where(asked > 0, np.minimum(fund / np.where(asked > 0, asked, 1.0), 1.0), 0.0)
    loan = np.zeros_like(short)
    loan[member] = request[member] * share[h.group[member]]
    fund -= per_group(model, loan, member)
    np.maximum(fund, 0.0, out=fund)
    h.group_debt += loan
    h.wealth += loan
    return short - loan


def group_lender(model) -> np.ndarray:
    """Per group, the patron that lends to it (the most open in its hamlet, or in the
    village for a network group) when that patron is cooperative; else -1 (seed 002)."""
    p, pt = model.p, model.patrons
    key = pt.openness.tobytes()
    if model.lender_cache[0] != key:
        openness = pt.openness.reshape(p.n_hamlets, p.patrons_per_hamlet)
        best_in_hamlet = openness.argmax(axis=1) + np.arange(p.n_hamlets) * p.patrons_per_hamlet
        by_place = np.concatenate([best_in_hamlet, np.full(len(model.places.stage) - p.n_hamlets, pt.openness.argmax())])
        model.lender_cache = (key, np.where(pt.openness[by_place] >= p.cooperative_openness, by_place, -1))
    return model.lender_cache[1][model.groups.place[: model.groups.n]]
