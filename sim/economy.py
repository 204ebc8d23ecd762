"""The household economy's month as one compiled function: livelihood, patron extraction, productive
assets and credit (submodels 1-3 and 10, docs/ODD.md 7.1-7.3, 7.10), in the ODD's order.

Each submodel keeps its module, its equations in its own kernel, and the Python function that runs
a month of it (``livelihood(model)`` and the rest). ``economy_month`` calls the four kernels with the
same arguments and draws in the same order, for the compiled loop over a run's months and the
burn-in's (``sim.schedule.months_loop``), where the Python around the kernels took about 40% of a
month. A month stepped through (``VillageModel.step``) calls
the four functions: handing the generator and the state's named tuples to a compiled call costs
about 40 µs at 960 households (measured, benchmarks/README.md), more than it saves once a month.
tests/test_burn_in.py checks that the two ways leave the village bit for bit the same, in the
burn-in and in a programme month.
"""

from __future__ import annotations

from collections import namedtuple

import numba

from sim.assets import asset_month, productive_loans
from sim.credit import PLANTING_MONTHS, credit_month
from sim.extraction import extract
from sim.livelihood import live_on

# The parameters the household economy reads, passed to its compiled month by name.
Economy = namedtuple(
    "Economy",
    (
        "asset_depreciation asset_failure asset_gestation asset_return borrow_dependency buffer_stock "
        "consumption_floor consumption_mpc contestability cooperative_openness default_dependency "
        "default_limit dependency_release ecotourism_channel ecotourism_income ecotourism_min_members "
        "fire_sale_discount group_credit_limit group_interest interlinked_share investment_rate "
        "investment_size liquid_share market_income n_hamlets openness_extraction_effect organic_channel "
        "organic_premium organic_release organised_rate_penalty paralegal_protection patron_insurance "
        "patrons_per_hamlet pawn_months pawn_share rate_competition repay_share shock_rate shock_size"
    ).split(),
)


def economy_params(p) -> tuple:
    """``Economy`` read from the run's parameters."""
    return Economy(*(getattr(p, name) for name in Economy._fields))


@numba.njit(cache=True)
def economy_month(month, rng, season, p, h, g, n_groups, pt, organiser, client_rate, land_return):
    """What ``livelihood``, ``patron_extraction``, ``productive_assets`` and ``credit`` do in ``month``,
    calling their kernels with the same arguments and draws in the same order; returns the rent paid."""
    n = len(h.group)
    extraction = pt.extraction_base * (1.0 - p.openness_extraction_effect * pt.openness)
    live_on(
        h.group,
        h.network,
        h.patron,
        h.income_base,
        h.land,
        h.pawned,
        h.dependency,
        h.wealth,
        h.debt,
        h.group_debt,
        h.assets,
        h.assets_growing,
        h.income,
        h.consumption,
        h.usual_income,
        g.market_access,
        pt.capital,
        extraction,
        rng.random(n),
        season,
        land_return,
        p.asset_return,
        p.asset_depreciation,
        p.market_income,
        p.organic_premium,
        p.organic_channel,
        p.ecotourism_income,
        p.ecotourism_channel,
        p.ecotourism_min_members,
        p.shock_rate,
        p.shock_size,
        p.patron_insurance,
        p.borrow_dependency,
        p.consumption_mpc,
        p.buffer_stock,
        p.consumption_floor,
    )
    extraction = pt.extraction_base * (1.0 - p.openness_extraction_effect * pt.openness)
    rent = extract(h.patron, h.dependency, h.income, h.wealth, extraction, pt.rent, pt.capital)
    members = False
    if n_groups > 0:
        for i in range(n):
            if h.group[i] >= 0:
                members = True
                break
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
        rng.random(n),
        land_return,
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
            g.fund[:n_groups],
            g.stage[:n_groups],
            rng.random(n),
            p.investment_rate,
            p.investment_size,
            p.group_credit_limit,
        )
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
        client_rate,
        n_groups,
        g.fund,
        g.patron_loan,
        g.lender,
        g.place,
        g.stage,
        organiser,
        pt.interest_base,
        pt.interest,
        pt.capital,
        pt.openness,
        p.n_hamlets,
        p.patrons_per_hamlet,
        p.cooperative_openness,
        land_return,
        month % PLANTING_MONTHS == 0,
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
    return rent
