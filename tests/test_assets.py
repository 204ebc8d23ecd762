"""Productive assets and investment (docs/ODD.md 7.10): productive loans from the group fund that
are repaid or fail, assets that yield, a shortfall met by selling assets before the patron is
asked, pawned land redeemed from assets, and consumption that follows the assets' yield.

Each test reads the model's own state and says in its docstring which broken mechanism it
catches. None asserts which strategy does better.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from sim.assets import productive_assets
from sim.credit import credit
from sim.extraction import patron_extraction
from sim.livelihood import livelihood
from sim.state import DISSOLVED


def organised(small, **overrides):
    """A small village under a programme, run until its groups have funds to lend."""
    model = small(3, strategy="area_based", stage_months=1, group_min_size=4, awareness_mean=0.3, **overrides)
    for _ in range(30):
        model.step()
    g = model.groups
    live = g.stage[: g.n] != DISSOLVED
    assert (g.fund[: g.n][live] > 0).any()
    return model


def test_members_take_productive_loans_from_their_fund(small):
    """One month of the asset process with and without productive loans, from the same state:
    only members borrow, what each borrows is both new group debt and new growing assets, the
    funds fall by what they lent, no member owes its group more than its credit limit, and only
    members who owed their group nothing borrow (one loan at a time).

    Catches: no productive loans, loans that buy nothing, loans not drawn from the fund, or a new
    loan before the last is paid back (assets)."""
    model = organised(small, investment_rate=0.5)
    idle = copy.deepcopy(model)
    idle.p.investment_rate = 0.0
    productive_assets(model)
    productive_assets(idle)
    h, hi, g, gi = model.households, idle.households, model.groups, idle.groups
    loan = h.group_debt - hi.group_debt
    member = h.group >= 0
    assert (loan[member] > 0).sum() >= 3
    assert (loan[~member] == 0).all() and (loan >= 0).all()
    np.testing.assert_allclose(h.assets_growing - hi.assets_growing, loan, atol=1e-12)
    assert gi.fund[: gi.n].sum() - g.fund[: g.n].sum() == pytest.approx(loan.sum())
    assert (h.group_debt <= model.p.group_credit_limit + 1e-12).all()
    assert (hi.group_debt[loan > 0] == 0).all()  # one loan at a time


def test_productive_loans_are_repaid_or_lost_with_a_failed_venture(small):
    """After a month of productive loans and none after, the borrowers' group debt falls as they
    repay from what they earn; where every venture fails, the assets are gone at once and the
    loan is still owed.

    Catches: productive loans never repaid (credit), or a failure that loses nothing or writes
    the loan off (assets)."""
    model = organised(small, investment_rate=1.0)
    failing = copy.deepcopy(model)
    failing.p.asset_failure = 0.0
    productive_assets(failing)
    h = failing.households
    borrowers = (h.group >= 0) & (h.assets_growing > 0)
    owed = failing.households.group_debt[borrowers].sum()
    assert owed > 0
    failing.p.__dict__["asset_failure"] = 1.0  # beyond the schema's range, to fail every venture
    failing.p.investment_rate = 0.0
    productive_assets(failing)
    assert (h.assets == 0).all()
    np.testing.assert_allclose(h.assets_growing, 0.0, atol=1e-9)  # all but rounding in what was saved
    assert h.group_debt[borrowers].sum() == pytest.approx(owed)

    model.step()
    model.p.investment_rate = 0.0
    h = model.households
    borrowers = h.group_debt > 0
    before = h.group_debt[borrowers].sum()
    for _ in range(12):
        model.step()
    assert h.group_debt[borrowers].sum() < 0.5 * before


def test_assets_yield_income(small):
    """Two copies of a village, one with every household holding 5 more months of yielding
    assets: this month's income is higher by asset_return x 5, exactly.

    Catches: assets that yield nothing (livelihood)."""
    a = small(5, strategy="baseline", months=2)
    b = copy.deepcopy(a)
    b.households.assets += 5.0
    livelihood(a)
    livelihood(b)
    np.testing.assert_allclose(b.households.income - a.households.income, a.p.asset_return * 5.0, rtol=1e-9)


def test_consumption_follows_the_assets_yield(small):
    """Two copies, one with 5 more months of yielding assets per household: where no limit binds
    it consumes more by the usual income's rise, the assets' yield net of depreciation and rent,
    plus consumption_mpc of its higher worth above the higher buffer.

    Catches: a usual income without the assets' yield, or a net worth without the assets
    (livelihood)."""
    a = small(5, strategy="baseline", months=2, season_amplitude=0.0, shock_rate=0.0)
    b = copy.deepcopy(a)
    b.households.assets += 5.0
    livelihood(a)
    livelihood(b)
    p, ha, hb = a.p, a.households, b.households
    kept = ha.usual_income / (
        ha.income_base + a.land_return * ha.land * (1 - ha.pawned) + (p.asset_return - p.asset_depreciation) * ha.assets
    )
    usual = (p.asset_return - p.asset_depreciation) * 5.0 * kept
    np.testing.assert_allclose(hb.usual_income - ha.usual_income, usual, rtol=1e-9)
    expected = usual + p.consumption_mpc * (5.0 + p.asset_return * 5.0 - p.buffer_stock * usual)
    # Not at the floor, and not held to the cash left after rent (which leaves about the rent, < 1).
    free = (ha.consumption > p.consumption_floor) & (ha.wealth > 1.0) & (hb.wealth > 1.0)
    more = hb.consumption - ha.consumption
    assert free.sum() > 100
    np.testing.assert_allclose(more[free], expected[free], rtol=1e-9)


def test_a_shortfall_sells_assets_before_the_patron_is_asked(small):
    """Every household shocked in a month without planting, one copy holding 20 months of assets
    each: the holders meet their shortfall by selling assets at the fire-sale discount and borrow
    nothing new from their patron, while without assets most borrow.

    Catches: assets not sold under a shock, sold after the patron lends, or sold at full value
    (assets)."""
    out = {}
    for held in (0.0, 20.0):
        model = small(6, strategy="baseline", months=2, asset_failure=0.0)
        model.month = 1  # not a planting month
        model.p.__dict__["shock_rate"] = 1.0  # beyond the schema's range, to shock everyone
        h = model.households
        h.assets[:] = held
        h.assets_growing[:] = 0.0
        livelihood(model)
        patron_extraction(model)
        short = np.maximum(-h.wealth, 0.0)
        unpawned = h.pawned == 0  # (a pawn would be redeemed from what is left)
        productive_assets(model)
        if held:
            expected = held * (1 - model.p.asset_depreciation) - short / (1 - model.p.fire_sale_discount)
            sold = (short > 0) & unpawned
            np.testing.assert_allclose(h.assets[sold], expected[sold], rtol=1e-9)
        credit(model)
        out[held] = (short > 0, h.patron_borrowed.copy())
    was_short, borrowed = out[0.0]
    assert (borrowed[was_short] > 0).mean() > 0.9
    was_short, borrowed = out[20.0]
    assert was_short.sum() > 100 and (borrowed[was_short] == 0).all()


def test_pawned_land_is_redeemed_from_assets(small):
    """Landed households with half their land pawned: those holding enough assets redeem it all,
    paying their patron the yield it would still take (land_return x land x pawn_months per
    unit pawned); those without assets stay pawned.

    Catches: pawned land never redeemed, or redeemed without paying (assets)."""
    model = small(7, strategy="baseline", months=2, asset_failure=0.0)
    h, pt, p = model.households, model.patrons, model.p
    landed = h.land > 0
    rich = landed & (np.arange(len(h)) % 2 == 0)
    h.pawned[:] = np.where(landed, 0.5, 0.0)
    price = model.land_return * h.land * p.pawn_months * 0.5
    h.assets[:] = np.where(rich, price / (1 - p.asset_depreciation) + 1.0, 0.0)
    h.assets_growing[:] = 0.0
    h.wealth[:] = np.maximum(h.wealth, 0.0)
    capital = pt.capital.sum()
    productive_assets(model)
    assert (h.pawned[rich] == 0).all()
    assert (h.pawned[landed & ~rich & (h.assets == 0)] == 0.5).all()
    np.testing.assert_allclose(h.assets[rich], 1.0 - p.asset_depreciation, rtol=1e-6)
    assert pt.capital.sum() - capital == pytest.approx(price[rich].sum())


def test_a_holding_too_small_to_fetch_anything_is_not_sold():
    """A holding so small that its fire-sale worth rounds to zero (found by the property tests) sells
    nothing and leaves the shortfall as it was, instead of dividing by that worth."""
    from sim.assets import asset_month

    one = lambda v: np.array([v], dtype=float)  # noqa: E731
    wealth, assets = one(-1.0), one(5e-324)
    asset_month(
        wealth, one(0.0), one(0.0), one(0.0), assets, one(0.0), one(1.0), np.array([0]), one(0.0), one(0.5),
        1.0, 0.0, 0.0, 1.0, 0.5, 0.0, 12.0,
    )  # fmt: skip
    assert wealth[0] == -1.0 and assets[0] == 5e-324
