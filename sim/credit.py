"""Submodel 3, credit: debts accrue and are repaid, shortfalls are borrowed, dependency moves.

At each planting a landed client takes its inputs on credit from its patron (one month of
its land's yield times ``interlinked_share x dependency``: an interlinked contract). A
household short of cash borrows the part of its need tied to its patron
(``interlinked_share x dependency``) from its patron whatever else it has; the
rest first from its group's fund (group interest), then, if its group's fund is empty and
a cooperative patron lends to the group, through the group; otherwise from its own patron
at the rate the patron charges it, which raises its dependency. Patrons react to
organising: each lowers its rate as its clients find group credit, and a resistant one
charges its organised clients more (seed 002). A client whose debt passes the limit
defaults and pawns land. Paying debt off and having an alternative channel let
dependency fall.
"""

from __future__ import annotations

import numpy as np

from sim.livelihood import land_income
from sim.params import NETWORKS
from sim.peer_influence import resistance

ORGANIC = NETWORKS.index("organic_market")
PARALEGAL = NETWORKS.index("paralegal")
PLANTING_MONTHS = 6  # two seasons a year


def per_group(model, values: np.ndarray, members: np.ndarray) -> np.ndarray:
    """Sum of a household array over each group's members."""
    return np.bincount(model.households.group[members], values[members], minlength=model.groups.n)


def patron_rates(model) -> np.ndarray:
    """Per patron, the rate it charges: its base rate cut as its clients find group credit,
    r_j = r0_j x (1 - rate_competition x share of its clients in a group with a fund)."""
    p, h, g, pt = model.p, model.households, model.groups, model.patrons
    if not g.n:
        return pt.interest_base.copy()
    member = h.group >= 0
    funded = np.zeros(len(h))
    funded[member] = g.fund[h.group[member]] > 0
    clients = np.maximum(np.bincount(h.patron, minlength=len(pt)), 1)
    share = np.bincount(h.patron, funded, minlength=len(pt)) / clients
    return pt.interest_base * (1.0 - p.rate_competition * share)


def client_rates(model) -> np.ndarray:
    """Per household, the rate its patron charges it: a resistant patron charges organised
    clients more, r = r_j x (1 + penalty x resistance_j), less a paralegal's protection."""
    p, h, pt = model.p, model.households, model.patrons
    rate = pt.interest[h.patron]
    member = h.group >= 0
    if member.any() and p.organised_rate_penalty > 0:
        spared = np.where(h.network[member] == PARALEGAL, p.paralegal_protection, 0.0)
        rho = resistance(model)[h.patron[member]]
        rate = rate.copy()
        rate[member] *= 1.0 + p.organised_rate_penalty * rho * (1.0 - spared)
    return rate


def credit(model) -> None:
    p, h, g, pt = model.p, model.households, model.groups, model.patrons
    member = h.group >= 0

    # Pawned land is worked off and comes back; the patron sets its rates.
    h.pawned *= 1.0 - 1.0 / p.pawn_months
    pt.interest = patron_rates(model)
    model.client_rate = client_rates(model)

    # Interest accrues; a share of cash (left after this month's consumption) repays, dearest debt first.
    h.debt *= 1.0 + model.client_rate
    h.group_debt *= 1.0 + p.group_interest
    g.patron_loan[: g.n] *= 1.0 + p.group_interest
    available = np.maximum(h.wealth, 0.0) * p.repay_share
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
    # A shortfall: the part tied to the patron (inputs, land, marketing) only it serves;
    # the rest goes to the group's fund first.
    short = np.maximum(-h.wealth, 0.0)
    tied = p.interlinked_share * h.dependency * short
    rest = short - tied
    if g.n and member.any():
        rest = borrow_from_groups(model, rest, member)
    # Interlinked inputs: at each planting (every six months) a landed client takes its
    # season's inputs on credit from its patron, in proportion to its dependency.
    inputs = 0.0
    if model.month % PLANTING_MONTHS == 0:
        inputs = p.interlinked_share * h.dependency * land_income(model)
    borrowed = tied + rest + over + inputs
    h.patron_borrowed = borrowed
    h.debt += borrowed
    h.wealth += tied + rest
    np.maximum(h.wealth, 0.0, out=h.wealth)  # the shortfall is covered; drop rounding residue
    h.dependency += p.borrow_dependency * borrowed * (1.0 - h.dependency)
    flow = to_patron - borrowed
    borrowed = borrowed > 0

    # Default: the debt is written off; the patron takes the client's cash and a share of its
    # land in pawn (gadai), dependency rises. A paralegal member keeps the protected share.
    default = h.debt > p.default_limit
    if default.any():
        protect = np.where(h.network[default] == PARALEGAL, p.paralegal_protection, 0.0)
        taken = h.wealth[default] * (1.0 - protect)
        flow[default] += taken
        h.wealth[default] -= taken
        h.debt[default] = 0.0
        h.pawned[default] += (1.0 - protect) * p.pawn_share * (1.0 - h.pawned[default])
        h.dependency[default] += p.default_dependency * (1 - protect) * (1.0 - h.dependency[default])

    # Release: owing the patron nothing, dependency returns to the household's own level,
    # lowered by an alternative channel (a group fund, the organic market).
    channel = 0.5 * p.organic_release * (h.network == ORGANIC)
    if g.n:
        has_fund = np.zeros(len(h), dtype=bool)
        has_fund[member] = g.fund[h.group[member]] > 0
        channel += 0.5 * has_fund
    target = h.dependency_base * (1.0 - np.minimum(channel, 1.0))
    free = (h.debt <= 0) & ~borrowed
    h.dependency += p.dependency_release * (target - h.dependency) * free
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
