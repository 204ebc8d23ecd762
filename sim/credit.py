"""Submodel 3, credit: debts accrue and are repaid, shortfalls are borrowed, dependency moves.

At each planting a landed client takes its inputs on credit from its patron (one month of
its land's yield times ``interlinked_share x dependency``: an interlinked contract). A
household short of cash borrows the part of its need tied to its patron
(``interlinked_share x dependency``) from its patron whatever else it has; the
rest first from its group's fund (group interest), then, if its group's fund is empty and
a cooperative patron lends to the group, through the group; otherwise from its own patron
at the rate the patron charges it, which raises its dependency. Patrons react to
organising: each lowers its rate as its clients find group credit, and a resistant one
charges its organised clients more (seed 002); each also cuts its rate for the threat
of an alternative lender at hand, before any client joins (contestable patrons). A client whose debt passes the limit
defaults and pawns land. Paying debt off and having an alternative channel let
dependency fall.
"""

from __future__ import annotations

import numba
import numpy as np

from sim.params import ORGANIC, PARALEGAL
from sim.peer_influence import resistance_of
from sim.state import DISSOLVED

PLANTING_MONTHS = 6  # two seasons a year


def credit(model) -> None:
    """Pawned land returns, patrons set rates, debts accrue and are repaid, shortfalls are borrowed,
    defaults pawn land, dependency moves (docs/ODD.md 7.3; the equations in ``credit_month``)."""
    p, h, g, pt, places = model.p, model.households, model.groups, model.patrons, model.places
    model.client_rate = np.empty(len(h))
    credit_month(
        h.patron,
        h.group,
        h.network,
        h.place,
        h.wealth,
        h.debt,
        h.group_debt,
        h.dependency,
        h.dependency_base,
        h.pawned,
        h.land,
        h.patron_borrowed,
        model.client_rate,
        g.n,
        g.fund,
        g.patron_loan,
        g.lender,
        g.place,
        g.stage,
        places.organiser,
        pt.interest_base,
        pt.interest,
        pt.capital,
        pt.openness,
        p.n_hamlets,
        p.patrons_per_hamlet,
        p.cooperative_openness,
        model.land_return,
        model.month % PLANTING_MONTHS == 0,
        1.0 - 1.0 / p.pawn_months,
        p.rate_competition,
        p.contestability,
        p.organised_rate_penalty,
        p.paralegal_protection,
        p.group_interest,
        p.repay_share,
        p.group_credit_limit,
        p.interlinked_share,
        p.borrow_dependency,
        p.default_limit,
        p.pawn_share,
        p.default_dependency,
        p.organic_release,
        p.dependency_release,
    )


@numba.njit(cache=True)
def credit_month(
    patron,
    group,
    network,
    place,
    wealth,
    debt,
    group_debt,
    dependency,
    dependency_base,
    pawned,
    land,
    patron_borrowed,
    client_rate,
    n,
    fund,
    patron_loan,
    lender,
    group_place,
    group_stage,
    organiser,
    interest_base,
    interest,
    capital,
    openness,
    n_hamlets,
    per_hamlet,
    cooperative_openness,
    land_return,
    planting,
    pawn_kept,
    rate_competition,
    contestability,
    penalty,
    protection,
    group_interest,
    repay_share,
    limit,
    interlinked_share,
    borrow_dependency,
    default_limit,
    pawn_share,
    default_dependency,
    organic_release,
    dependency_release,
):
    """One month of credit, household by household (each step a pass, in the order of the ODD), with
    each patron's threat theta_j (``threat_of``), resistance rho_j (``resistance_of``) and the patron
    lending to each group (``lenders_of``) computed first:

    pawned_i *= 1 - 1 / pawn_months
    r_j = r0_j (1 - rate_competition x share of j's clients in a group with a fund) (1 - contestability theta_j)
    r_i = r_patron(i) (1 + organised_rate_penalty rho_patron(i) (1 - sigma_i)) for members, else r_patron(i)
    debt_i *= 1 + r_i;  group_debt_i *= 1 + group_interest;  patron_loan_g *= 1 + group_interest
    repay from repay_share x cash: the patron first, then the group (its fund repays a lending patron
    repay_share of itself); group debt over group_credit_limit is refinanced from the patron
    short_i = max(-wealth_i, 0): tied_i = interlinked_share dependency_i short_i from the patron, the rest
    from the group fund (pro rata, topped up by a cooperative lender), what is left from the patron;
    at planting, inputs_i = interlinked_share dependency_i land_return land_i (1 - pawned_i) on credit
    dependency_i += min(borrow_dependency borrowed_i, 1) (1 - dependency_i)
    default (debt_i > default_limit): debt written off, the patron takes (1 - sigma_i) of cash,
    pawned_i += (1 - sigma_i) pawn_share (1 - pawned_i), dependency_i += default_dependency (1 - sigma_i)(1 - d_i)
    free of debt and of new loans: dependency_i += dependency_release (target_i - dependency_i),
    target_i = dependency_base_i (1 - min(channel_i, 1)), channel = organic and group-fund alternatives
    """
    m = len(patron)
    k_patrons = len(interest_base)
    threat = threat_of(organiser, group_place[:n], group_stage[:n], place, patron, k_patrons)
    rho = resistance_of(openness, cooperative_openness)
    group_lender = lenders_of(openness, n_hamlets, per_hamlet, len(organiser), group_place[:n], cooperative_openness)
    for i in range(m):
        pawned[i] *= pawn_kept
    # Patrons' rates, then each client's.
    funded = np.zeros(k_patrons)
    clients = np.zeros(k_patrons, dtype=np.int64)
    for i in range(m):
        clients[patron[i]] += 1
        if n and group[i] >= 0 and fund[group[i]] > 0:
            funded[patron[i]] += 1.0
    for j in range(k_patrons):
        interest[j] = (
            interest_base[j]
            * (1.0 - rate_competition * (funded[j] / max(clients[j], 1)))
            * (1.0 - contestability * threat[j])
        )
    for i in range(m):
        client_rate[i] = interest[patron[i]]
        if group[i] >= 0 and penalty > 0:
            spared = protection if network[i] == PARALEGAL else 0.0
            client_rate[i] *= 1.0 + penalty * rho[patron[i]] * (1.0 - spared)
    # Interest accrues; repayment, dearest debt first.
    to_patron = np.empty(m)
    repaid = np.zeros(n)
    for i in range(m):
        debt[i] *= 1.0 + client_rate[i]
        group_debt[i] *= 1.0 + group_interest
        available = max(wealth[i], 0.0) * repay_share
        to_patron[i] = min(available, debt[i])
        debt[i] -= to_patron[i]
        wealth[i] -= to_patron[i]
        if n:
            to_group = min(available - to_patron[i], group_debt[i])
            group_debt[i] -= to_group
            wealth[i] -= to_group
            if group[i] >= 0:
                repaid[group[i]] += to_group
    back = np.zeros(k_patrons)
    for k in range(n):
        patron_loan[k] *= 1.0 + group_interest
        fund[k] += repaid[k]
        repay = min(fund[k] * repay_share, patron_loan[k])
        fund[k] -= repay
        patron_loan[k] -= repay
        if lender[k] >= 0:
            back[lender[k]] += repay
    for j in range(k_patrons):
        capital[j] += back[j]
    # Group debt over the limit is refinanced from the patron.
    over = np.empty(m)
    refinanced = np.zeros(n)
    for i in range(m):
        over[i] = max(group_debt[i] - limit, 0.0)
        if n and over[i] > 0:
            group_debt[i] -= over[i]
            if group[i] >= 0:
                refinanced[group[i]] += over[i]
    for k in range(n):
        fund[k] += refinanced[k]
    # A shortfall: the tied part from the patron, the rest from the group's fund first.
    tied, rest, request = np.empty(m), np.empty(m), np.zeros(m)
    asked = np.zeros(n)
    for i in range(m):
        short = max(-wealth[i], 0.0)
        tied[i] = interlinked_share * dependency[i] * short
        rest[i] = short - tied[i]
        if n:
            request[i] = min(rest[i], max(limit - group_debt[i], 0.0))
            if group[i] >= 0:
                asked[group[i]] += request[i]
    if n:
        lent = np.zeros(k_patrons)
        share = np.zeros(n)
        for k in range(n):
            topped = max(asked[k] - fund[k], 0.0) if group_lender[k] >= 0 else 0.0
            fund[k] += topped
            patron_loan[k] += topped
            if topped > 0:
                lender[k] = group_lender[k]
            if group_lender[k] >= 0:
                lent[group_lender[k]] += topped
            share[k] = min(fund[k] / asked[k], 1.0) if asked[k] > 0 else 0.0
        for j in range(k_patrons):
            capital[j] -= lent[j]
        loaned = np.zeros(n)
        for i in range(m):
            if group[i] >= 0:
                loan = request[i] * share[group[i]]
                loaned[group[i]] += loan
                group_debt[i] = min(group_debt[i] + loan, limit)  # (rounding kept under the limit)
                wealth[i] += loan
                rest[i] -= loan
        for k in range(n):
            fund[k] = max(fund[k] - loaned[k], 0.0)
    # What the patron lends, defaults, and the release of dependency.
    flow = np.zeros(k_patrons)
    for i in range(m):
        inputs = interlinked_share * dependency[i] * (land_return * land[i] * (1.0 - pawned[i])) if planting else 0.0
        borrowed = tied[i] + rest[i] + over[i] + inputs
        patron_borrowed[i] = borrowed
        debt[i] += borrowed
        wealth[i] = max(wealth[i] + (tied[i] + rest[i]), 0.0)
        dependency[i] += min(borrow_dependency * borrowed, 1.0) * (1.0 - dependency[i])
        paid = to_patron[i] - borrowed
        if debt[i] > default_limit:
            protect = protection if network[i] == PARALEGAL else 0.0
            taken = wealth[i] * min(1.0 - protect, 1.0)
            paid += taken
            wealth[i] -= taken
            debt[i] = 0.0
            pawned[i] += min((1.0 - protect) * pawn_share, 1.0) * (1.0 - pawned[i])
            dependency[i] += default_dependency * (1.0 - protect) * (1.0 - dependency[i])
        channel = 0.5 * organic_release * (network[i] == ORGANIC)
        if n and group[i] >= 0 and fund[group[i]] > 0:
            channel += 0.5
        if debt[i] <= 0 and not borrowed > 0:
            target = dependency_base[i] * (1.0 - min(channel, 1.0))
            dependency[i] += dependency_release * (target - dependency[i])
        dependency[i] = min(max(dependency[i], 0.0), 1.0)
        flow[patron[i]] += paid
    for j in range(k_patrons):
        capital[j] += flow[j]


@numba.njit(cache=True)
def threat_of(organiser, group_place, group_stage, place, patron, n_patrons):
    """theta_j: the share of patron j's clients with an alternative lender at hand, a live group on their
    place or a facilitator working it last month, whether or not they have joined (contestable patrons):
        theta_j = #{clients i of j: organiser(q_i) or a live group on q_i} / max(#clients of j, 1)"""
    at_hand = organiser.copy()
    for k in range(len(group_stage)):
        if group_stage[k] != DISSOLVED:
            at_hand[group_place[k]] = True
    clients = np.zeros(n_patrons, dtype=np.int64)
    near = np.zeros(n_patrons)
    for i in range(len(patron)):
        clients[patron[i]] += 1
        if at_hand[place[i]]:
            near[patron[i]] += 1.0
    return near / np.maximum(clients, 1)


@numba.njit(cache=True)
def lenders_of(openness, n_hamlets, per_hamlet, n_places, group_place, cooperative_openness):
    """Per group, the patron that lends to it when that patron is cooperative (openness at least
    ``cooperative_openness``), else -1 (seed 002): the most open patron of its hamlet, or of the
    village for a network group (the first of equals)."""
    by_place = np.empty(n_places, dtype=np.int64)
    best = 0
    for j in range(len(openness)):
        if openness[j] > openness[best]:
            best = j
    by_place[n_hamlets:] = best
    for q in range(n_hamlets):
        best = q * per_hamlet
        for j in range(q * per_hamlet + 1, (q + 1) * per_hamlet):
            if openness[j] > openness[best]:
                best = j
        by_place[q] = best
    out = np.empty(len(group_place), dtype=np.int64)
    for k in range(len(group_place)):
        j = by_place[group_place[k]]
        out[k] = j if openness[j] >= cooperative_openness else -1
    return out
