"""Productive assets and investment (docs/ODD.md 7.10), run between extraction and credit.

Households hold productive assets (livestock, stock-in-trade, tools, farm inputs) besides
cash. New ones yield only after a gestation; all wear out and may fail. A household short
of cash after rent sells assets in a hurry, at a loss, before it asks its patron or its
group for a loan; with what is left it redeems land pawned to its patron; savings above
its cash reserve buy new assets once it owes its patron nothing. Members of a group borrow
from its fund for productive activities, so the fund, the programme's stimulant included,
goes into assets. Without a programme the stock settles where saving into assets balances
depreciation, failure, sales and consumption out of wealth.
"""

from __future__ import annotations

import numba
import numpy as np

from sim.state import DISSOLVED


def productive_assets(model) -> None:
    """Assets grow, wear and fail; a shortfall sells them, pawned land is redeemed, savings and
    productive loans buy them (docs/ODD.md 7.10; the equations in ``asset_month``)."""
    p, h, g, pt = model.p, model.households, model.groups, model.patrons
    n = len(h)
    members = g.n > 0 and bool((h.group >= 0).any())
    asset_month(
        h.wealth,
        h.debt,
        h.land,
        h.pawned,
        h.assets,
        h.assets_growing,
        h.usual_income,
        h.patron,
        pt.capital,
        model.rng.random(n),
        model.land_return,
        p.asset_depreciation,
        p.asset_failure,
        1.0 / p.asset_gestation,
        p.fire_sale_discount,
        p.liquid_share * p.buffer_stock,
        p.pawn_months,
    )
    if members:
        productive_loans(
            h.group,
            h.wealth,
            h.group_debt,
            h.assets_growing,
            g.fund[: g.n],
            g.stage[: g.n],
            model.rng.random(n),
            p.investment_rate,
            p.investment_size,
            p.group_credit_limit,
        )


@numba.njit(cache=True)
def asset_month(
    wealth,
    debt,
    land,
    pawned,
    assets,
    growing,
    usual,
    patron,
    capital,
    draw,
    land_return,
    depreciation,
    failure,
    ripen,
    discount,
    reserve,
    pawn_months,
):
    """One month of a household's productive assets, household by household:

    ripe_i = assets_growing_i / asset_gestation;  assets_i += ripe_i;  assets_growing_i -= ripe_i
    failure (draw_i < asset_failure): assets_i = assets_growing_i = 0
    assets_i, assets_growing_i *= 1 - asset_depreciation
    fire sale: sold_i = min(max(-wealth_i, 0), (1 - fire_sale_discount) held_i), held = assets + growing
    redemption: price_i = land_return land_i pawn_months per unit pawned (the yield the patron would
    still take); redeemed_i = min(pawned_i, held_i / price_i); the patron receives its price
    saving: where debt_i = 0, bought_i = max(wealth_i - liquid_share buffer_stock usual_i, 0) into growing
    """
    for i in range(len(wealth)):
        ripe = growing[i] * ripen
        assets[i] += ripe
        growing[i] -= ripe
        if draw[i] < failure:
            assets[i] = 0.0
            growing[i] = 0.0
        assets[i] *= 1.0 - depreciation
        growing[i] *= 1.0 - depreciation
        held = assets[i] + growing[i]
        worth = held * (1.0 - discount)
        if wealth[i] < 0 and worth > 0:  # (a tiny held can round to no worth)
            sold = min(-wealth[i], worth)
            kept = max(1.0 - sold / worth, 0.0)
            assets[i] *= kept
            growing[i] *= kept
            wealth[i] += sold
            held = assets[i] + growing[i]
        if pawned[i] > 0 and held > 0 and land[i] > 0:
            price = land_return * land[i] * pawn_months
            redeemed = min(pawned[i], held / price) if price > 0 else pawned[i]
            paid = redeemed * price
            kept = max(1.0 - paid / held, 0.0)
            assets[i] *= kept
            growing[i] *= kept
            pawned[i] -= redeemed
            capital[patron[i]] += paid
        if debt[i] <= 0:
            bought = max(wealth[i] - reserve * usual[i], 0.0)
            growing[i] += bought
            wealth[i] -= bought


@numba.njit(cache=True)
def productive_loans(group, wealth, group_debt, growing, fund, stage, draw, rate, size, limit):
    """Members not short of cash who owe their group nothing (one loan at a time: the last is paid
    back first) take productive loans from its fund, pro rata where it cannot meet them all; what
    they borrow buys assets that have yet to yield:

    q_i = min(investment_size, group_credit_limit) [draw_i < investment_rate] [wealth_i >= 0] [group_debt_i = 0]
    share_k = min(fund_k / sum_{i in k} q_i, 1);  loan_i = q_i share_k
    group_debt_i += loan_i;  assets_growing_i += loan_i;  fund_k -= sum_{i in k} loan_i
    """
    asked = np.zeros(len(fund))
    request = np.zeros(len(group))
    for i in range(len(group)):
        k = group[i]
        if k >= 0 and stage[k] != DISSOLVED and draw[i] < rate and wealth[i] >= 0 and group_debt[i] <= 0:
            request[i] = min(size, limit)
            asked[k] += request[i]
    share = np.zeros(len(fund))
    for k in range(len(fund)):
        if asked[k] > 0:
            share[k] = min(fund[k] / asked[k], 1.0)
    for i in range(len(group)):
        if request[i] > 0:
            k = group[i]
            loan = request[i] * share[k]
            group_debt[i] += loan
            growing[i] += loan
            fund[k] = max(fund[k] - loan, 0.0)
